/**
 * Reading document fields the way OpenSearch's processors do (`IngestDocument.getFieldValue(path,
 * clazz, ignoreMissing)`, `hasField(path, failOutOfRange)`), with Java's class names in messages.
 */
import { OpenSearchError, illegalArgument } from '../../errors/opensearch-error.js';
import { javaTypeName, type IngestDocument } from '../../pipeline/ingest-document.js';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** Java's class name for a document value: Jackson reads integers beyond int range as `Long`. */
export function javaClassName(value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value) && (value < INT_MIN || value > INT_MAX))
    return 'java.lang.Long';
  return javaTypeName(value);
}

/** The Java class a processor casts a field to. */
export type FieldKind = 'object' | 'string' | 'list';

const CAST_TARGET: Record<Exclude<FieldKind, 'object'>, string> = {
  string: 'java.lang.String',
  list: 'java.util.List',
};

/**
 * The value at `path` (null stays null). Missing: OpenSearch's "not present" error, or `undefined`
 * with `ignoreMissing`. A value of the wrong kind is a cast error even with `ignoreMissing`.
 */
export function readField(
  document: IngestDocument,
  path: string,
  kind: FieldKind,
  ignoreMissing = false,
): unknown {
  const value = document.getField(path, ignoreMissing);
  if (value === undefined || value === null || kind === 'object') return value;
  const matches = kind === 'string' ? typeof value === 'string' : Array.isArray(value);
  if (!matches) {
    throw illegalArgument(
      `field [${path}] of type [${javaClassName(value)}] cannot be cast to [${CAST_TARGET[kind]}]`,
    );
  }
  return value;
}

const OUT_OF_BOUNDS = /^\[-?\d+\] is out of bounds for array with length \[\d+\] as part of path /;

/** `hasField(path, true)`: like `hasField`, but a list index past the end is an error, not `false`. */
export function hasFieldFailingOutOfRange(document: IngestDocument, path: string): boolean {
  if (document.hasField(path)) return true;
  try {
    document.getField(path);
  } catch (error) {
    if (error instanceof OpenSearchError && OUT_OF_BOUNDS.test(error.reason)) throw error;
  }
  return false;
}

/** Java's `Strings.isNullOrEmpty` for a rendered path. */
export const isNullOrEmpty = (value: string | null | undefined): boolean =>
  value === undefined || value === null || value === '';

/** Sets an own property, even `__proto__`, without touching the object's prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else target[key] = value;
}

/** `IngestDocument.deepCopy`: a copy that shares nothing with the document. */
export const deepCopy = <T>(value: T): T => structuredClone(value);
