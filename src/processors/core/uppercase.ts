import { defineStringProcessor } from './string-processor.js';

/** `uppercase`: uppercases a string field, or every string of a list (Locale.ROOT). */
export const uppercaseProcessor = defineStringProcessor('uppercase', (value) => value.toUpperCase());
