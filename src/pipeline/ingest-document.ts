import { illegalArgument } from '../errors/opensearch-error.js';

/** The metadata fields OpenSearch keeps beside a document's source (IngestDocument.Metadata). */
export const METADATA_FIELDS = ['_index', '_id', '_routing', '_version', '_version_type', '_if_seq_no', '_if_primary_term'] as const;
const METADATA = new Set<string>(METADATA_FIELDS);
const INGEST_PREFIX = '_ingest';
const SOURCE_PREFIX = '_source';

type Container = Record<string, unknown> | unknown[];

/**
 * A document in an ingest pipeline, as OpenSearch's IngestDocument: one map holding the source
 * and the metadata fields (`ctx` in scripts), plus the `_ingest` metadata (timestamp, the current
 * `foreach` value, failure details). Paths are dotted (`a.b.0.c`); `_ingest.` addresses the ingest
 * metadata and `_source.` the source. Messages are OpenSearch's.
 */
export class IngestDocument {
  /**
   * The document as its destination already holds it, when the caller read it (a backfill rerun):
   * processors with `skip_existing` reuse its outputs whose inputs and model are unchanged.
   */
  storedSource: Record<string, unknown> | undefined;

  constructor(
    readonly sourceAndMetadata: Record<string, unknown>,
    readonly ingestMetadata: Record<string, unknown>,
  ) {}

  /** A document from a source and its metadata, stamped with the ingest timestamp. */
  static create(source: Record<string, unknown>, metadata: Partial<Record<(typeof METADATA_FIELDS)[number], unknown>>, timestamp: string): IngestDocument {
    const sourceAndMetadata: Record<string, unknown> = { ...source };
    for (const [key, value] of Object.entries(metadata)) if (value !== undefined) sourceAndMetadata[key] = value;
    return new IngestDocument(sourceAndMetadata, { timestamp });
  }

