/**
 * How Java values live inside the interpreter. Plain JS values are used wherever they carry the
 * Java type unambiguously, so documents passed in by callers are read and mutated in place:
 * - `null` (and a missing `undefined`) is Java `null`; strings, booleans are themselves;
 * - a JS number that is integral (and inside the long range) is an int/long, any other number is
 *   a double; a double whose value happens to be integral (`1.0`) is a `JavaDouble` wrapper, which
 *   is unwrapped when values leave the interpreter;
 * - arrays are `List`s, plain objects (prototype `Object.prototype` or `null`) are `Map`s;
 * - a few small classes stand for the remaining whitelisted Java objects.
 */
import { ScriptFault } from './errors.js';

/** A Java double whose value is integral (`1.0`, `-0.0`, `1.0E10`); other doubles are plain numbers. */
export class JavaDouble {
  constructor(readonly value: number) {}
}

/** `java.lang.StringBuilder`: mutable text. */
export class JavaStringBuilder {
  constructor(public text: string) {}
}

/** `Map.Entry` from `entrySet()`: reads and writes through to its map, as a HashMap entry does. */
export class MapEntry {
  constructor(
    readonly map: PainlessMap,
    readonly key: string,
  ) {}
}

/** An exception object created by `new XException(message)` or caught by `catch`. */
export class JavaException {
  constructor(
    readonly javaType: string,
    readonly message: string | null,
  ) {}
}

/** A Java map: string keys, any values. */
export type PainlessMap = Record<string, unknown>;

/** Integral JS numbers at or above 2^63 cannot be longs, so they are doubles. */
const LONG_RANGE = 2 ** 63;
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** True when a plain JS number stands for a Java int or long. */
export const isIntegralNumber = (value: number): boolean =>
  Number.isInteger(value) && value >= -LONG_RANGE && value < LONG_RANGE;

/** Wraps a double result so that an integral value keeps printing as a double (`2.0`). */
export const makeDouble = (value: number): number | JavaDouble =>
  isIntegralNumber(value) ? new JavaDouble(value) : value;

/** Any Java number. */
export const isNumber = (value: unknown): value is number | JavaDouble =>
  typeof value === 'number' || value instanceof JavaDouble;

/** A Java int or long. */
export const isIntegral = (value: unknown): value is number =>
  typeof value === 'number' && isIntegralNumber(value);

/** A Java int (inside the 32-bit range). */
export const isInt32 = (value: unknown): value is number =>
  isIntegral(value) && value >= INT_MIN && value <= INT_MAX;

/** A Java double (or float). */
export const isDouble = (value: unknown): boolean =>
  value instanceof JavaDouble || (typeof value === 'number' && !isIntegralNumber(value));

/** The JS number behind any Java number. */
export const numberValue = (value: number | JavaDouble): number =>
  typeof value === 'number' ? value : value.value;

/** A Java List. */
export const isList = (value: unknown): value is unknown[] => Array.isArray(value);

/** A Java Map: only plain objects, so class instances and functions never pass as maps. */
export function isMap(value: unknown): value is PainlessMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
}

/** A new, empty map. The null prototype keeps keys like `constructor` ordinary keys. */
export const newMap = (): PainlessMap => Object.create(null) as PainlessMap;

/** Reads a key; inherited properties (`constructor`, `__proto__`) are never visible. */
export const mapGet = (map: PainlessMap, key: string): unknown =>
  Object.hasOwn(map, key) ? (map[key] ?? null) : null;

/** True when the map holds the key, even with a null value. */
export const mapHas = (map: PainlessMap, key: string): boolean => Object.hasOwn(map, key);

/** Writes a key; `defineProperty` so that `__proto__` is stored as data, never as a prototype. */
export function mapSet(map: PainlessMap, key: string, value: unknown): void {
  try {
    Object.defineProperty(map, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } catch {
    throw new ScriptFault(
      `map is read-only; cannot put key [${key}]`,
      'UnsupportedOperationException',
    );
  }
}

/** The Java class name a value reports in messages and dispatches methods on. */
export type ValueKind =
  | 'null'
  | 'String'
  | 'Boolean'
  | 'Integer'
  | 'Long'
  | 'Double'
  | 'List'
  | 'Map'
  | 'StringBuilder'
  | 'Map.Entry'
  | 'Exception'
  | 'Unsupported';

/** Classifies a value as the Java type it stands for. */
export function kindOf(value: unknown): ValueKind {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'number':
      if (!isIntegralNumber(value)) return 'Double';
      return isInt32(value) ? 'Integer' : 'Long';
    default:
      break;
  }
  if (value instanceof JavaDouble) return 'Double';
  if (Array.isArray(value)) return 'List';
  if (value instanceof JavaStringBuilder) return 'StringBuilder';
  if (value instanceof MapEntry) return 'Map.Entry';
  if (value instanceof JavaException) return 'Exception';
  if (isMap(value)) return 'Map';
  return 'Unsupported';
}

/** Reads the current value behind a map entry. */
export const entryValue = (entry: MapEntry): unknown => mapGet(entry.map, entry.key);
