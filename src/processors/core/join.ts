import { illegalArgument } from '../../errors/opensearch-error.js';
import { javaToString } from '../../painless/index.js';
import { defineProcessor } from '../processor-definition.js';
import { readField } from './field-value.js';
import { stringOption, targetFieldOption } from './options.js';

interface JoinConfig {
  field: string;
  separator: string;
  target_field?: string;
}

/** `join`: joins a list field's elements (as Java prints them) into one string. */
export const joinProcessor = defineProcessor({
  type: 'join',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field', 'separator'],
    properties: {
      field: stringOption('The list field to join.'),
      separator: stringOption('Put between the elements.'),
      target_field: targetFieldOption,
    },
  },
  create: (config: JoinConfig) => ({
    type: 'join',
    async execute(document) {
      const list = readField(document, config.field, 'list') as unknown[] | null;
      if (list === null) throw illegalArgument(`field [${config.field}] is null, cannot join.`);
      document.setField(
        config.target_field ?? config.field,
        list.map((item) => javaToString(item)).join(config.separator),
      );
    },
  }),
});
