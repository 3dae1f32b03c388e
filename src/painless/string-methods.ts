/**
 * Whitelisted `java.lang.String` methods. Indexes are UTF-16 code units, as in Java.
 */
import { ScriptFault, indexOutOfBounds } from './errors.js';
import { javaEquals } from './java-equality.js';
import { javaMatches, javaReplace, javaSplit } from './java-regex.js';
import { checkStringLength, javaToString } from './java-to-string.js';
import {
  checkRange,
  intArg,
  method,
  methodRange,
  stringArg,
  type MethodTable,
} from './method-support.js';

/** Java's `trim` strips every char up to U+0020 (JS `trim` strips Unicode spaces instead). */
export function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

/** `String.compareTo`: first differing UTF-16 unit, else the length difference. */
export function compareStrings(left: string, right: string): number {
  const shared = Math.min(left.length, right.length);
  for (let index = 0; index < shared; index++) {
    const difference = left.charCodeAt(index) - right.charCodeAt(index);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/** `indexOf(String)` or `indexOf(int ch)`: an int argument is a character code. */
const searchText = (value: unknown): string =>
  typeof value === 'number' ? String.fromCharCode(intArg(value)) : stringArg(value);

/** `String.hashCode`, so scripts bucketing by hash get Java's numbers. */
function javaHashCode(text: string): number {
  let hash = 0;
  for (let index = 0; index < text.length; index++)
    hash = (Math.imul(hash, 31) + text.charCodeAt(index)) | 0;
  return hash;
}

/** Whitelisted `java.lang.String` methods (plus Painless's `getLength`). */
export const STRING_METHODS = {
  length: method(0, (text) => text.length),
  isEmpty: method(0, (text) => text.length === 0),
  isBlank: method(0, (text) => javaTrim(text).length === 0),
  charAt: method(1, (text, [index]) => {
    const at = intArg(index, 'index');
    if (at < 0 || at >= text.length)
      throw indexOutOfBounds(at, text.length, 'StringIndexOutOfBoundsException');
    return text.charAt(at);
  }),
  substring: methodRange(1, 2, (text, [begin, end]) => {
    const from = intArg(begin, 'beginIndex');
    const to = end === undefined ? text.length : intArg(end, 'endIndex');
    checkRange(from, to, text.length);
    return text.slice(from, to);
  }),
  indexOf: methodRange(1, 2, (text, [target, from]) =>
    text.indexOf(
      searchText(target),
      from === undefined ? 0 : Math.max(0, intArg(from, 'fromIndex')),
    ),
  ),
  lastIndexOf: methodRange(1, 2, (text, [target, from]) =>
    from === undefined
      ? text.lastIndexOf(searchText(target))
      : lastIndexFrom(text, searchText(target), intArg(from)),
  ),
  contains: method(1, (text, [target]) => text.includes(stringArg(target))),
  startsWith: methodRange(1, 2, (text, [prefix, offset]) =>
    text.startsWith(stringArg(prefix), offset === undefined ? 0 : intArg(offset, 'offset')),
  ),
  endsWith: method(1, (text, [suffix]) => text.endsWith(stringArg(suffix))),
  equals: method(1, (text, [other]) => javaEquals(text, other)),
  equalsIgnoreCase: method(
    1,
    (text, [other]) =>
      typeof other === 'string' &&
      text.length === other.length &&
      text.toUpperCase() === other.toUpperCase(),
  ),
  compareTo: method(1, (text, [other]) => compareStrings(text, stringArg(other))),
  compareToIgnoreCase: method(1, (text, [other]) =>
    compareStrings(text.toUpperCase().toLowerCase(), stringArg(other).toUpperCase().toLowerCase()),
  ),
  concat: method(1, (text, [other]) => {
    const suffix = stringArg(other);
    checkStringLength(text.length + suffix.length);
    return text + suffix;
  }),
  // Java `replace` is literal and replaces every occurrence; a function replacement keeps `$&` literal.
  replace: method(2, (text, [target, replacement]) => {
    const literal = stringArg(replacement);
    const result = text.replaceAll(stringArg(target), () => literal);
    checkStringLength(result.length);
    return result;
  }),
  replaceAll: method(2, (text, [regex, replacement]) =>
    javaReplace(text, stringArg(regex), stringArg(replacement), false),
  ),
  replaceFirst: method(2, (text, [regex, replacement]) =>
    javaReplace(text, stringArg(regex), stringArg(replacement), true),
  ),
  matches: method(1, (text, [regex]) => javaMatches(text, stringArg(regex))),
  split: methodRange(1, 2, (text, [regex, limit]) =>
    javaSplit(text, stringArg(regex), limit === undefined ? 0 : intArg(limit, 'limit')),
  ),
  trim: method(0, (text) => javaTrim(text)),
  strip: method(0, (text) => text.trim()),
  toLowerCase: method(0, (text) => text.toLowerCase()),
  toUpperCase: method(0, (text) => text.toUpperCase()),
  toCharArray: method(0, (text) => text.split('')),
  hashCode: method(0, (text) => javaHashCode(text)),
  toString: method(0, (text) => text),
  // Painless augmentation methods on String.
  getLength: method(0, (text) => text.length),
} satisfies MethodTable<string>;

function lastIndexFrom(text: string, target: string, from: number): number {
  if (from < 0) return -1;
  return text.lastIndexOf(target, from);
}

/** `String.join(delimiter, elements)`: elements must be strings (or null, printed `null`). */
export function joinStrings(delimiter: unknown, elements: readonly unknown[]): string {
  const separator = stringArg(delimiter, 'delimiter');
  const texts = elements.map((element) => {
    if (element === null || element === undefined) return 'null';
    if (typeof element !== 'string') {
      throw new ScriptFault(
        `String.join needs String elements, found [${javaToString(element)}]`,
        'ClassCastException',
      );
    }
    return element;
  });
  checkStringLength(texts.reduce((total, text) => total + text.length + separator.length, 0));
  return texts.join(separator);
}
