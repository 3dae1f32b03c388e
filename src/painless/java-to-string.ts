/**
 * Java's string conversion (`String.valueOf`, string `+`, `StringBuilder.append`). Scripts build
 * JSON by concatenation, so these rules decide whether the output parses: `[1.0, 2.0]` for lists,
 * `1.0E10` for large doubles, `{a=1}` for maps.
 */
import { checkDeadline } from './deadline.js';
import { ScriptFault, limitReached } from './errors.js';
import {
  JavaDouble,
  JavaException,
  JavaStringBuilder,
  MapEntry,
  entryValue,
  isIntegralNumber,
  isMap,
} from './java-values.js';

/** Longest string a script may build; far above real payloads, far below what exhausts memory. */
export const MAX_STRING_LENGTH = 32 * 1024 * 1024;

/** Elements one conversion may print; bounds the work for shared structure (`a = [a, a]` repeated). */
const MAX_PRINTED_VALUES = 2_000_000;
/** How often (in printed values) a long conversion looks at the clock. */
const CLOCK_CHECK_INTERVAL = 4096;

/** Fails when a string a script is about to build would exceed `MAX_STRING_LENGTH`. */
export function checkStringLength(length: number): void {
  if (length > MAX_STRING_LENGTH) {
    throw limitReached(
      `string length ${length} exceeds the limit of ${MAX_STRING_LENGTH} characters`,
    );
  }
}

/** `Double.toString`: plain decimal in [1e-3, 1e7), otherwise `d.dddE±n`; shortest round-trip digits. */
export function doubleToString(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    // JS prints this range without an exponent and with the same shortest digits as Java 19+.
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  // toExponential() without an argument also yields the shortest round-trip digits.
  const [mantissa = '', exponent = ''] = value.toExponential().split('e');
  const javaMantissa = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${javaMantissa}E${exponent.replace('+', '')}`;
}

/** Java's string form of any interpreter value. */
export function javaToString(value: unknown): string {
  if (typeof value === 'string') return value;
  const writer = new JavaStringWriter();
  writer.write(value);
  return writer.text;
}

/**
 * Accumulates a Java string form. Appending to one string (a rope in V8) and checking the length
 * on every piece keeps a shared-structure blow-up (`a = [a, a]` forty times) cheap to reject.
 */
class JavaStringWriter {
  text = '';
  private readonly open = new Set<unknown>();
  private valuesLeft = MAX_PRINTED_VALUES;

  private append(piece: string): void {
    if (this.text.length + piece.length > MAX_STRING_LENGTH)
      checkStringLength(this.text.length + piece.length);
    this.text += piece;
  }

  write(value: unknown): void {
    if (--this.valuesLeft < 0)
      throw limitReached(`value has more than ${MAX_PRINTED_VALUES} elements to print`);
    if (this.valuesLeft % CLOCK_CHECK_INTERVAL === 0) checkDeadline();
    if (value === null || value === undefined) return this.append('null');
    switch (typeof value) {
      case 'string':
        return this.append(value);
      case 'boolean':
        return this.append(value ? 'true' : 'false');
      case 'number':
        // String(n) has no exponent below 1e21, which covers every long.
        return this.append(isIntegralNumber(value) ? String(value) : doubleToString(value));
      case 'bigint':
        return this.append(value.toString());
      default:
        break;
    }
    if (value instanceof JavaDouble) return this.append(doubleToString(value.value));
    if (value instanceof JavaStringBuilder) return this.append(value.text);
    if (value instanceof JavaException) {
      const name = `java.lang.${value.javaType}`;
      return this.append(value.message === null ? name : `${name}: ${value.message}`);
    }
    if (value instanceof MapEntry) {
      this.append(`${value.key}=`);
      return this.write(entryValue(value));
    }
    if (Array.isArray(value)) return this.writeList(value);
    if (isMap(value)) return this.writeMap(value);
    // Functions, symbols and class instances are never printed: their JS source is not the script's business.
    throw new ScriptFault(
      `cannot convert a value of unsupported type [${typeof value}] to a string`,
      'ClassCastException',
    );
  }

  private writeList(list: readonly unknown[]): void {
    // Java prints a collection that contains itself as "(this Collection)"; any cycle is handled the same way.
    if (this.open.has(list)) return this.append('(this Collection)');
    this.open.add(list);
    this.append('[');
    for (let index = 0; index < list.length; index++) {
      if (index > 0) this.append(', ');
      this.write(list[index]);
    }
    this.append(']');
    this.open.delete(list);
  }

  private writeMap(map: Readonly<Record<string, unknown>>): void {
    if (this.open.has(map)) return this.append('(this Map)');
    this.open.add(map);
    this.append('{');
    let first = true;
    for (const key of Object.keys(map)) {
      if (!first) this.append(', ');
      first = false;
      this.append(`${key}=`);
      this.write(map[key] ?? null);
    }
    this.append('}');
    this.open.delete(map);
  }
}
