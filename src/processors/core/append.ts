import { defineProcessor } from '../processor-definition.js';
import { booleanOption, compileOption, optionError, stringOption } from './options.js';
import { javaEquals } from './java-equals.js';
import { compileTemplate, templateModel } from './template.js';
import { wrapValue } from './value-source.js';

interface AppendConfig {
  field: string;
  value: unknown;
  allow_duplicates: boolean;
}

/**
 * `append`: appends a value (or each value of a list) to a list field, turning a scalar into a
 * list and creating a missing field. Without duplicates, a field that gains nothing is left as it
 * was, scalar included (IngestDocument.appendValues).
 */
export const appendProcessor = defineProcessor({
  type: 'append',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field', 'value'],
    properties: {
      field: stringOption('The field to append to; supports `{{field}}` templates.'),
      value: {
        description: 'A value or list of values to append; strings support `{{field}}` templates.',
      },
      allow_duplicates: booleanOption(
        true,
        'When false, values already in the field are not appended again.',
      ),
    },
  },
  create(config: AppendConfig, _deps, tag) {
    if (config.value === null)
      throw optionError('append', tag, 'value', 'required property is missing');
    const field = compileOption('append', tag, 'field', () => compileTemplate(config.field));
    const value = compileOption('append', tag, 'value', () => wrapValue(config.value));
    return {
      type: 'append',
      async execute(document) {
        const model = templateModel(document);
        const path = field.render(model);
        const additions = value.resolve(model);
        const values = Array.isArray(additions) ? additions : [additions];
        if (!document.hasField(path)) {
          // A new field takes every value, duplicates included, as OpenSearch does.
          document.setField(path, [...values]);
          return;
        }
        const existing = document.getField(path);
        const list = Array.isArray(existing) ? existing : [existing];
        let appended = false;
        for (const item of values) {
          if (config.allow_duplicates || !list.some((present) => javaEquals(present, item))) {
            list.push(item);
            appended = true;
          }
        }
        // A scalar becomes a list, except when nothing was added and duplicates are refused.
        if (list !== existing && (config.allow_duplicates || appended))
          document.setField(path, list);
      },
    };
  },
});
