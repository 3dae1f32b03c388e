import { defineProcessor } from '../processor-definition.js';
import {
  javaTrim,
  stringFieldProperties,
  transformStringField,
  type StringFieldConfig,
} from './string-processor.js';

/** `trim`: strips leading and trailing whitespace from a string field, or every string of a list. */
export const trimProcessor = defineProcessor({
  type: 'trim',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field'],
    properties: stringFieldProperties,
  },
  create: (config: StringFieldConfig) => ({
    type: 'trim',
    execute: async (document) => transformStringField(document, config, javaTrim),
  }),
});
