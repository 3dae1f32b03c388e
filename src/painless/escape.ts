/**
 * ML Commons' `escape(def input)` helper, which it prepends to pre/post-process scripts that call
 * `escape` without defining it, so model output can be embedded in a JSON string literal.
 */

// Order matters: backslashes first, so the backslashes added by later rules are not doubled.
const REPLACEMENTS: readonly (readonly [string, string])[] = [
  ['\\', '\\\\'],
  ['"', '\\"'],
  ['\r', '\\r'],
  ['\n', '\\n'],
  ['\b', '\\b'],
  ['\f', '\\f'],
  ['\t', '\\t'],
];

/** ML Commons' `escape`: backslash, quote, CR, LF, backspace, form feed and TAB become JSON escapes. */
export function painlessEscape(input: unknown): string {
  // The Java helper calls input.contains(...), which fails the same way for null and non-strings.
  if (typeof input !== 'string') {
    throw new TypeError(
      `escape expects a String but got ${input === null || input === undefined ? 'null' : typeof input}`,
    );
  }
  return REPLACEMENTS.reduce(
    (text, [target, replacement]) => text.replaceAll(target, replacement),
    input,
  );
}
