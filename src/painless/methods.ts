/**
 * The instance-method whitelist: for each receiver type, the methods a script may call. Anything
 * not in this table fails with an error naming it, so no JS method is ever reachable.
 */
import { LIST_METHODS, MAP_METHODS } from './collection-methods.js';
import { ScriptFault, nullPointer } from './errors.js';
import { javaEquals } from './java-equality.js';
import { checkStringLength, javaToString } from './java-to-string.js';
import {
  JavaDouble,
  JavaException,
  JavaStringBuilder,
  MapEntry,
  entryValue,
  kindOf,
  makeDouble,
  mapSet,
  numberValue,
  type PainlessMap,
  type ValueKind,
} from './java-values.js';
import { castToType } from './java-types.js';
import {
  checkArity,
  checkRange,
  findMethod,
  intArg,
  method,
  type MethodDefinition,
  type MethodTable,
} from './method-support.js';
import { STRING_METHODS } from './string-methods.js';

function appendText(
  builder: JavaStringBuilder,
  text: string,
  at = builder.text.length,
): JavaStringBuilder {
  checkStringLength(builder.text.length + text.length);
  builder.text = builder.text.slice(0, at) + text + builder.text.slice(at);
  return builder;
}

const STRING_BUILDER_METHODS = {
  append: method(1, (builder, [value]) => appendText(builder, javaToString(value))),
  insert: method(2, (builder, [offset, value]) => {
    const at = intArg(offset, 'offset');
    checkRange(at, at, builder.text.length);
    return appendText(builder, javaToString(value), at);
  }),
  length: method(0, (builder) => builder.text.length),
  isEmpty: method(0, (builder) => builder.text.length === 0),
  charAt: method(1, (builder, [index]) => STRING_METHODS.charAt.call(builder.text, [index])),
  indexOf: method(1, (builder, [target]) => STRING_METHODS.indexOf.call(builder.text, [target])),
  setLength: method(1, (builder, [length]) => {
    const size = intArg(length, 'length');
    if (size < 0)
      throw new ScriptFault(`length ${size} is negative`, 'StringIndexOutOfBoundsException');
    checkStringLength(size);
    builder.text = builder.text.slice(0, size).padEnd(size, '\0');
    return null;
  }),
  deleteCharAt: method(1, (builder, [index]) => {
    STRING_METHODS.charAt.call(builder.text, [index]);
    const at = intArg(index);
    builder.text = builder.text.slice(0, at) + builder.text.slice(at + 1);
    return builder;
  }),
  reverse: method(0, (builder) => {
    builder.text = [...builder.text].reverse().join('');
    return builder;
  }),
  // Annotated: for a key named toString, TS takes the contextual type from Object.prototype.
  toString: method(0, (builder: JavaStringBuilder) => builder.text),
  equals: method(1, (builder, [other]) => builder === other),
} satisfies MethodTable<JavaStringBuilder>;

const MAP_ENTRY_METHODS = {
  getKey: method(0, (entry) => entry.key),
  getValue: method(0, (entry) => entryValue(entry)),
  setValue: method(1, (entry, [value]) => {
    const previous = entryValue(entry);
    mapSet(entry.map, entry.key, value);
    return previous;
  }),
  equals: method(1, (entry, [other]) => javaEquals(entry, other)),
  toString: method(0, (entry) => javaToString(entry)),
} satisfies MethodTable<MapEntry>;

const NUMBER_METHODS = {
  intValue: method(0, (number) => castToType('int', number)),
  longValue: method(0, (number) => castToType('long', number)),
  doubleValue: method(0, (number) => makeDouble(numberValue(number))),
  floatValue: method(0, (number) => makeDouble(numberValue(number))),
  isNaN: method(0, (number) => Number.isNaN(numberValue(number))),
  isInfinite: method(0, (number) => Math.abs(numberValue(number)) === Infinity),
  compareTo: method(1, (number, [other]) => {
    const difference =
      numberValue(number) - numberValue(castToType('double', other) as number | JavaDouble);
    return Math.sign(difference);
  }),
  equals: method(1, (number, [other]) => javaEquals(number, other)),
  toString: method(0, (number) => javaToString(number)),
} satisfies MethodTable<number | JavaDouble>;

const BOOLEAN_METHODS = {
  booleanValue: method(0, (value) => value),
  compareTo: method(1, (value, [other]) => Number(value) - Number(castToType('boolean', other))),
  equals: method(1, (value, [other]) => value === other),
  toString: method(0, (value) => javaToString(value)),
} satisfies MethodTable<boolean>;

const EXCEPTION_METHODS = {
  getMessage: method(0, (exception) => exception.message),
  toString: method(0, (exception) => javaToString(exception)),
  equals: method(1, (exception, [other]) => exception === other),
} satisfies MethodTable<JavaException>;

/** Receiver types that have methods, mapped to their JS representation. */
interface ReceiverTypes {
  String: string;
  List: unknown[];
  Map: PainlessMap;
  StringBuilder: JavaStringBuilder;
  'Map.Entry': MapEntry;
  Number: number | JavaDouble;
  Boolean: boolean;
  Exception: JavaException;
}

/** The whitelist, by receiver type. */
export const METHODS = {
  String: STRING_METHODS,
  List: LIST_METHODS,
  Map: MAP_METHODS,
  StringBuilder: STRING_BUILDER_METHODS,
  'Map.Entry': MAP_ENTRY_METHODS,
  Number: NUMBER_METHODS,
  Boolean: BOOLEAN_METHODS,
  Exception: EXCEPTION_METHODS,
} satisfies { readonly [Kind in keyof ReceiverTypes]: MethodTable<ReceiverTypes[Kind]> };

function receiverType(kind: ValueKind): keyof ReceiverTypes | null {
  switch (kind) {
    case 'Integer':
    case 'Long':
    case 'Double':
      return 'Number';
    case 'null':
    case 'Unsupported':
      return null;
    default:
      return kind;
  }
}

/** Calls a whitelisted method on a receiver, or fails naming the method. */
export function invokeMethod(receiver: unknown, name: string, args: readonly unknown[]): unknown {
  const kind = kindOf(receiver);
  if (kind === 'null') throw nullPointer(`cannot call method [${name}] on null`);
  const type = receiverType(kind);
  const table: MethodTable<never> | undefined = type === null ? undefined : METHODS[type];
  const definition: MethodDefinition<never> | undefined = table && findMethod(table, name);
  if (definition === undefined) {
    throw new ScriptFault(
      `method [${name}] with ${args.length} argument${args.length === 1 ? '' : 's'} is not allowed on [${type ?? kind}]`,
      'IllegalArgumentException',
    );
  }
  checkArity(definition, args.length, `${type}.${name}`);
  return definition.call(receiver as never, args);
}
