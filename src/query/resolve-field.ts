/**
 * Resolves a queried field name (`name.keyword`, `owner.name`, `parameters.model`,
 * `connector.parameters.model`) against a mapping into what the evaluator must read from the
 * source and how to index it. Mapping keys are looked up with `Object.hasOwn`, so a field named
 * `constructor` or `__proto__` is just an unmapped field.
 */
import {
  leafTypeOf,
  type FieldDefinition,
  type FieldMapping,
  type LeafType,
} from './field-mapping.js';

/** Where a resolved field's values live and how they are indexed. */
export type ResolvedField =
  /** `_id`, `_index` (keyword-like) or `_seq_no` (a long): metadata, not part of `_source`. */
  | { readonly kind: 'meta'; readonly name: string; readonly meta: MetaField }
  /** A mapped leaf (or a multi-field of one: `sourcePath` is then the parent's path). */
  | {
      readonly kind: 'leaf';
      readonly name: string;
      readonly type: LeafType;
      readonly sourcePath: readonly string[];
      readonly ignoreAbove: number | undefined;
      readonly nestedPath: string | null;
    }
  /** A `flat_object` root (`key` null: any leaf) or one dotted key inside it. */
  | {
      readonly kind: 'flat';
      readonly name: string;
      readonly rootPath: readonly string[];
      readonly key: string | null;
      readonly nestedPath: string | null;
    }
  /** An `object` or `nested` field itself (only `exists` applies). */
  | {
      readonly kind: 'object';
      readonly name: string;
      readonly sourcePath: readonly string[];
      readonly nestedPath: string | null;
    }
  /**
   * Unmapped: typed per value as dynamic mapping would (string → text, number → long/double,
   * boolean → boolean). `keywordOf` is the parent path when the name ends in `.keyword`, whose
   * string values form the dynamic keyword sub-field.
   */
  | {
      readonly kind: 'dynamic';
      readonly name: string;
      readonly sourcePath: readonly string[];
      readonly keywordOf: readonly string[] | null;
      readonly nestedPath: string | null;
    }
  /** A path that cannot hold an indexed value (e.g. `name.foo` under a text leaf): matches nothing. */
  | { readonly kind: 'none'; readonly name: string };

/** Metadata fields a query or sort can name. */
export type MetaField = '_id' | '_index' | '_seq_no';

const META_FIELDS = new Map<string, MetaField>([
  ['_id', '_id'],
  ['_index', '_index'],
  ['_seq_no', '_seq_no'],
]);

/** Finds the shortest run of segments from `start` that names an own property of `props`. */
function lookup(
  props: Readonly<Record<string, FieldDefinition>>,
  segments: readonly string[],
  start: number,
): { definition: FieldDefinition; end: number } | null {
  let key = '';
  for (let end = start; end < segments.length; end++) {
    key = end === start ? (segments[end] ?? '') : `${key}.${segments[end] ?? ''}`;
    if (Object.hasOwn(props, key)) {
      const definition = props[key];
      if (definition !== undefined) return { definition, end: end + 1 };
    }
  }
  return null;
}

/** Resolves `name` against `mapping`; never throws (unknown names are dynamic or `none`). */
export function resolveField(mapping: FieldMapping, name: string): ResolvedField {
  const meta = META_FIELDS.get(name);
  if (meta !== undefined) return { kind: 'meta', name, meta };
  const segments = name.split('.');
  let props = mapping.properties;
  let nestedPath: string | null = null;
  // Unmapped fields are indexed only where `dynamic` is true (the default, inherited downwards).
  let indexesUnmapped = mapping.dynamic === undefined || mapping.dynamic === true;
  const path: string[] = [];
  let index = 0;
  while (index < segments.length) {
    const found = lookup(props, segments, index);
    if (found === null) {
      if (!indexesUnmapped) return { kind: 'none', name };
      const sourcePath = [...path, ...segments.slice(index)];
      const keywordOf =
        sourcePath.length > 1 && sourcePath[sourcePath.length - 1] === 'keyword'
          ? sourcePath.slice(0, -1)
          : null;
      return { kind: 'dynamic', name, sourcePath, keywordOf, nestedPath };
    }
    const { definition } = found;
    path.push(...segments.slice(index, found.end));
    index = found.end;
    const type = definition.type ?? 'object';
    if (type === 'nested') nestedPath = path.join('.');
    const rest = segments.slice(index);
    if (type === 'object' || type === 'nested') {
      // A disabled object is stored but not indexed: neither it nor anything under it matches.
      if (definition.enabled === false) return { kind: 'none', name };
      if (rest.length === 0) return { kind: 'object', name, sourcePath: path, nestedPath };
      props = definition.properties ?? {};
      if (definition.dynamic !== undefined) indexesUnmapped = definition.dynamic === true;
      continue;
    }
    if (type === 'flat_object') {
      return {
        kind: 'flat',
        name,
        rootPath: path,
        key: rest.length > 0 ? rest.join('.') : null,
        nestedPath,
      };
    }
    const leaf = leafTypeOf(type);
    if (leaf === null) return { kind: 'none', name };
    if (rest.length === 0) {
      return {
        kind: 'leaf',
        name,
        type: leaf,
        sourcePath: path,
        ignoreAbove: definition.ignore_above,
        nestedPath,
      };
    }
    // A multi-field such as `name.keyword` reads the parent's value and indexes it differently.
    const subName = rest.join('.');
    const fields = definition.fields ?? {};
    const sub = Object.hasOwn(fields, subName) ? fields[subName] : undefined;
    const subLeaf = sub?.type === undefined ? null : leafTypeOf(sub.type);
    if (sub === undefined || subLeaf === null) return { kind: 'none', name };
    return {
      kind: 'leaf',
      name,
      type: subLeaf,
      sourcePath: path,
      ignoreAbove: sub.ignore_above,
      nestedPath,
    };
  }
  return { kind: 'none', name };
}
