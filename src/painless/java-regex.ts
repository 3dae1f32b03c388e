/**
 * `String.split`, `replaceAll`, `replaceFirst` and `matches` with `java.util.regex` semantics on
 * top of JS RegExp. The pattern syntax of everyday patterns (`\\s+`, `,`, `\\|`, `[a-z]+`) is the
 * same in both; Java's leading inline flags (`(?i)`) are translated; anything JS rejects is a
 * `PatternSyntaxException`. What differs is the algorithm around matches, reproduced here.
 */
import { ScriptFault } from './errors.js';
import { checkStringLength } from './java-to-string.js';

const compiled = new Map<string, RegExp>();
const MAX_CACHED_PATTERNS = 256;

/** Compiles (and caches) a Java pattern as a global JS RegExp; `anchored` requires a whole-input match. */
function compile(pattern: string, anchored = false): RegExp {
  const key = anchored ? `whole:${pattern}` : `find:${pattern}`;
  const cached = compiled.get(key);
  if (cached !== undefined) {
    cached.lastIndex = 0;
    return cached;
  }
  let source = pattern;
  let flags = 'g';
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline?.[1] !== undefined) {
    flags += inline[1];
    source = source.slice(inline[0].length);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(anchored ? `^(?:${source})$` : source, flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScriptFault(
      `invalid regular expression [${pattern}]: ${reason}`,
      'PatternSyntaxException',
    );
  }
  if (compiled.size >= MAX_CACHED_PATTERNS) compiled.clear();
  compiled.set(key, regex);
  return regex;
}

/** Every match, advancing past empty matches as `Matcher.find` does. */
function* findAll(regex: RegExp, input: string): Generator<RegExpExecArray> {
  regex.lastIndex = 0;
  for (let match = regex.exec(input); match !== null; match = regex.exec(input)) {
    if (match[0] === '') regex.lastIndex++;
    yield match;
    if (regex.lastIndex > input.length) return;
  }
}

/** `String.split(regex, limit)`: no leading empty string for a zero-width match at 0; trailing empties dropped when limit is 0. */
export function javaSplit(input: string, pattern: string, limit = 0): string[] {
  const parts: string[] = [];
  let index = 0;
  let matched = false;
  for (const match of findAll(compile(pattern), input)) {
    if (limit > 0 && parts.length >= limit - 1) break;
    const start = match.index;
    const end = start + match[0].length;
    if (start === 0 && end === 0) continue;
    parts.push(input.slice(index, start));
    index = end;
    matched = true;
  }
  if (!matched) return [input];
  parts.push(input.slice(index));
  if (limit === 0) {
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  }
  return parts;
}

/** Expands a Java replacement string (`$1`, `${name}`, `\$`) for one match. */
function expandReplacement(replacement: string, match: RegExpExecArray): string {
  let result = '';
  for (let offset = 0; offset < replacement.length; offset++) {
    const char = replacement[offset];
    if (char === '\\') {
      offset++;
      if (offset >= replacement.length)
        throw new ScriptFault('character to be escaped is missing', 'IllegalArgumentException');
      result += replacement[offset];
    } else if (char === '$') {
      const named = /^\{([A-Za-z][A-Za-z0-9]*)\}/.exec(replacement.slice(offset + 1));
      const numbered = /^[0-9]+/.exec(replacement.slice(offset + 1));
      if (named?.[1] !== undefined) {
        const group = match.groups?.[named[1]];
        if (match.groups === undefined || !Object.hasOwn(match.groups, named[1])) {
          throw new ScriptFault(`No group with name {${named[1]}}`, 'IllegalArgumentException');
        }
        result += group ?? '';
        offset += named[0].length;
      } else if (numbered !== null) {
        // Java takes the longest group number that exists, one digit at a time.
        let digits = numbered[0].slice(0, 1);
        for (const digit of numbered[0].slice(1)) {
          if (Number(digits + digit) < match.length) digits += digit;
          else break;
        }
        const group = Number(digits);
        if (group >= match.length)
          throw new ScriptFault(`No group ${group}`, 'IndexOutOfBoundsException');
        result += match[group] ?? '';
        offset += digits.length;
      } else {
        throw new ScriptFault('Illegal group reference', 'IllegalArgumentException');
      }
    } else {
      result += char;
    }
  }
  return result;
}

/** `String.replaceAll` / `replaceFirst`. */
export function javaReplace(
  input: string,
  pattern: string,
  replacement: string,
  firstOnly: boolean,
): string {
  let result = '';
  let index = 0;
  for (const match of findAll(compile(pattern), input)) {
    result += input.slice(index, match.index) + expandReplacement(replacement, match);
    checkStringLength(result.length);
    index = match.index + match[0].length;
    if (firstOnly) break;
  }
  return result + input.slice(index);
}

/** `String.matches`: the whole input must match. */
export function javaMatches(input: string, pattern: string): boolean {
  return compile(pattern, true).test(input);
}
