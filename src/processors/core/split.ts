import { illegalArgument } from '../../errors/opensearch-error.js';
import { defineProcessor } from '../processor-definition.js';
import { readField } from './field-value.js';
import { splitJava } from './java-pattern.js';
import { booleanOption, ignoreMissingOption, stringOption, targetFieldOption } from './options.js';

interface SplitConfig {
  field: string;
  separator: string;
  target_field?: string;
  ignore_missing: boolean;
  preserve_trailing: boolean;
}

/** `split`: splits a string field into a list on a Java regular expression (`String.split`). */
export const splitProcessor = defineProcessor({
  type: 'split',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field', 'separator'],
    properties: {
      field: stringOption('The string field to split.'),
      separator: stringOption('A Java regular expression matching the separators.'),
      target_field: targetFieldOption,
      ignore_missing: ignoreMissingOption,
      preserve_trailing: booleanOption(false, 'Keep trailing empty strings in the result.'),
    },
  },
  create: (config: SplitConfig) => ({
    type: 'split',
    async execute(document) {
      const value = readField(document, config.field, 'string', config.ignore_missing) as
        string | null | undefined;
      if ((value === undefined || value === null) && config.ignore_missing) return;
      if (value === undefined || value === null)
        throw illegalArgument(`field [${config.field}] is null, cannot split.`);
      // Java drops trailing empty strings with limit 0 and keeps them with a negative limit.
      document.setField(
        config.target_field ?? config.field,
        splitJava(value, config.separator, config.preserve_trailing ? -1 : 0),
      );
    },
  }),
});
