import { describe, expect, it } from 'vitest';
import { lookupPreProcess } from '../../../src/connectors/functions/index.js';
import { illegalArgumentReason } from './catch-error.js';
import { DOCS_PER_REQUEST, PRE_PROCESS_CASES, PRE_PROCESS_ERROR_CASES } from './pre-process.cases.js';

describe('built-in pre-process functions', () => {
  it.for(PRE_PROCESS_CASES)('$name: $description', ({ name, input, expected }) => {
    expect(lookupPreProcess(name).process(input)).toStrictEqual(expected);
  });

  it.for(PRE_PROCESS_ERROR_CASES)('$name rejects $description', ({ name, input, message }) => {
    expect(illegalArgumentReason(() => lookupPreProcess(name).process(input))).toBe(message);
  });

  it.for(Object.entries(DOCS_PER_REQUEST))('%s sends %s doc(s) per request', ([name, expected]) => {
    expect(lookupPreProcess(name).docsPerRequest).toBe(expected);
  });

  it('emits parameter values that are all strings', () => {
    for (const { name, input } of PRE_PROCESS_CASES) {
      for (const value of Object.values(lookupPreProcess(name).process(input))) expect(typeof value).toBe('string');
    }
  });
});
