/**
 * The shape of a whitelisted method and the argument checks every method shares. Arguments
 * arrive as untyped interpreter values (Painless's `def`), so each method converts and checks
 * them the way the Java signature would.
 */
import { ScriptFault, classCast, nullPointer } from './errors.js';
import { JavaStringBuilder, isIntegral, isNumber, kindOf, numberValue } from './java-values.js';

/** One whitelisted method: how many arguments it takes and what it does. */
export interface MethodDefinition<Receiver> {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly call: (receiver: Receiver, args: readonly unknown[]) => unknown;
}

/** All methods of one receiver type, by name. */
export type MethodTable<Receiver> = Readonly<Record<string, MethodDefinition<Receiver>>>;

/** Shorthand for a method with a fixed argument count. */
export const method = <Receiver>(
  argCount: number,
  call: (receiver: Receiver, args: readonly unknown[]) => unknown,
): MethodDefinition<Receiver> => ({ minArgs: argCount, maxArgs: argCount, call });

/** Shorthand for a method taking `minArgs` to `maxArgs` arguments. */
export const methodRange = <Receiver>(
  minArgs: number,
  maxArgs: number,
  call: (receiver: Receiver, args: readonly unknown[]) => unknown,
): MethodDefinition<Receiver> => ({ minArgs, maxArgs, call });

/** Looks a method up without ever reaching `Object.prototype`. */
export function findMethod<Receiver>(
  table: MethodTable<Receiver>,
  name: string,
): MethodDefinition<Receiver> | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** Fails unless the method accepts `count` arguments. */
export function checkArity(
  definition: { minArgs: number; maxArgs: number },
  count: number,
  label: string,
): void {
  if (count < definition.minArgs || count > definition.maxArgs) {
    throw new ScriptFault(
      `method [${label}] does not take ${count} argument${count === 1 ? '' : 's'}`,
      'IllegalArgumentException',
    );
  }
}

/** An `int` argument (index, count, radix). */
export function intArg(value: unknown, what = 'argument'): number {
  if (value === null || value === undefined) throw nullPointer(`${what} is null`);
  if (!isIntegral(value)) throw classCast(`${what} must be an int, not [${kindOf(value)}]`);
  return value;
}

/** A `double` argument; ints widen. */
export function doubleArg(value: unknown, what = 'argument'): number {
  if (value === null || value === undefined) throw nullPointer(`${what} is null`);
  if (!isNumber(value)) throw classCast(`${what} must be a number, not [${kindOf(value)}]`);
  return numberValue(value);
}

/** A `String`/`CharSequence` argument; a StringBuilder counts, null does not. */
export function stringArg(value: unknown, what = 'argument'): string {
  if (value === null || value === undefined) throw nullPointer(`${what} is null`);
  if (typeof value === 'string') return value;
  if (value instanceof JavaStringBuilder) return value.text;
  throw classCast(`${what} must be a String, not [${kindOf(value)}]`);
}

/** A `java.util.List`/`Collection` argument. */
export function listArg(value: unknown, what = 'argument'): readonly unknown[] {
  if (value === null || value === undefined) throw nullPointer(`${what} is null`);
  if (!Array.isArray(value)) throw classCast(`${what} must be a List, not [${kindOf(value)}]`);
  return value;
}

/** Fails with Java's `StringIndexOutOfBoundsException` wording unless `begin..end` fits `length`. */
export function checkRange(begin: number, end: number, length: number): void {
  if (begin < 0 || end > length || begin > end) {
    throw new ScriptFault(
      `begin ${begin}, end ${end}, length ${length}`,
      'StringIndexOutOfBoundsException',
    );
  }
}
