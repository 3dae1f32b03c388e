import { illegalArgument, type OpenSearchError } from '../../errors/opensearch-error.js';
import { javaTypeName, type IngestDocument } from '../../pipeline/ingest-document.js';
import { isJsonObject } from '../../util/json.js';
import { ownValue, setOwn } from './own-properties.js';

/** A `field_map` by source key: the target field name, or a nested field map. */
export interface FieldMapTree {
  readonly [sourceKey: string]: FieldMapNode;
}
export type FieldMapNode = string | FieldMapTree;

/** One mapped source field found in a document: a string, a list of strings, or nothing. */
export interface FieldLeaf {
  /** The object holding the source field (the document root for top-level fields). */
  readonly container: Record<string, unknown>;
  readonly topLevel: boolean;
  readonly target: string;
  /** Where the output goes, from the document root (list elements by position: `chunks.0.emb`). */
  readonly path: string;
  readonly value: string | readonly string[] | null;
}

/** Texts to infer and where their results go. */
export interface TextSlot {
  readonly texts: readonly string[];
  /** The output's path from the document root. */
  readonly field: string;
  /** Whether the document already holds a value where the output goes. */
  hasOutput(): boolean;
  write(results: readonly unknown[]): void;
  /** Puts an output computed before (as it was stored) where the output goes. */
  restore(output: unknown): void;
}

// index.mapping.depth.limit's default; there are no index settings here.
const MAPPING_DEPTH_LIMIT = 20;

/** True for a string that is empty or only whitespace (Apache `StringUtils.isBlank`). */
export const isBlank = (value: string): boolean => value.trim() === '';

/**
 * Checks a `field_map` option (InferenceProcessor.validateEmbeddingConfiguration: non-empty, no
 * blank keys or values) and returns it as a tree. With `splitDots`, `{"a.b": "t"}` becomes
 * `{"a": {"b": "t"}}` (InferenceProcessor.processNestedKey); `text_chunking` keeps keys literal.
 */
export function parseFieldMap(
  fieldMap: Record<string, unknown>,
  splitDots: boolean,
  fail: (reason: string) => OpenSearchError,
): FieldMapTree {
  const invalid = () =>
    fail('Unable to create the processor as field_map has invalid key or value');
  if (Object.keys(fieldMap).length === 0) throw invalid();
  const parse = (map: Record<string, unknown>): FieldMapTree => {
    const tree: Record<string, FieldMapNode> = {};
    for (const [key, value] of Object.entries(map)) {
      if (isBlank(key)) throw invalid();
      let node: FieldMapNode;
      if (typeof value === 'string' && !isBlank(value)) node = value;
      else if (isJsonObject(value)) node = parse(value);
      else throw invalid();
      const dot = splitDots ? key.indexOf('.') : -1;
      if (dot !== -1) {
        const nested: Record<string, unknown> = {};
        setOwn(nested, key.slice(dot + 1), node);
        node = parse(nested);
      }
      const head = dot === -1 ? key : key.slice(0, dot);
      const existing = ownValue(tree, head) as FieldMapNode | undefined;
      setOwn(
        tree,
        head,
        typeof existing === 'object' && typeof node === 'object'
          ? mergeTrees(existing, node)
          : node,
      );
    }
    return tree;
  };
  return parse(fieldMap);
}

function mergeTrees(left: FieldMapTree, right: FieldMapTree): FieldMapTree {
  const merged: Record<string, FieldMapNode> = { ...left };
  for (const [key, node] of Object.entries(right)) {
    const existing = ownValue(merged, key) as FieldMapNode | undefined;
    setOwn(
      merged,
      key,
      typeof existing === 'object' && typeof node === 'object' ? mergeTrees(existing, node) : node,
    );
  }
  return merged;
}

/**
 * Finds the mapped fields of a document, validating them first as neural-search does
 * (ProcessorDocumentUtils.validateMapTypeValue with empty values allowed) so that a bad field
 * fails the document before any model call. Lists of objects are visited element by element.
 */
export function collectLeaves(tree: FieldMapTree, root: Record<string, unknown>): FieldLeaf[] {
  const leaves: FieldLeaf[] = [];
  visitMap(tree, root, 1, true, leaves, '');
  return leaves;
}

