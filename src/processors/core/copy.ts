import { illegalArgument } from '../../errors/opensearch-error.js';
import { defineProcessor } from '../processor-definition.js';
import { deepCopy, hasFieldFailingOutOfRange, isNullOrEmpty } from './field-value.js';
import { booleanOption, compileOption, ignoreMissingOption, stringOption } from './options.js';
import { compileTemplate, renderTemplate } from './template.js';

interface CopyConfig {
  source_field: string;
  target_field: string;
  ignore_missing: boolean;
  remove_source: boolean;
  override_target: boolean;
}

/** `copy`: deep-copies a field (any value, objects included) to another path. */
export const copyProcessor = defineProcessor({
  type: 'copy',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['source_field', 'target_field'],
    properties: {
      source_field: stringOption('The field to copy; supports `{{field}}` templates.'),
      target_field: stringOption('Where to copy it; supports `{{field}}` templates.'),
      ignore_missing: ignoreMissingOption,
      remove_source: booleanOption(false, 'Remove `source_field` after copying it.'),
      override_target: booleanOption(
        false,
        'Replace an existing non-null `target_field` instead of failing.',
      ),
    },
  },
  create(config: CopyConfig, _deps, tag) {
    const sourceField = compileOption('copy', tag, 'source_field', () =>
      compileTemplate(config.source_field),
    );
    const targetField = compileOption('copy', tag, 'target_field', () =>
      compileTemplate(config.target_field),
    );
    return {
      type: 'copy',
      async execute(document) {
        const source = renderTemplate(sourceField, document);
        if (isNullOrEmpty(source) || !hasFieldFailingOutOfRange(document, source)) {
          if (config.ignore_missing) return;
          throw illegalArgument(
            isNullOrEmpty(source)
              ? 'source field path cannot be null nor empty'
              : `source field [${source}] doesn't exist`,
          );
        }
        const target = renderTemplate(targetField, document);
        if (isNullOrEmpty(target))
          throw illegalArgument('target field path cannot be null nor empty');
        if (source === target)
          throw illegalArgument('source field path and target field path cannot be same');
        const targetTaken =
          hasFieldFailingOutOfRange(document, target) && document.getField(target) !== null;
        if (targetTaken && !config.override_target)
          throw illegalArgument(`target field [${target}] already exists`);
        document.setField(target, deepCopy(document.getField(source)));
        if (config.remove_source) document.removeField(source);
      },
    };
  },
});
