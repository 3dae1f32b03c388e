import { expect } from 'vitest';
import { OpenSearchError } from '../../../src/errors/opensearch-error.js';

/** Runs `action`, asserts it threw a 400 `illegal_argument_exception`, and returns its reason. */
export function illegalArgumentReason(action: () => unknown): string {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(OpenSearchError);
  const error = thrown as OpenSearchError;
  expect(error.status).toBe(400);
  expect(error.type).toBe('illegal_argument_exception');
  return error.reason;
}
