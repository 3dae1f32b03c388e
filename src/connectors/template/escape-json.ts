/**
 * The two JSON string escapers ML Commons uses, reproduced so providers receive the same bytes.
 */

/**
 * Apache commons-text `StringEscapeUtils.escapeJson`, applied to predict parameters that are not
 * JSON: `"`, `\` and `/` are escaped, as are the short control escapes, and every character
 * outside 0x20–0x7E becomes `\uXXXX` (per UTF-16 unit). The result is a valid JSON string body.
 */
export function escapeJson(text: string): string {
  let output = '';
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const short = SHORT_ESCAPES[code];
    if (short !== undefined) output += short;
    else if (code < 0x20 || code > 0x7e) output += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else output += text[index];
  }
  return output;
}

const SHORT_ESCAPES: Record<number, string> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x2f: '\\/',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
};

/**
 * Gson's `toJson(string)` without the surrounding quotes: what `${parameters.x.toString()}` and
 * Painless text-doc escaping produce. Gson escapes HTML-sensitive characters as well.
 */
export function gsonEscape(text: string): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(/[<>&='\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** ML Commons' `StringUtils.isJson`: a whole JSON object or array (not a bare scalar). */
export function isJsonObjectOrArray(text: string): boolean {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

/** A payload ML Commons accepts: one JSON object or array, or NDJSON lines of them (3.5+). */
export function isValidPayload(payload: string): boolean {
  if (isJsonObjectOrArray(payload)) return true;
  const lines = payload.split('\n').filter((line) => line.trim() !== '');
  return lines.length > 1 && lines.every(isJsonObjectOrArray);
}
