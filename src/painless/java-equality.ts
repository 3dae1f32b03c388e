/**
 * Equality as Painless has it: `==` compares values (numbers after promotion, strings by content,
 * collections element by element) and `.equals()` follows Java's `equals`, where `Integer(1)` and
 * `Double(1.0)` differ.
 */
import { checkDeadline } from './deadline.js';
import { limitReached } from './errors.js';
import {
  JavaDouble,
  JavaStringBuilder,
  MapEntry,
  entryValue,
  isDouble,
  isMap,
  isNumber,
  mapGet,
  mapHas,
  numberValue,
} from './java-values.js';

/** Element comparisons one `equals` may make; shared structure could otherwise make it exponential. */
const MAX_COMPARISONS = 2_000_000;

/** Java `a.equals(b)` (with `null.equals` treated as `a == null`). */
export function javaEquals(left: unknown, right: unknown): boolean {
  return equalsWithin(left, right, { remaining: MAX_COMPARISONS });
}

/** Painless `==`: numbers compare by value across int and double, everything else by `equals`. */
export function painlessEquals(left: unknown, right: unknown): boolean {
  if (isNumber(left) && isNumber(right)) return numberValue(left) === numberValue(right);
  return javaEquals(left, right);
}

/** Painless `===`: identity for objects, value for immutable values (their identity is not observable here). */
export function identityEquals(left: unknown, right: unknown): boolean {
  if (isNumber(left) && isNumber(right)) {
    return isDouble(left) === isDouble(right) && numberValue(left) === numberValue(right);
  }
  return (left ?? null) === (right ?? null);
}

function equalsWithin(left: unknown, right: unknown, budget: { remaining: number }): boolean {
  if (--budget.remaining < 0) throw limitReached('equality check compared too many elements');
  if (budget.remaining % 4096 === 0) checkDeadline();
  const a = left ?? null;
  const b = right ?? null;
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (isNumber(a) && isNumber(b)) {
    // Java: same boxed class, then Double.equals compares bits (NaN equals NaN, 0.0 differs from -0.0).
    if (isDouble(a) !== isDouble(b)) return false;
    return isDouble(a)
      ? Object.is(numberValue(a), numberValue(b))
      : numberValue(a) === numberValue(b);
  }
  if (a instanceof JavaDouble || b instanceof JavaDouble) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return (
      a.length === b.length && a.every((element, index) => equalsWithin(element, b[index], budget))
    );
  }
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every(
      (key) => mapHas(b, key) && equalsWithin(mapGet(a, key), mapGet(b, key), budget),
    );
  }
  if (a instanceof MapEntry && b instanceof MapEntry) {
    return a.key === b.key && equalsWithin(entryValue(a), entryValue(b), budget);
  }
  // StringBuilder and exceptions use identity (already checked above).
  if (a instanceof JavaStringBuilder || b instanceof JavaStringBuilder) return false;
  return false;
}
