import { defineProcessor } from '../processor-definition.js';
import {
  stringFieldProperties,
  transformStringField,
  type StringFieldConfig,
} from './string-processor.js';

/** `uppercase`: uppercases a string field, or every string of a list (Locale.ROOT). */
export const uppercaseProcessor = defineProcessor({
  type: 'uppercase',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field'],
    properties: stringFieldProperties,
  },
  create: (config: StringFieldConfig) => ({
    type: 'uppercase',
    execute: async (document) =>
      transformStringField(document, config, (value) => value.toUpperCase()),
  }),
});
