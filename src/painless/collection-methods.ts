/**
 * Whitelisted `java.util.List` and `java.util.Map` methods. Lists are JS arrays and maps are plain
 * objects, mutated in place so callers see a script's changes to the documents they passed.
 */
import { ScriptFault, classCast, indexOutOfBounds, limitReached } from './errors.js';
import { javaEquals } from './java-equality.js';
import { javaToString } from './java-to-string.js';
import {
  MapEntry,
  isIntegral,
  isMap,
  isNumber,
  kindOf,
  mapGet,
  mapHas,
  mapSet,
  numberValue,
  type PainlessMap,
} from './java-values.js';
import { compareStrings } from './string-methods.js';
import { intArg, listArg, method, methodRange, type MethodTable } from './method-support.js';

/** Largest list a script may build; stops `list.addAll(list)` doubling from exhausting memory. */
export const MAX_LIST_SIZE = 10_000_000;

function checkListSize(size: number): void {
  if (size > MAX_LIST_SIZE)
    throw limitReached(`list size ${size} exceeds the limit of ${MAX_LIST_SIZE} elements`);
}

/** A list index that must address an existing element. */
function elementIndex(list: readonly unknown[], index: unknown): number {
  const at = intArg(index, 'index');
  if (at < 0 || at >= list.length) throw indexOutOfBounds(at, list.length);
  return at;
}

const indexOfEqual = (list: readonly unknown[], value: unknown): number =>
  list.findIndex((element) => javaEquals(element, value));

/** Natural ordering for `sort(null)`: numbers by value, strings by `compareTo`; mixing fails as in Java. */
function naturalCompare(left: unknown, right: unknown): number {
  if (isNumber(left) && isNumber(right)) return numberValue(left) - numberValue(right);
  if (typeof left === 'string' && typeof right === 'string') return compareStrings(left, right);
  if (typeof left === 'boolean' && typeof right === 'boolean') return Number(left) - Number(right);
  throw classCast(`cannot compare [${kindOf(left)}] with [${kindOf(right)}]`);
}

/** A map key: Java maps here are keyed by strings, so other keys use their Java string form. */
export const mapKey = (key: unknown): string => (typeof key === 'string' ? key : javaToString(key));

/** Whitelisted `java.util.List` methods. */
export const LIST_METHODS = {
  size: method(0, (list) => list.length),
  getLength: method(0, (list) => list.length),
  isEmpty: method(0, (list) => list.length === 0),
  get: method(1, (list, [index]) => list[elementIndex(list, index)] ?? null),
  set: method(2, (list, [index, value]) => {
    const at = elementIndex(list, index);
    const previous = list[at] ?? null;
    list[at] = value;
    return previous;
  }),
  add: methodRange(1, 2, (list, args) => {
    checkListSize(list.length + 1);
    if (args.length === 1) {
      list.push(args[0]);
      return true;
    }
    const at = intArg(args[0], 'index');
    if (at < 0 || at > list.length) throw indexOutOfBounds(at, list.length);
    list.splice(at, 0, args[1]);
    return null;
  }),
  addAll: methodRange(1, 2, (list, args) => {
    const additions = [...listArg(args[args.length - 1], 'collection')];
    checkListSize(list.length + additions.length);
    const at = args.length === 2 ? intArg(args[0], 'index') : list.length;
    if (at < 0 || at > list.length) throw indexOutOfBounds(at, list.length);
    // No splice(at, 0, ...additions): spreading a large list overflows the call stack.
    const tail = list.splice(at);
    for (const element of additions) list.push(element);
    for (const element of tail) list.push(element);
    return additions.length > 0;
  }),
  // remove(int) removes by position; any other argument removes the first equal element.
  remove: method(1, (list, [target]) => {
    if (isIntegral(target)) return list.splice(elementIndex(list, target), 1)[0] ?? null;
    const at = indexOfEqual(list, target);
    if (at === -1) return false;
    list.splice(at, 1);
    return true;
  }),
  contains: method(1, (list, [value]) => indexOfEqual(list, value) !== -1),
  indexOf: method(1, (list, [value]) => indexOfEqual(list, value)),
  lastIndexOf: method(1, (list, [value]) => {
    for (let index = list.length - 1; index >= 0; index--)
      if (javaEquals(list[index], value)) return index;
    return -1;
  }),
  clear: method(0, (list) => {
    list.length = 0;
    return null;
  }),
  // A copy, where Java returns a view; writes through a sub-list are not reflected.
  subList: method(2, (list, [from, to]) => {
    const begin = intArg(from, 'fromIndex');
    const end = intArg(to, 'toIndex');
    if (begin < 0 || end > list.length || begin > end)
      throw indexOutOfBounds(begin < 0 ? begin : end, list.length);
    return list.slice(begin, end);
  }),
  sort: method(1, (list, [comparator]) => {
    if (comparator !== null && comparator !== undefined) {
      throw new ScriptFault(
        'sort supports only a null comparator (natural order)',
        'IllegalArgumentException',
      );
    }
    list.sort(naturalCompare);
    return null;
  }),
  equals: method(1, (list, [other]) => javaEquals(list, other)),
  toString: method(0, (list) => javaToString(list)),
} satisfies MethodTable<unknown[]>;

/** Whitelisted `java.util.Map` methods. */
export const MAP_METHODS = {
  size: method(0, (map) => Object.keys(map).length),
  isEmpty: method(0, (map) => Object.keys(map).length === 0),
  get: method(1, (map, [key]) => mapGet(map, mapKey(key))),
  getOrDefault: method(2, (map, [key, fallback]) =>
    mapHas(map, mapKey(key)) ? mapGet(map, mapKey(key)) : fallback,
  ),
  containsKey: method(1, (map, [key]) => mapHas(map, mapKey(key))),
  containsValue: method(1, (map, [value]) =>
    Object.values(map).some((element) => javaEquals(element, value)),
  ),
  put: method(2, (map, [key, value]) => {
    const previous = mapGet(map, mapKey(key));
    mapSet(map, mapKey(key), value);
    return previous;
  }),
  putIfAbsent: method(2, (map, [key, value]) => {
    const previous = mapGet(map, mapKey(key));
    if (previous === null) mapSet(map, mapKey(key), value);
    return previous;
  }),
  putAll: method(1, (map, [other]) => {
    if (!isMap(other)) throw classCast(`putAll needs a Map, not [${kindOf(other)}]`);
    for (const key of Object.keys(other)) mapSet(map, key, mapGet(other, key));
    return null;
  }),
  remove: method(1, (map, [key]) => {
    const name = mapKey(key);
    const previous = mapGet(map, name);
    if (mapHas(map, name)) delete map[name];
    return previous;
  }),
  clear: method(0, (map) => {
    for (const key of Object.keys(map)) delete map[key];
    return null;
  }),
  // Snapshots, where Java returns live views; iterating them while writing the map is safe here.
  keySet: method(0, (map) => Object.keys(map)),
  values: method(0, (map) => Object.keys(map).map((key) => mapGet(map, key))),
  entrySet: method(0, (map) => Object.keys(map).map((key) => new MapEntry(map, key))),
  equals: method(1, (map, [other]) => javaEquals(map, other)),
  toString: method(0, (map) => javaToString(map)),
} satisfies MethodTable<PainlessMap>;
