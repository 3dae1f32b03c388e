import { defineProcessor } from '../processor-definition.js';
import {
  stringFieldProperties,
  transformStringField,
  type StringFieldConfig,
} from './string-processor.js';

/** `lowercase`: lowercases a string field, or every string of a list (Locale.ROOT). */
export const lowercaseProcessor = defineProcessor({
  type: 'lowercase',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field'],
    properties: stringFieldProperties,
  },
  create: (config: StringFieldConfig) => ({
    type: 'lowercase',
    execute: async (document) =>
      transformStringField(document, config, (value) => value.toLowerCase()),
  }),
});
