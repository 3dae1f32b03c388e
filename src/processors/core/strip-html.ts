/**
 * Lucene's HTMLStripCharFilter, as the `html_strip` processor runs it, for the constructs real
 * text contains: inline element tags (`<b>`, `<a href=...>`, `<span>`) vanish, every other tag
 * (`<p>`, `</div>`, `<br/>`) becomes a newline, `<script>` and `<style>` elements become one
 * newline, comments, `<!DOCTYPE>` and `<?...?>` vanish, CDATA keeps its text, and character
 * references are decoded. Anything that is not well-formed markup is kept as it is.
 */
import { HTML_ENTITIES, LONGEST_ENTITY_NAME } from './html-entities.js';

const INLINE_ELEMENTS = new Set(
  (
    'a b i q s u abbr acronym basefont bdo big cite code dfn em font img input kbd label samp select small span strike strong ' +
    'sub sup textarea tt var'
  ).split(' '),
);
const NAME = /^[:_\p{ID_Start}][-.:_\p{ID_Continue}]*/u;
/** An attribute name and `=` just before a quoted value, which may then contain `<` and `>`. */
const BEFORE_ATTRIBUTE_VALUE = /\s[:_\p{ID_Start}][-.:_\p{ID_Continue}]*\s*=\s*$/u;
const SCRIPT_END = /<\/\s*script\s*>/i;
const STYLE_END = /<\/\s*style\s*>/i;
const REPLACEMENT_CHARACTER = '\uFFFD';

/** What a construct at `<` or `&` becomes: its output and where scanning resumes; `end: Infinity` drops the rest. */
interface Replacement {
  readonly text: string;
  readonly end: number;
}

/** Strips markup from `input` the way HTMLStripCharFilter reads it. */
export function stripHtml(input: string): string {
  let output = '';
  let offset = 0;
  while (offset < input.length) {
    const character = input.charAt(offset);
    const replacement =
      character === '<'
        ? markup(input, offset)
        : character === '&'
          ? characterReference(input, offset)
          : undefined;
    if (replacement === undefined) {
      output += character;
      offset++;
    } else {
      output += replacement.text;
      offset = replacement.end;
    }
  }
  return output;
}

function markup(input: string, start: number): Replacement | undefined {
  const rest = input.slice(start + 1);
  if (rest.startsWith('!--')) {
    const end = input.indexOf('-->', start + 4);
    return { text: '', end: end === -1 ? Infinity : end + 3 };
  }
  if (rest.startsWith('![CDATA[')) {
    const end = input.indexOf(']]>', start + 9);
    return end === -1
      ? { text: input.slice(start + 9), end: Infinity }
      : { text: input.slice(start + 9, end), end: end + 3 };
  }
  if (rest.startsWith('!')) {
    const end = input.indexOf('>', start + 2);
    return end === -1 ? undefined : { text: '', end: end + 1 };
  }
  if (rest.startsWith('?')) {
    const end = input.indexOf('>', start + 2);
    return end !== -1 && '/?'.includes(input.charAt(end - 1)) && end - 1 > start + 1
      ? { text: '', end: end + 1 }
      : undefined;
  }
  const closing = rest.startsWith('/');
  const nameStart = start + 1 + (closing ? 1 : 0);
  const leading = /^\s*/.exec(input.slice(nameStart))?.[0].length ?? 0;
  const name = NAME.exec(input.slice(nameStart + leading))?.[0];
  if (name === undefined) return undefined;
  const afterName = nameStart + leading + name.length;
  // Lucene drops a tag whose name runs into the end of the input.
  if (afterName === input.length) return { text: '', end: Infinity };
  const replacement = INLINE_ELEMENTS.has(name.toLowerCase()) ? '' : '\n';
  if (closing) {
    const end = /^\s*>/.exec(input.slice(afterName));
    return end === null ? undefined : { text: replacement, end: afterName + end[0].length };
  }
  const tagEnd = startTagEnd(input, afterName);
  if (tagEnd === undefined) return undefined;
  const lower = name.toLowerCase();
  // Lucene's script and style rules match any start tag whose name begins with those letters.
  const elementEnd = lower.startsWith('script')
    ? SCRIPT_END
    : lower.startsWith('style')
      ? STYLE_END
      : undefined;
  if (elementEnd === undefined) return { text: replacement, end: tagEnd };
  const close = elementEnd.exec(input.slice(tagEnd));
  return close === null
    ? { text: '', end: Infinity }
    : { text: '\n', end: tagEnd + close.index + close[0].length };
}

/** Just past the `>` ending a start tag's attributes, or undefined when they are not well-formed. */
function startTagEnd(input: string, from: number): number | undefined {
  for (let index = from; index < input.length;) {
    const character = input.charAt(index);
    if (character === '>') return index + 1;
    if (character === '<') return undefined;
    if (
      (character === '"' || character === "'") &&
      BEFORE_ATTRIBUTE_VALUE.test(input.slice(from - 1, index))
    ) {
      const close = quotedEnd(input, index, character);
      if (close !== undefined) {
        index = close;
        continue;
      }
    }
    index++;
  }
  return undefined;
}

function quotedEnd(input: string, start: number, quote: string): number | undefined {
  for (let index = start + 1; index < input.length; index++) {
    if (input.charAt(index) === '\\' && input.charAt(index + 1) === quote) index++;
    else if (input.charAt(index) === quote) return index + 1;
  }
  return undefined;
}

/** `&name;`, `&#123;` or `&#x7B;`; the `;` may be missing only at the end of the input. */
function characterReference(input: string, start: number): Replacement | undefined {
  const numeric = numericReference(input, start);
  if (numeric !== undefined) {
    const high = numeric.codePoint;
    if (high >= 0xd800 && high <= 0xdbff && numeric.end < input.length) {
      const low = numericReference(input, numeric.end);
      if (low !== undefined && low.codePoint >= 0xdc00 && low.codePoint <= 0xdfff) {
        return { text: String.fromCharCode(high, low.codePoint), end: low.end };
      }
    }
    const surrogate = high >= 0xd800 && high <= 0xdfff;
    return {
      text: surrogate ? REPLACEMENT_CHARACTER : String.fromCodePoint(high),
      end: numeric.end,
    };
  }
  for (let length = Math.min(LONGEST_ENTITY_NAME, input.length - start - 1); length > 0; length--) {
    const character = HTML_ENTITIES.get(input.slice(start + 1, start + 1 + length));
    if (character === undefined) continue;
    // The longest name wins; if no `;` follows it, the reference is kept as written.
    const end = start + 1 + length;
    if (end === input.length) return { text: character, end };
    return input.charAt(end) === ';' ? { text: character, end: end + 1 } : undefined;
  }
  return undefined;
}

function numericReference(
  input: string,
  start: number,
): { codePoint: number; end: number } | undefined {
  // Lucene takes at most five hex digits (its length check counts the `x`) and seven decimal ones.
  const match = /^&#(?:[xX]([0-9a-fA-F]+)|([0-9]+))/.exec(input.slice(start, start + 64));
  if (match === null) return undefined;
  const digits = match[1] ?? match[2] ?? '';
  if (digits.length > (match[1] !== undefined ? 5 : 7)) return undefined;
  const codePoint = Number.parseInt(digits, match[1] !== undefined ? 16 : 10);
  const end = start + match[0].length;
  if (codePoint > 0x10ffff) return undefined;
  if (end === input.length) return { codePoint, end };
  return input.charAt(end) === ';' ? { codePoint, end: end + 1 } : undefined;
}
