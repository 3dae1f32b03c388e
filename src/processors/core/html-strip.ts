import { defineProcessor } from '../processor-definition.js';
import {
  stringFieldProperties,
  transformStringField,
  type StringFieldConfig,
} from './string-processor.js';
import { stripHtml } from './strip-html.js';

/** OpenSearch's shortcut: text without both `<` and `>` is returned untouched, entities and all. */
const stripIfMarkup = (value: string): string =>
  value.includes('<') && value.includes('>') ? stripHtml(value) : value;

/** `html_strip`: removes HTML markup from a string field (or list of strings), as Lucene's HTMLStripCharFilter. */
export const htmlStripProcessor = defineProcessor({
  type: 'html_strip',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field'],
    properties: stringFieldProperties,
  },
  create: (config: StringFieldConfig) => ({
    type: 'html_strip',
    execute: async (document) => transformStringField(document, config, stripIfMarkup),
  }),
});
