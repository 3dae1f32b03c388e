import { jsonParseError } from '../errors/opensearch-error.js';

const FORBIDDEN_KEYS = new Set(['__proto__']);

/**
 * Parses JSON from a caller. A `__proto__` key is refused: merged into a plain object later it
 * would replace that object's prototype. The check only runs when the text could contain one.
 */
export function parseJsonBody(text: string): unknown {
  try {
    if (!text.includes('__proto__')) return JSON.parse(text);
    return JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKeyError(key);
      return value;
    });
  } catch (error) {
    if (error instanceof ForbiddenKeyError) throw jsonParseError(`Illegal key [${error.key}] in request body`);
    throw jsonParseError(`Failed to parse request body: ${(error as Error).message}`);
  }
}

class ForbiddenKeyError extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

/** True for a plain JSON object (not an array, not null). */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Deep copy of JSON data. */
export const cloneJson = <T>(value: T): T => structuredClone(value);