function visitMap(
  tree: FieldMapTree,
  container: Record<string, unknown>,
  depth: number,
  topLevel: boolean,
  leaves: FieldLeaf[],
  prefix: string,
): void {
  for (const [key, node] of Object.entries(tree)) {
    const value = ownValue(container, key);
    if (typeof node === 'string')
      leaves.push({
        container,
        topLevel,
        target: node,
        path: prefix + node,
        value: leafValue(key, value, depth + 1),
      });
    else visitNested(key, node, value, depth + 1, leaves, `${prefix}${key}.`);
  }
}

function leafValue(key: string, value: unknown, depth: number): FieldLeaf['value'] {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    checkDepth(key, depth);
    for (const element of value) {
      checkListElement(key, element);
      if (isJsonObject(element)) throw configurationMismatch(key, 'java.lang.String', element);
      if (typeof element !== 'string')
        throw illegalArgument(`list type field [${key}] has non string value, cannot process it`);
    }
    return value as string[];
  }
  if (isJsonObject(value)) throw configurationMismatch(key, 'java.lang.String', value);
  throw neitherStringNorNested(key);
}

function visitNested(
  key: string,
  tree: FieldMapTree,
  value: unknown,
  depth: number,
  leaves: FieldLeaf[],
  prefix: string,
): void {
  if (value === null || value === undefined || typeof value === 'string') return; // nothing to map into
  checkDepth(key, depth);
  if (isJsonObject(value)) return visitMap(tree, value, depth, false, leaves, prefix);
  if (!Array.isArray(value)) throw neitherStringNorNested(key);
  for (const [position, element] of value.entries()) {
    checkListElement(key, element);
    if (isJsonObject(element)) {
      checkDepth(key, depth + 1);
      visitMap(tree, element, depth + 1, false, leaves, `${prefix}${position}.`);
    } else if (typeof element !== 'string') {
      throw illegalArgument(`list type field [${key}] has non string value, cannot process it`);
    }
    // A string among objects has nothing to map into; text_chunking skips it the same way.
  }
}

function checkListElement(key: string, element: unknown): void {
  if (element === null || element === undefined)
    throw illegalArgument(`list type field [${key}] has null, cannot process it`);
  if (Array.isArray(element))
    throw illegalArgument(`list type field [${key}] is nested list type, cannot process it`);
}

function checkDepth(key: string, depth: number): void {
  if (depth > MAPPING_DEPTH_LIMIT)
    throw illegalArgument(`map type field [${key}] reaches max depth limit, cannot process it`);
}

const neitherStringNorNested = (key: string) =>
  illegalArgument(`map type field [${key}] is neither string nor nested type, cannot process it`);

const configurationMismatch = (key: string, configurationType: string, value: unknown) =>
  illegalArgument(
    `[${key}] configuration doesn't match actual value type, configuration type is: ${configurationType}, actual value type is: ${javaTypeName(value)}`,
  );

/**
 * The texts an inference processor sends for one document, in pre-order, each with its write-back
 * (InferenceProcessor.buildNLPResult). Blank strings are skipped like missing values (neural-search
 * #1041/#1668); a list of strings becomes a list of `{listKey: result}`. Top-level targets are
 * dot paths; nested targets are keys of the object holding the source field.
 */
export function inferenceSlots(
  document: IngestDocument,
  tree: FieldMapTree,
  listKey: string,
): TextSlot[] {
  const slots: TextSlot[] = [];
  for (const leaf of collectLeaves(tree, document.sourceAndMetadata)) {
    if (leaf.value === null) continue;
    const put = (result: unknown) =>
      leaf.topLevel
        ? document.setField(leaf.target, result)
        : setOwn(leaf.container, leaf.target, result);
    const place = {
      field: leaf.path,
      restore: put,
      hasOutput: () =>
        leaf.topLevel
          ? document.hasField(leaf.target)
          : ownValue(leaf.container, leaf.target) !== undefined,
    };
    if (typeof leaf.value === 'string') {
      if (!isBlank(leaf.value))
        slots.push({ ...place, texts: [leaf.value], write: (results) => put(results[0]) });
    } else {
      slots.push({
        ...place,
        texts: leaf.value.filter((text) => !isBlank(text)),
        write: (results) => put(results.map((result) => ({ [listKey]: result }))),
      });
    }
  }
  return slots;
}