  /** The source without metadata fields. */
  source(): Record<string, unknown> {
    const source: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.sourceAndMetadata)) if (!METADATA.has(key)) source[key] = value;
    return source;
  }

  metadata(name: (typeof METADATA_FIELDS)[number]): unknown {
    return this.sourceAndMetadata[name];
  }

  hasField(path: string): boolean {
    try {
      return this.resolve(path).found;
    } catch {
      return false;
    }
  }

  /** The value at `path`; a missing field is OpenSearch's error unless `ignoreMissing`. */
  getField(path: string, ignoreMissing = false): unknown {
    const resolved = this.resolve(path);
    if (!resolved.found) {
      if (ignoreMissing) return undefined;
      throw illegalArgument(resolved.error);
    }
    return resolved.value;
  }

  /** Sets `path`, creating intermediate objects; list indices must exist. */
  setField(path: string, value: unknown): void {
    const { root, segments } = this.split(path);
    let container: Container = root;
    for (let index = 0; index < segments.length - 1; index++) {
      const segment = segments[index]!;
      const next: unknown = read(container, segment, path);
      if (next === undefined || next === null) {
        if (Array.isArray(container)) throw illegalArgument(`[${segment}] is not an integer, cannot be used as an index as part of path [${path}]`);
        const created: Record<string, unknown> = {};
        container[segment] = created;
        container = created;
      } else if (typeof next === 'object') {
        container = next as Container;
      } else {
        throw illegalArgument(`cannot set [${segments[index + 1]}] with parent object of type [${javaTypeName(next)}] as part of path [${path}]`);
      }
    }
    write(container, segments.at(-1)!, value, path);
  }

  /** Removes `path`; a missing field is OpenSearch's error unless `ignoreMissing`. */
  removeField(path: string, ignoreMissing = false): void {
    const { root, segments } = this.split(path);
    const parent = this.resolveSegments(root, segments.slice(0, -1), path);
    const last = segments.at(-1)!;
    if (!parent.found || typeof parent.value !== 'object' || parent.value === null) {
      if (ignoreMissing) return;
      throw illegalArgument(parent.found ? `field [${last}] not present as part of path [${path}]` : parent.error);
    }
    const container = parent.value as Container;
    if (Array.isArray(container)) {
      const position = arrayIndex(last, container.length, path);
      container.splice(position, 1);
      return;
    }
    if (!Object.hasOwn(container, last)) {
      if (ignoreMissing) return;
      throw illegalArgument(`field [${last}] not present as part of path [${path}]`);
    }
    delete container[last];
  }

  /** Appends to a list field, turning a scalar into a list first (IngestDocument.appendFieldValue). */
  appendField(path: string, value: unknown, allowDuplicates = true): void {
    const existing = this.getField(path, true);
    const additions = Array.isArray(value) ? value : [value];
    const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    for (const item of additions) {
      if (allowDuplicates || !list.some((present) => JSON.stringify(present) === JSON.stringify(item))) list.push(item);
    }
    this.setField(path, list);
  }

  /** A deep copy (for verbose simulate snapshots and retries). */
  clone(): IngestDocument {
    const copy = new IngestDocument(structuredClone(this.sourceAndMetadata), structuredClone(this.ingestMetadata));
    copy.storedSource = this.storedSource;
    return copy;
  }

  private split(path: string): { root: Record<string, unknown>; segments: string[] } {
    if (path === '' || path === undefined || path === null) throw illegalArgument('path cannot be null nor empty');
    let segments = path.split('.');
    let root = this.sourceAndMetadata;
    if (segments[0] === INGEST_PREFIX) {
      root = this.ingestMetadata;
      segments = segments.slice(1);
    } else if (segments[0] === SOURCE_PREFIX) {
      segments = segments.slice(1);
    }
    if (segments.length === 0 || segments.some((segment) => segment === '' || segment === '__proto__')) {
      throw illegalArgument(`path [${path}] is not valid`);
    }
    return { root, segments };
  }

  private resolve(path: string): { found: true; value: unknown } | { found: false; error: string } {
    const { root, segments } = this.split(path);
    return this.resolveSegments(root, segments, path);
  }

  private resolveSegments(root: Container, segments: string[], path: string): { found: true; value: unknown } | { found: false; error: string } {
    let current: unknown = root;
    for (const segment of segments) {
      if (Array.isArray(current)) {
        const position = Number(segment);
        if (!/^\d+$/.test(segment)) return { found: false, error: `[${segment}] is not an integer, cannot be used as an index as part of path [${path}]` };
        if (position >= current.length) return { found: false, error: `[${segment}] is out of bounds for array with length [${current.length}] as part of path [${path}]` };
        current = current[position];
      } else if (typeof current === 'object' && current !== null) {
        if (!Object.hasOwn(current, segment)) return { found: false, error: `field [${segment}] not present as part of path [${path}]` };
        current = (current as Record<string, unknown>)[segment];
      } else {
        return { found: false, error: `cannot resolve [${segment}] from object of type [${javaTypeName(current)}] as part of path [${path}]` };
      }
    }
    return { found: true, value: current };
  }
}

function read(container: Container, segment: string, path: string): unknown {
  if (Array.isArray(container)) return container[arrayIndex(segment, container.length, path)];
  return Object.hasOwn(container, segment) ? container[segment] : undefined;
}

function write(container: Container, segment: string, value: unknown, path: string): void {
  if (Array.isArray(container)) container[arrayIndex(segment, container.length, path)] = value;
  else container[segment] = value;
}

function arrayIndex(segment: string, length: number, path: string): number {
  if (!/^\d+$/.test(segment)) throw illegalArgument(`[${segment}] is not an integer, cannot be used as an index as part of path [${path}]`);
  const position = Number(segment);
  if (position >= length) throw illegalArgument(`[${segment}] is out of bounds for array with length [${length}] as part of path [${path}]`);
  return position;
}

/** Java's class name for a JSON value, as OpenSearch's messages print it. */
export function javaTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'java.lang.Integer' : 'java.lang.Double';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  return 'java.util.LinkedHashMap';
}
