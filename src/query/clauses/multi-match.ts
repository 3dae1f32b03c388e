/**
 * `multi_match` as the per-field `match` (or `match_phrase`) of each listed field, combined the
 * way OpenSearch combines them: `best_fields` (default) and `phrase` as dis_max with
 * `tie_breaker`, `most_fields` as a sum. `fields` must be listed (no `*` expansion).
 */
import { badValue, parsingException } from '../errors.js';
import { childPath, expectMap, expectNumber, expectString } from '../json.js';
import { checkKeys, option, readBoost, readName } from '../parse-util.js';
import type { CompileEnv, QueryNode } from '../query-node.js';
import { disMaxNode } from './compound.js';
import { matchNode, phraseNode } from './match.js';
import { MATCH_KEYS, queryText, readMatchOptions } from './match-options.js';

const TYPES = new Set(['best_fields', 'most_fields', 'phrase']);
const KNOWN_TYPES = new Set([...TYPES, 'cross_fields', 'phrase_prefix', 'bool_prefix']);

/** Parses `"name^2"` into the field and its boost. */
function fieldWithBoost(spec: string, path: string): { name: string; boost: number } {
  const caret = spec.lastIndexOf('^');
  if (caret < 0) return { name: spec, boost: 1 };
  const boost = Number(spec.slice(caret + 1));
  if (!Number.isFinite(boost) || boost < 0)
    throw badValue(`[multi_match] invalid field boost in [${spec}] at [${path}]`);
  return { name: spec.slice(0, caret), boost };
}

/** `{"multi_match": {"query": "text", "fields": ["name^2", "description"], "type": ...}}`. */
export function compileMultiMatch(body: unknown, env: CompileEnv, path: string): QueryNode {
  const map = expectMap(body, path);
  checkKeys(
    'multi_match',
    map,
    ['query', 'fields', 'type', 'tie_breaker', 'slop', ...MATCH_KEYS],
    path,
  );
  readName(map, path);
  if (!Object.hasOwn(map, 'query'))
    throw parsingException(`[multi_match] requires query value at [${path}]`);
  const text = queryText('multi_match', map['query'], childPath(path, 'query'));
  const type = expectString(
    option(map, 'type') ?? 'best_fields',
    childPath(path, 'type'),
  ).toLowerCase();
  if (!KNOWN_TYPES.has(type))
    throw parsingException(
      `[multi_match] query does not support type ${type} at [${childPath(path, 'type')}]`,
    );
  if (!TYPES.has(type))
    throw parsingException(
      `[multi_match] type [${type}] is not supported by this service; supported: ${[...TYPES].join(', ')} at [${childPath(path, 'type')}]`,
    );
  const rawFields = option(map, 'fields');
  const fieldsPath = childPath(path, 'fields');
  const list = typeof rawFields === 'string' ? [rawFields] : rawFields;
  if (!Array.isArray(list) || list.length === 0) {
    throw parsingException(
      `[multi_match] requires [fields] to list at least one field in this service at [${fieldsPath}]`,
    );
  }
  const slop = option(map, 'slop');
  if (slop !== undefined && expectNumber(slop, childPath(path, 'slop')) !== 0) {
    throw parsingException(
      `[multi_match] slop other than 0 is not supported by this service at [${childPath(path, 'slop')}]`,
    );
  }
  const rawTie = option(map, 'tie_breaker');
  const tie = rawTie === undefined ? 0 : expectNumber(rawTie, childPath(path, 'tie_breaker'));
  const base = readMatchOptions('multi_match', map, path, 1);
  const nodes = list.map((raw, i) => {
    const { name, boost } = fieldWithBoost(
      expectString(raw, childPath(fieldsPath, i)),
      childPath(fieldsPath, i),
    );
    if (name.includes('*'))
      throw parsingException(
        `[multi_match] field patterns are not supported by this service: [${name}] at [${childPath(fieldsPath, i)}]`,
      );
    const options = { ...base, boost };
    return type === 'phrase'
      ? phraseNode(env, name, text, options)
      : matchNode(env, name, text, options);
  });
  const boost = readBoost(map, path);
  if (type === 'most_fields') {
    return {
      evaluate(doc, ctx) {
        let score: number | null = null;
        for (const node of nodes) {
          const s = node.evaluate(doc, ctx);
          if (s !== null) score = (score ?? 0) + s;
        }
        return score === null ? null : score * boost;
      },
    };
  }
  return disMaxNode(nodes, tie, boost);
}
