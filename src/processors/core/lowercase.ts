import { defineStringProcessor } from './string-processor.js';

/** `lowercase`: lowercases a string field, or every string of a list (Locale.ROOT). */
export const lowercaseProcessor = defineStringProcessor('lowercase', (value) => value.toLowerCase());
