/**
 * The Java types a script may name (declarations, casts, `instanceof`, `catch`), and what naming
 * them does to a value: `int x = 1.5` fails, `double d = 1` widens, `(int) 2.7` truncates.
 */
import { classCast, nullPointer } from './errors.js';
import {
  JavaException,
  JavaStringBuilder,
  MapEntry,
  isDouble,
  isInt32,
  isIntegral,
  isList,
  isMap,
  isNumber,
  kindOf,
  makeDouble,
  numberValue,
} from './java-values.js';

const INTEGRAL_PRIMITIVES = new Set(['byte', 'short', 'int', 'long', 'char']);
const PRIMITIVES = new Set([...INTEGRAL_PRIMITIVES, 'float', 'double', 'boolean']);

/** Exception classes scripts may create, throw and catch, with their superclass. */
const EXCEPTION_PARENTS: Readonly<Record<string, string>> = {
  Exception: 'Throwable',
  RuntimeException: 'Exception',
  IllegalArgumentException: 'RuntimeException',
  NumberFormatException: 'IllegalArgumentException',
  PatternSyntaxException: 'IllegalArgumentException',
  IllegalStateException: 'RuntimeException',
  NullPointerException: 'RuntimeException',
  ArithmeticException: 'RuntimeException',
  ClassCastException: 'RuntimeException',
  UnsupportedOperationException: 'RuntimeException',
  IndexOutOfBoundsException: 'RuntimeException',
  StringIndexOutOfBoundsException: 'IndexOutOfBoundsException',
  ArrayIndexOutOfBoundsException: 'IndexOutOfBoundsException',
};

/** Reference types, each with its instance test. */
const REFERENCE_TYPES: Readonly<Record<string, (value: unknown) => boolean>> = {
  def: (value) => value !== null,
  Object: (value) => value !== null,
  String: (value) => typeof value === 'string',
  CharSequence: (value) => typeof value === 'string' || value instanceof JavaStringBuilder,
  StringBuilder: (value) => value instanceof JavaStringBuilder,
  Map: isMap,
  HashMap: isMap,
  LinkedHashMap: isMap,
  'Map.Entry': (value) => value instanceof MapEntry,
  List: isList,
  ArrayList: isList,
  Collection: isList,
  Iterable: isList,
  Number: isNumber,
  Integer: isInt32,
  Short: isInt32,
  Byte: isInt32,
  // Longs and ints share one representation, so every integral value is a Long too.
  Long: isIntegral,
  Double: isDouble,
  Float: isDouble,
  Boolean: (value) => typeof value === 'boolean',
  Character: () => false,
};

const baseType = (type: string): string => type.replace(/(\[\])+$/, '');
const isArrayType = (type: string): boolean => type.endsWith('[]');

/** True for every type name a script may write (`void` only where `allowVoid`). */
export function isKnownType(type: string, allowVoid = false): boolean {
  const base = baseType(type);
  if (base === 'void') return allowVoid && !isArrayType(type);
  return (
    PRIMITIVES.has(base) ||
    Object.hasOwn(REFERENCE_TYPES, base) ||
    Object.hasOwn(EXCEPTION_PARENTS, base)
  );
}

/** True for the names that are only types, never variables (used to spot declarations and casts). */
export const isTypeKeyword = (name: string): boolean => isKnownType(name) || name === 'void';

/** True when an exception of `javaType` is caught by `catch (catchType e)`. */
export function isExceptionSubtype(javaType: string, catchType: string): boolean {
  for (
    let current: string | undefined = javaType;
    current !== undefined;
    current = EXCEPTION_PARENTS[current]
  ) {
    if (current === catchType) return true;
  }
  return false;
}

/** `value instanceof type`. */
export function isInstanceOf(value: unknown, type: string): boolean {
  if (value === null || value === undefined) return false;
  if (isArrayType(type)) return isList(value);
  const base = baseType(type);
  if (value instanceof JavaException)
    return isExceptionSubtype(value.javaType, base) || base === 'Object' || base === 'def';
  const test = REFERENCE_TYPES[base];
  if (test !== undefined && Object.hasOwn(REFERENCE_TYPES, base)) return test(value);
  return false;
}

/** The value a variable of `type` holds after `x = value` (or `x op= value` when `compound`). */
export function coerceToType(type: string, value: unknown, compound: boolean): unknown {
  const current = value ?? null;
  if (type === 'def' || type === 'Object') return current;
  if (PRIMITIVES.has(type)) {
    if (current === null)
      throw nullPointer(`cannot assign null to a variable of primitive type [${type}]`);
    // Only explicit casts read a one-character string as a char code; `int x = 'a'` is a type error.
    if (typeof current === 'string' && type !== 'char')
      throw classCast(`cannot cast [String] to [${type}]`);
    // Compound assignment narrows implicitly in Java (`int i; i += 1.5`); plain assignment must not lose precision.
    if (compound || !(isDouble(current) && INTEGRAL_PRIMITIVES.has(type)))
      return castToType(type, current);
    throw classCast(`cannot cast [double] to [${type}]`);
  }
  if (current === null || isInstanceOf(current, type)) return current;
  throw classCast(`cannot cast [${kindOf(current)}] to [${type}]`);
}

/** An explicit cast `(type) value`. */
export function castToType(type: string, value: unknown): unknown {
  const current = value ?? null;
  if (!PRIMITIVES.has(type)) {
    if (current === null || type === 'def' || type === 'Object' || isInstanceOf(current, type))
      return current;
    throw classCast(`cannot cast [${kindOf(current)}] to [${type}]`);
  }
  if (current === null) throw nullPointer(`cannot cast null to primitive type [${type}]`);
  if (type === 'boolean') {
    if (typeof current === 'boolean') return current;
    throw classCast(`cannot cast [${kindOf(current)}] to [boolean]`);
  }
  // A one-character string stands for a char (Painless writes char constants as 'a').
  const source =
    typeof current === 'string' && current.length === 1 ? current.charCodeAt(0) : current;
  if (!isNumber(source)) throw classCast(`cannot cast [${kindOf(current)}] to [${type}]`);
  const number = numberValue(source);
  switch (type) {
    case 'double':
    case 'float':
      return makeDouble(number);
    case 'long':
      return truncateToLong(number);
    case 'char':
      return String.fromCharCode(truncateToLong(number) & 0xffff);
    default: {
      // int, short, byte: Java clamps doubles to the int range, then wraps to the narrower width.
      const asInt = isDouble(source) ? clampToInt(number) : number | 0;
      if (type === 'short') return (asInt << 16) >> 16;
      if (type === 'byte') return (asInt << 24) >> 24;
      return asInt;
    }
  }
}

function clampToInt(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.trunc(value))) + 0; // + 0: no negative zero
}

function truncateToLong(value: number): number {
  if (Number.isNaN(value)) return 0;
  const truncated = Math.trunc(value);
  // Long.MAX_VALUE is not a double; 2^63 - 1024 is the largest double below it. `+ 0` drops the -0 of trunc(-0.5).
  return Math.max(-(2 ** 63), Math.min(2 ** 63 - 1024, truncated)) + 0;
}
