/**
 * The static whitelist: `String.join`, `Integer.parseInt`, `Math.max`, ... , static constants and
 * constructors. Calls are resolved when the script is compiled, so a typo or a class outside the
 * whitelist (`System.exit`) is a compile error rather than something that might run.
 */
import { ScriptFault, classCast, nullPointer } from './errors.js';
import { javaEquals } from './java-equality.js';
import { javaToString } from './java-to-string.js';
import {
  JavaDouble,
  JavaException,
  JavaStringBuilder,
  isDouble,
  isIntegral,
  isMap,
  kindOf,
  makeDouble,
  mapSet,
  newMap,
} from './java-values.js';
import { castToType } from './java-types.js';
import {
  doubleArg,
  intArg,
  listArg,
  stringArg,
  type MethodTable,
  type MethodDefinition,
} from './method-support.js';
import { javaTrim, joinStrings } from './string-methods.js';

/** A static method or constructor: the receiver slot is unused. */
const fixed = (
  argCount: number,
  call: (args: readonly unknown[]) => unknown,
): MethodDefinition<null> => ({
  minArgs: argCount,
  maxArgs: argCount,
  call: (_receiver, args) => call(args),
});
const ranged = (
  minArgs: number,
  maxArgs: number,
  call: (args: readonly unknown[]) => unknown,
): MethodDefinition<null> => ({
  minArgs,
  maxArgs,
  call: (_receiver, args) => call(args),
});

const numberFormat = (input: string): ScriptFault =>
  new ScriptFault(`For input string: "${input}"`, 'NumberFormatException');

/** `Integer.parseInt` / `Long.parseLong`: sign and digits only, range-checked with BigInt. */
function parseIntegral(value: unknown, radixValue: unknown, bits: 32 | 64): number {
  if (value === null || value === undefined)
    throw new ScriptFault('Cannot parse null string: null', 'NumberFormatException');
  const text = stringArg(value);
  const radix = radixValue === undefined ? 10 : intArg(radixValue, 'radix');
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, radix);
  const body = text.replace(/^[+-]/, '');
  if (
    radix < 2 ||
    radix > 36 ||
    body === '' ||
    [...body.toLowerCase()].some((char) => !digits.includes(char))
  ) {
    throw numberFormat(text);
  }
  let magnitude = 0n;
  for (const char of body.toLowerCase())
    magnitude = magnitude * BigInt(radix) + BigInt(digits.indexOf(char));
  const parsed = text.startsWith('-') ? -magnitude : magnitude;
  if (BigInt.asIntN(bits, parsed) !== parsed) throw numberFormat(text);
  return Number(parsed);
}

/** `Double.parseDouble`: Java trims, accepts `NaN`, `Infinity` and a trailing `d`/`f`. */
function parseDecimal(value: unknown): number | JavaDouble {
  if (value === null || value === undefined) throw nullPointer('cannot parse null as a double');
  const text = javaTrim(stringArg(value));
  if (text === '') throw new ScriptFault('empty String', 'NumberFormatException');
  if (!/^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/.test(text))
    throw numberFormat(text);
  return makeDouble(Number(text.replace(/[fFdD]$/, '')));
}

/** Math functions keep ints as ints where Java has an int overload (`abs`, `min`, `max`). */
const sameKind = (
  args: readonly unknown[],
  compute: (...values: number[]) => number,
): number | JavaDouble => {
  const values = args.map((arg) => doubleArg(arg));
  const result = compute(...values);
  return args.some(isDouble) ? makeDouble(result) : result;
};
const toDouble = (compute: (...values: number[]) => number) => (args: readonly unknown[]) =>
  makeDouble(compute(...args.map((arg) => doubleArg(arg))));

/** Whitelisted static methods, by class. */
export const STATIC_METHODS = {
  String: {
    join: ranged(2, Infinity, ([delimiter, ...rest]) =>
      joinStrings(delimiter, rest.length === 1 && Array.isArray(rest[0]) ? listArg(rest[0]) : rest),
    ),
    valueOf: fixed(1, ([value]) => javaToString(value)),
  },
  Integer: {
    parseInt: ranged(1, 2, ([text, radix]) => parseIntegral(text, radix, 32)),
    valueOf: ranged(1, 2, ([value, radix]) =>
      typeof value === 'string' ? parseIntegral(value, radix, 32) : castToType('int', value),
    ),
    toString: fixed(1, ([value]) => javaToString(castToType('int', value))),
  },
  Long: {
    parseLong: ranged(1, 2, ([text, radix]) => parseIntegral(text, radix, 64)),
    valueOf: fixed(1, ([value]) =>
      typeof value === 'string' ? parseIntegral(value, undefined, 64) : castToType('long', value),
    ),
    toString: fixed(1, ([value]) => javaToString(castToType('long', value))),
  },
  Double: {
    parseDouble: fixed(1, ([text]) => parseDecimal(text)),
    valueOf: fixed(1, ([value]) =>
      typeof value === 'string' ? parseDecimal(value) : castToType('double', value),
    ),
    toString: fixed(1, ([value]) => javaToString(castToType('double', value))),
    isNaN: fixed(1, ([value]) => Number.isNaN(doubleArg(value))),
    isInfinite: fixed(1, ([value]) => Math.abs(doubleArg(value)) === Infinity),
  },
  Float: {
    parseFloat: fixed(1, ([text]) => parseDecimal(text)),
    valueOf: fixed(1, ([value]) =>
      typeof value === 'string' ? parseDecimal(value) : castToType('float', value),
    ),
  },
  Boolean: {
    parseBoolean: fixed(1, ([text]) => typeof text === 'string' && text.toLowerCase() === 'true'),
    valueOf: fixed(1, ([value]) =>
      typeof value === 'boolean'
        ? value
        : typeof value === 'string' && value.toLowerCase() === 'true',
    ),
    toString: fixed(1, ([value]) => javaToString(castToType('boolean', value))),
  },
  Objects: {
    equals: fixed(2, ([left, right]) => javaEquals(left, right)),
    isNull: fixed(1, ([value]) => value === null || value === undefined),
    nonNull: fixed(1, ([value]) => value !== null && value !== undefined),
  },
  Math: {
    abs: fixed(1, (args) => sameKind(args, Math.abs)),
    min: fixed(2, (args) => sameKind(args, Math.min)),
    max: fixed(2, (args) => sameKind(args, Math.max)),
    floor: fixed(1, toDouble(Math.floor)),
    ceil: fixed(1, toDouble(Math.ceil)),
    sqrt: fixed(1, toDouble(Math.sqrt)),
    cbrt: fixed(1, toDouble(Math.cbrt)),
    pow: fixed(2, toDouble(Math.pow)),
    exp: fixed(1, toDouble(Math.exp)),
    log: fixed(1, toDouble(Math.log)),
    log10: fixed(1, toDouble(Math.log10)),
    signum: fixed(1, toDouble(Math.sign)),
    // Java's round is floor(x + 0.5), which is what JS Math.round does; NaN becomes 0.
    round: fixed(1, ([value]) =>
      isIntegral(value) ? value : castToType('long', Math.round(doubleArg(value))),
    ),
  },
} satisfies Readonly<Record<string, MethodTable<null>>>;

