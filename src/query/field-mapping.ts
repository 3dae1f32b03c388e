/**
 * The slice of an OpenSearch index mapping the evaluator needs. Field definitions use OpenSearch's
 * own JSON spelling (`type`, `properties`, `fields`, `ignore_above`) so a real mapping can be
 * pasted in unchanged; unknown keys in it are ignored.
 */

/** Field types the evaluator understands (numeric widths collapse to long/double semantics). */
export type FieldType =
  | 'text'
  | 'keyword'
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'float'
  | 'half_float'
  | 'double'
  | 'scaled_float'
  | 'date'
  | 'boolean'
  | 'binary'
  | 'object'
  | 'flat_object'
  | 'nested';

/** One field of a mapping; omitting `type` with `properties` present means `object`. */
export interface FieldDefinition {
  readonly type?: FieldType;
  readonly properties?: Readonly<Record<string, FieldDefinition>>;
  /** Multi-fields, e.g. `{ keyword: { type: 'keyword', ignore_above: 256 } }`. */
  readonly fields?: Readonly<Record<string, FieldDefinition>>;
  readonly ignore_above?: number;
  readonly format?: string;
  /** `false` on an object: kept in `_source` but not indexed, so nothing under it matches. */
  readonly enabled?: boolean;
  /** For an object: whether unmapped fields under it are indexed (inherited when absent). */
  readonly dynamic?: DynamicMapping;
}

/** `dynamic`: `true` maps new fields, `false` keeps them unindexed, `strict` refuses them. */
export type DynamicMapping = boolean | 'strict';

/**
 * A collection's mapping: its top-level properties. Unmapped fields are dynamically mapped
 * unless `dynamic` (here or on an enclosing object) is `false` or `strict`.
 */
export interface FieldMapping {
  readonly properties: Readonly<Record<string, FieldDefinition>>;
  readonly dynamic?: DynamicMapping;
}

/** How a leaf value is indexed and compared once the mapping is applied. */
export type LeafType = 'text' | 'keyword' | 'long' | 'double' | 'date' | 'boolean' | 'binary';

/** Collapses OpenSearch's numeric widths into the two comparison semantics we need. */
export function leafTypeOf(type: FieldType | string): LeafType | null {
  switch (type) {
    case 'text':
    case 'keyword':
    case 'date':
    case 'boolean':
    case 'binary':
    case 'long':
    case 'double':
      return type;
    case 'integer':
    case 'short':
    case 'byte':
      return 'long';
    case 'float':
    case 'half_float':
    case 'scaled_float':
      return 'double';
    default:
      return null;
  }
}

/** A mapping with no properties: every field is dynamically mapped. */
export const DYNAMIC_MAPPING: FieldMapping = { properties: {} };

/** `ignore_above` OpenSearch's dynamic mapping gives the `.keyword` sub-field of strings. */
export const DYNAMIC_KEYWORD_IGNORE_ABOVE = 256;
