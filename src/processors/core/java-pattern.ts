/**
 * `java.util.regex` for `split` and `gsub`, on the Painless interpreter's implementation of
 * Java's split/replace algorithms, with its faults turned into the errors OpenSearch reports
 * (`PatternSyntaxException` is a 400 `pattern_syntax_exception`, `No group 3` a 500).
 */
import { OpenSearchError } from '../../errors/opensearch-error.js';
import { ScriptFault } from '../../painless/errors.js';
import { javaMatches, javaReplace, javaSplit } from '../../painless/java-regex.js';

/** `PatternSyntaxException` -> `pattern_syntax_exception`, the way OpenSearch names exceptions. */
const snakeCase = (javaType: string): string =>
  javaType.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** Java's IllegalArgumentException family maps to 400; anything else a processor throws is a 500. */
const CLIENT_ERRORS = new Set(['IllegalArgumentException', 'PatternSyntaxException']);

function javaError(error: unknown): unknown {
  if (!(error instanceof ScriptFault)) return error;
  const javaType = error.javaType ?? 'IllegalStateException';
  return new OpenSearchError({
    status: CLIENT_ERRORS.has(javaType) ? 400 : 500,
    type: snakeCase(javaType),
    reason: error.message,
    cause: error,
  });
}

function guarded<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw javaError(error);
  }
}

/** The reason a pattern does not compile, or undefined when it does. */
export function patternSyntaxError(pattern: string): string | undefined {
  try {
    javaMatches('', pattern);
    return undefined;
  } catch (error) {
    if (error instanceof ScriptFault) return error.message;
    throw error;
  }
}

/** `String.split(pattern, limit)`. */
export const splitJava = (input: string, pattern: string, limit: number): string[] =>
  guarded(() => javaSplit(input, pattern, limit));

/** `Matcher.replaceAll(replacement)`, with `$1` and `${name}` group references. */
export const replaceAllJava = (input: string, pattern: string, replacement: string): string =>
  guarded(() => javaReplace(input, pattern, replacement, false));
