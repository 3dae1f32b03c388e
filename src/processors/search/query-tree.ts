import { isJsonObject } from '../../util/json.js';

/** A place in a query tree that holds one query clause (`{ "<type>": {...} }`). */
export interface ClauseSlot {
  readonly container: Record<string, unknown> | unknown[];
  readonly key: string | number;
}

type JsonObject = Record<string, unknown>;

const BOOL_OCCURRENCES = ['must', 'filter', 'should', 'must_not'] as const;

/**
 * The slots of the sub-queries of one clause, by query type: the compound queries of the DSL
 * (`bool`, `constant_score`, `dis_max`, `boosting`, `nested`, `function_score`, `script_score`,
 * `has_child`, `has_parent`), neural-search's `hybrid`, and the `filter` of `knn` and `neural`.
 * Leaf queries have none.
 */
export function childClauseSlots(type: string, inner: unknown): ClauseSlot[] {
  if (!isJsonObject(inner)) return [];
  switch (type) {
    case 'bool':
      return BOOL_OCCURRENCES.flatMap((occurrence) => slotsOf(inner, occurrence));
    case 'constant_score':
      return slotsOf(inner, 'filter');
    case 'dis_max':
      return slotsOf(inner, 'queries');
    case 'hybrid':
      return [...slotsOf(inner, 'queries'), ...slotsOf(inner, 'filter')];
    case 'boosting':
      return [...slotsOf(inner, 'positive'), ...slotsOf(inner, 'negative')];
    case 'nested':
    case 'script_score':
    case 'has_child':
    case 'has_parent':
      return slotsOf(inner, 'query');
    case 'function_score': {
      const functions = Array.isArray(inner['functions']) ? inner['functions'].filter(isJsonObject) : [];
      return [...slotsOf(inner, 'query'), ...functions.flatMap((scoreFunction) => slotsOf(scoreFunction, 'filter'))];
    }
    case 'knn':
    case 'neural':
      // One field whose parameters may carry a `filter` query.
      return Object.values(inner)
        .filter(isJsonObject)
        .flatMap((parameters) => slotsOf(parameters, 'filter'));
    default:
      return [];
  }
}

/** The query slots of a search body: `query`, `post_filter` and every `rescore[].query.rescore_query`. */
export function bodyClauseSlots(body: JsonObject): ClauseSlot[] {
  const slots = [...slotsOf(body, 'query'), ...slotsOf(body, 'post_filter')];
  const rescores = Array.isArray(body['rescore']) ? body['rescore'] : [body['rescore']];
  for (const rescore of rescores) {
    if (isJsonObject(rescore) && isJsonObject(rescore['query'])) slots.push(...slotsOf(rescore['query'], 'rescore_query'));
  }
  return slots;
}

/** Calls `visit` on every clause object of a search body, parents before children. */
export function visitClauses(body: JsonObject, visit: (clause: JsonObject) => void): void {
  const pending = bodyClauseSlots(body).map(clauseAt);
  while (pending.length > 0) {
    const clause = pending.shift();
    if (!isJsonObject(clause)) continue;
    visit(clause);
    for (const [type, inner] of Object.entries(clause)) pending.push(...childClauseSlots(type, inner).map(clauseAt));
  }
}

/** The clause a slot holds. */
export function clauseAt(slot: ClauseSlot): unknown {
  return Array.isArray(slot.container) ? slot.container[slot.key as number] : slot.container[slot.key as string];
}

/** Replaces the clause a slot holds. */
export function replaceClause(slot: ClauseSlot, clause: unknown): void {
  if (Array.isArray(slot.container)) slot.container[slot.key as number] = clause;
  else slot.container[slot.key as string] = clause;
}

// A slot holds one clause or, in list positions (`bool.must: [...]`), several.
function slotsOf(container: JsonObject, key: string): ClauseSlot[] {
  const value = container[key];
  if (Array.isArray(value)) return value.map((_, index) => ({ container: value, key: index }));
  return isJsonObject(value) ? [{ container, key }] : [];
}
