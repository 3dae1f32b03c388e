import { illegalArgument } from '../../errors/opensearch-error.js';
import { defineProcessor } from '../processor-definition.js';
import { hasFieldFailingOutOfRange, isNullOrEmpty } from './field-value.js';
import { booleanOption, compileOption, ignoreMissingOption, stringOption } from './options.js';
import { compileTemplate, renderTemplate } from './template.js';

interface RenameConfig {
  field: string;
  target_field: string;
  ignore_missing: boolean;
  override_target: boolean;
}

/** `rename`: moves a field to a new path, putting it back if the move fails half-way. */
export const renameProcessor = defineProcessor({
  type: 'rename',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field', 'target_field'],
    properties: {
      field: stringOption('The field to rename; supports `{{field}}` templates.'),
      target_field: stringOption('Its new path; supports `{{field}}` templates.'),
      ignore_missing: ignoreMissingOption,
      override_target: booleanOption(
        false,
        'Replace an existing `target_field` instead of failing.',
      ),
    },
  },
  create(config: RenameConfig, _deps, tag) {
    const field = compileOption('rename', tag, 'field', () => compileTemplate(config.field));
    const targetField = compileOption('rename', tag, 'target_field', () =>
      compileTemplate(config.target_field),
    );
    return {
      type: 'rename',
      async execute(document) {
        const path = renderTemplate(field, document);
        if (isNullOrEmpty(path) || !hasFieldFailingOutOfRange(document, path)) {
          if (config.ignore_missing) return;
          throw illegalArgument(
            isNullOrEmpty(path)
              ? 'field path cannot be null nor empty'
              : `field [${path}] doesn't exist`,
          );
        }
        // Checked before anything moves, so an on_failure handler still sees the original field.
        const target = renderTemplate(targetField, document);
        if (hasFieldFailingOutOfRange(document, target) && !config.override_target)
          throw illegalArgument(`field [${target}] already exists`);
        const value = document.getField(path);
        document.removeField(path);
        try {
          document.setField(target, value);
        } catch (error) {
          document.setField(path, value);
          throw error;
        }
      },
    };
  },
});