/** Whitelisted static constants, by class. */
export const STATIC_FIELDS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  Integer: { MAX_VALUE: 2 ** 31 - 1, MIN_VALUE: -(2 ** 31) },
  Double: {
    MAX_VALUE: Number.MAX_VALUE,
    MIN_VALUE: Number.MIN_VALUE,
    POSITIVE_INFINITY: Infinity,
    NEGATIVE_INFINITY: -Infinity,
    NaN: Number.NaN,
  },
  Math: { PI: Math.PI, E: Math.E },
};

/** `new ArrayList(list)` copies; `new ArrayList(10)` takes a capacity, which means nothing here. */
function newList(args: readonly unknown[]): unknown[] {
  const [source] = args;
  if (args.length === 0 || isIntegral(source)) return [];
  return [...listArg(source, 'collection')];
}

function newHashMap(args: readonly unknown[]): Record<string, unknown> {
  const map = newMap();
  const [source] = args;
  if (args.length === 0 || isIntegral(source)) return map;
  if (!isMap(source)) throw classCast(`cannot copy a map from [${kindOf(source)}]`);
  for (const key of Object.keys(source)) mapSet(map, key, source[key] ?? null);
  return map;
}

function newStringBuilder(args: readonly unknown[]): JavaStringBuilder {
  const [initial] = args;
  if (args.length === 0 || isIntegral(initial)) return new JavaStringBuilder('');
  return new JavaStringBuilder(stringArg(initial, 'initial text'));
}

const newException = (javaType: string) =>
  ranged(0, 1, ([message]) => {
    if (message !== undefined && message !== null && typeof message !== 'string') {
      throw classCast(`exception message must be a String, not [${kindOf(message)}]`);
    }
    return new JavaException(javaType, message ?? null);
  });

const EXCEPTION_CONSTRUCTORS = Object.fromEntries(
  [
    'Exception',
    'RuntimeException',
    'IllegalArgumentException',
    'IllegalStateException',
    'UnsupportedOperationException',
    'NumberFormatException',
    'ArithmeticException',
  ].map((javaType) => [javaType, newException(javaType)]),
);

/** Whitelisted constructors, by class. */
export const CONSTRUCTORS = {
  ArrayList: ranged(0, 1, newList),
  HashMap: ranged(0, 1, newHashMap),
  LinkedHashMap: ranged(0, 1, newHashMap),
  StringBuilder: ranged(0, 1, newStringBuilder),
  ...EXCEPTION_CONSTRUCTORS,
} satisfies MethodTable<null>;

/** True for class names that have statics, so `Math.max(...)` is not read as a variable `Math`. */
export const isStaticClass = (name: string): boolean =>
  Object.hasOwn(STATIC_METHODS, name) || Object.hasOwn(STATIC_FIELDS, name);

/** The static method `className.name`, if whitelisted. */
export function findStaticMethod(
  className: string,
  name: string,
): MethodDefinition<null> | undefined {
  if (!Object.hasOwn(STATIC_METHODS, className)) return undefined;
  const table: MethodTable<null> = STATIC_METHODS[className as keyof typeof STATIC_METHODS];
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** The static constant `className.name`, if whitelisted. */
export function findStaticField(className: string, name: string): { value: unknown } | undefined {
  const fields = Object.hasOwn(STATIC_FIELDS, className) ? STATIC_FIELDS[className] : undefined;
  if (fields === undefined || !Object.hasOwn(fields, name)) return undefined;
  // Double constants are doubles even when integral (none are, but keep the invariant explicit).
  const value = fields[name];
  return { value: className === 'Double' && typeof value === 'number' ? makeDouble(value) : value };
}

/** The constructor of `className`, if whitelisted. */
export function findConstructor(className: string): MethodDefinition<null> | undefined {
  const table: MethodTable<null> = CONSTRUCTORS;
  return Object.hasOwn(table, className) ? table[className] : undefined;
}
