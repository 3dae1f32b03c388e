import { defineStringProcessor, javaTrim } from './string-processor.js';

/** `trim`: strips leading and trailing whitespace from a string field, or every string of a list. */
export const trimProcessor = defineStringProcessor('trim', javaTrim);
