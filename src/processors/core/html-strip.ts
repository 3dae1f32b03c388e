import { defineStringProcessor } from './string-processor.js';
import { stripHtml } from './strip-html.js';

/** OpenSearch's shortcut: text without both `<` and `>` is returned untouched, entities and all. */
const stripIfMarkup = (value: string): string =>
  value.includes('<') && value.includes('>') ? stripHtml(value) : value;

/** `html_strip`: removes HTML markup from a string field (or list of strings), as Lucene's HTMLStripCharFilter. */
export const htmlStripProcessor = defineStringProcessor('html_strip', stripIfMarkup);
