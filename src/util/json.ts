import { jsonParseError, OpenSearchError } from '../errors/opensearch-error.js';
import { findExcessNesting } from './json-nesting.js';
import { locateJsonSyntaxError } from './json-syntax-error.js';

const FORBIDDEN_KEYS = new Set(['__proto__']);

/** OpenSearch's (Jackson's) default `StreamReadConstraints` nesting limit. */
export const MAX_JSON_NESTING_DEPTH = 1000;

/**
 * Parses JSON from a caller: every request body, each NDJSON line of a `_bulk` or `_msearch`.
 * Nesting deeper than OpenSearch allows is refused before parsing, so no code that walks the value
 * later (or walks it once stored) can overflow its stack. A `__proto__` key is refused: merged
 * into a plain object later it would replace that object's prototype. A syntax error gives its
 * line, column and what was expected, never the text around it (a body can carry credentials).
 * `firstLine` numbers lines when the text is one line of a larger body.
 */
export function parseJsonBody(text: string, options: { firstLine?: number } = {}): unknown {
  if (findExcessNesting(text, MAX_JSON_NESTING_DEPTH) !== -1) throw nestingTooDeep();
  try {
    if (!text.includes('__proto__')) return JSON.parse(text);
    return JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKeyError(key);
      return value;
    });
  } catch (error) {
    if (error instanceof ForbiddenKeyError) throw jsonParseError(`Illegal key [${error.key}] in request body`);
    throw jsonParseError(describeSyntaxError(text, options.firstLine ?? 1));
  }
}

function describeSyntaxError(text: string, firstLine: number): string {
  const located = locateJsonSyntaxError(text);
  if (located === undefined) return 'Failed to parse request body: not valid JSON';
  return `Failed to parse request body at line ${located.line + firstLine - 1}, column ${located.column}: ${located.problem}`;
}

/**
 * Jackson's `StreamConstraintsException`, word for word. OpenSearch's status for it depends on the
 * endpoint (a 500 where nothing wraps it); the body is the caller's doing, so here it is always a 400.
 */
const nestingTooDeep = (): OpenSearchError =>
  new OpenSearchError({
    status: 400,
    type: 'stream_constraints_exception',
    reason: `Document nesting depth (${MAX_JSON_NESTING_DEPTH + 1}) exceeds the maximum allowed (${MAX_JSON_NESTING_DEPTH}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`,
  });

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
