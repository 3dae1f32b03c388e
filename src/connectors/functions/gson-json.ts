/**
 * How ML Commons turns a pre-process function's non-string outputs into parameter strings
 * (StringUtils.convertScriptStringToJsonString): a string stays as it is, anything else becomes
 * `new Gson().toJson(value)`.
 */

// A default Gson is HTML-safe: it writes these characters as \u escapes inside strings. They never
// occur outside strings in JSON text, so replacing them in the whole text is exact.
const GSON_HTML_SAFE = /[<>&='\u2028\u2029]/g;

/** JSON text as Gson's default instance writes it: compact, with `<>&='` written as `\u003c` etc. */
export function gsonToJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.replace(GSON_HTML_SAFE, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
