/**
 * `nested`: runs the inner query against each object of a `nested` field as its own document
 * (so `owner.name` and `owner.backend_roles` must match in the same object), then folds the
 * matching objects' scores with `score_mode` (avg by default, as in OpenSearch). Outside a
 * `nested` query, fields under a nested path match nothing, as in OpenSearch.
 */
import { badValue, parsingException } from '../errors.js';
import { childPath, expectBoolean, expectMap, expectString } from '../json.js';
import { checkKeys, option, readBoost, readName } from '../parse-util.js';
import { NO_MATCH, type CompileEnv, type QueryNode } from '../query-node.js';

const SCORE_MODES = new Set(['avg', 'max', 'min', 'sum', 'none']);

/** Folds the matching nested objects' scores as `score_mode` asks. */
function fold(mode: string, s: { count: number; sum: number; min: number; max: number }): number {
  switch (mode) {
    case 'max':
      return s.max;
    case 'min':
      return s.min;
    case 'sum':
      return s.sum;
    case 'none':
      return 0;
    default:
      return s.sum / s.count;
  }
}

/** `{"nested": {"path": "owner", "query": q, "score_mode": "avg", "ignore_unmapped": false}}`. */
export function compileNested(body: unknown, env: CompileEnv, path: string): QueryNode {
  const map = expectMap(body, path);
  checkKeys('nested', map, ['path', 'query', 'score_mode', 'ignore_unmapped', 'inner_hits'], path);
  readName(map, path);
  if (Object.hasOwn(map, 'inner_hits'))
    throw parsingException(
      `[nested] inner_hits is not supported by this service at [${childPath(path, 'inner_hits')}]`,
    );
  const rawPath = option(map, 'path');
  if (rawPath === undefined) throw parsingException(`[nested] requires 'path' field at [${path}]`);
  const nestedPath = expectString(rawPath, childPath(path, 'path'));
  if (!Object.hasOwn(map, 'query'))
    throw parsingException(`[nested] requires 'query' field at [${path}]`);
  const mode = expectString(option(map, 'score_mode') ?? 'avg', childPath(path, 'score_mode'));
  if (!SCORE_MODES.has(mode))
    throw badValue(`[nested] illegal score_mode [${mode}] at [${childPath(path, 'score_mode')}]`);
  const rawIgnore = option(map, 'ignore_unmapped');
  const ignoreUnmapped =
    rawIgnore === undefined ? false : expectBoolean(rawIgnore, childPath(path, 'ignore_unmapped'));
  const boost = readBoost(map, path);
  const inner = env.compile(map['query'], childPath(path, 'query'));
  const target = env.field(nestedPath);
  if (target.kind !== 'object' || target.nestedPath !== nestedPath) {
    if (ignoreUnmapped) return NO_MATCH;
    throw badValue(`[nested] failed to find nested object under path [${nestedPath}]`);
  }
  return {
    evaluate(doc, ctx) {
      let count = 0;
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      for (const child of ctx.nested(doc, nestedPath)) {
        const s = child.nestedPath === nestedPath ? inner.evaluate(child, ctx) : null;
        if (s === null) continue;
        count += 1;
        sum += s;
        min = Math.min(min, s);
        max = Math.max(max, s);
      }
      if (count === 0) return null;
      return fold(mode, { count, sum, min, max }) * boost;
    },
  };
}
