/**
 * Field and element access: `x.name`, `x[key]`, and assignment to them. Map keys are looked up
 * as own properties only, so `params.constructor` or `params.__proto__` are missing keys (null),
 * never JS internals. Lists and strings expose only Painless's `length` shortcut.
 */
import { ScriptFault, classCast, indexOutOfBounds, nullPointer } from './errors.js';
import { mapKey } from './collection-methods.js';
import {
  JavaException,
  JavaStringBuilder,
  MapEntry,
  entryValue,
  isIntegral,
  isMap,
  kindOf,
  mapGet,
  mapSet,
} from './java-values.js';

/** An index as shown in messages; never `String(object)`, which could print a JS function's source. */
const describeIndex = (index: unknown): string =>
  typeof index === 'string' || typeof index === 'number' ? String(index) : kindOf(index);

const noSuchField = (name: string, value: unknown): ScriptFault =>
  new ScriptFault(
    `cannot access field [${name}] of [${kindOf(value)}]`,
    'IllegalArgumentException',
  );

/** `object.name`. */
export function readField(object: unknown, name: string): unknown {
  if (object === null || object === undefined)
    throw nullPointer(`cannot access field [${name}] of null`);
  if (isMap(object)) return mapGet(object, name);
  if (Array.isArray(object)) {
    if (name === 'length') return object.length; // Painless's list augmentation
    if (name === 'empty') return object.length === 0;
  } else if (typeof object === 'string') {
    if (name === 'length') return object.length;
    if (name === 'empty') return object.length === 0;
  } else if (object instanceof JavaStringBuilder) {
    if (name === 'length') return object.text.length;
  } else if (object instanceof MapEntry) {
    // Painless getter shortcuts for getKey()/getValue().
    if (name === 'key') return object.key;
    if (name === 'value') return entryValue(object);
  } else if (object instanceof JavaException) {
    if (name === 'message') return object.message;
  }
  throw noSuchField(name, object);
}

/** `object.name = value`. */
export function writeField(object: unknown, name: string, value: unknown): void {
  if (object === null || object === undefined)
    throw nullPointer(`cannot assign field [${name}] of null`);
  if (isMap(object)) return mapSet(object, name, value);
  if (object instanceof MapEntry && name === 'value') return mapSet(object.map, object.key, value);
  throw new ScriptFault(
    `cannot assign field [${name}] of [${kindOf(object)}]`,
    'IllegalArgumentException',
  );
}

/** A list position; Painless lets negative indexes count from the end. */
function listIndex(list: readonly unknown[], index: unknown): number {
  if (index === null || index === undefined) throw nullPointer('list index is null');
  if (!isIntegral(index)) throw classCast(`list index must be an int, not [${kindOf(index)}]`);
  const position = index < 0 ? list.length + index : index;
  if (position < 0 || position >= list.length) throw indexOutOfBounds(index, list.length);
  return position;
}

/** `object[index]` for lists and maps. */
export function readElement(object: unknown, index: unknown): unknown {
  if (object === null || object === undefined)
    throw nullPointer(`cannot read element [${describeIndex(index)}] of null`);
  if (Array.isArray(object)) return object[listIndex(object, index)] ?? null;
  if (isMap(object)) return mapGet(object, mapKey(index));
  throw new ScriptFault(
    `cannot index into [${kindOf(object)}] with []`,
    'IllegalArgumentException',
  );
}

/** `object[index] = value`. */
export function writeElement(object: unknown, index: unknown, value: unknown): void {
  if (object === null || object === undefined)
    throw nullPointer(`cannot assign element [${describeIndex(index)}] of null`);
  if (Array.isArray(object)) {
    object[listIndex(object, index)] = value;
    return;
  }
  if (isMap(object)) return mapSet(object, mapKey(index), value);
  throw new ScriptFault(
    `cannot assign an element of [${kindOf(object)}] with []`,
    'IllegalArgumentException',
  );
}
