import { illegalArgument } from '../../errors/opensearch-error.js';
import { javaFloatString } from '../../util/float32.js';
import { isJsonObject } from '../../util/json.js';
import { tokenWeightMaps } from '../ml/model-output.js';
import { splitSparseVector } from '../ml/sparse-prune.js';
import type { ModelPredictor } from '../processor-definition.js';
import { findClauses, resolveModelId, type NeuralModelDefaults } from './neural-query.js';
import { parseNeuralSparseClause } from './neural-sparse-clause.js';
import type { TwoPhaseSettings } from './neural-sparse-two-phase.js';

type JsonObject = Record<string, unknown>;
type Tokens = Readonly<Record<string, number>>;

export interface NeuralSparseRewriteOptions extends NeuralModelDefaults {
  readonly predictor: ModelPredictor;
  readonly twoPhase?: TwoPhaseSettings | undefined;
}

// Lucene's FeatureField.MAX_WEIGHT (Long.SIZE): the largest query weight a feature query takes.
const MAX_WEIGHT = 64;

/**
 * Rewrites every `neural_sparse` clause of a search body in place into what any cluster runs on a
 * `rank_features` field: a `bool` of one `rank_feature` clause per query token, `linear`, boosted
 * by the token's weight, so a document scores the dot product neural-search computes. The tokens
 * are `query_tokens`, or the encoding of `query_text` by the clause's sparse model (each distinct
 * model and text encoded once, all concurrently). With two-phase settings, eligible clauses keep
 * their heavy tokens and a rescore adds the light ones on the top hits.
 */
export async function rewriteNeuralSparseQueries(body: JsonObject, options: NeuralSparseRewriteOptions): Promise<void> {
  const clauses = findClauses(body, 'neural_sparse').map((clause) => ({ clause, parsed: parseNeuralSparseClause(clause['neural_sparse']) }));
  if (clauses.length === 0) return;
  const encodings = new Map<string, Promise<Tokens>>();
  const keys = clauses.map(({ parsed }) => {
    if (parsed.queryTokens !== undefined) return undefined;
    const modelId = resolveModelId(parsed.field, parsed.modelId, options, missingModel(parsed.field));
    const key = JSON.stringify([modelId, parsed.queryText]);
    if (!encodings.has(key)) encodings.set(key, encode(options.predictor, modelId, parsed.queryText ?? ''));
    return key;
  });
  // Settle every call before failing, so no rejection is left unobserved.
  const settled = await Promise.allSettled(encodings.values());
  const failure = settled.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  const tokens = await Promise.all(clauses.map(({ parsed }, index) => parsed.queryTokens ?? (encodings.get(keys[index]!) as Promise<Tokens>)));
  const secondPhase: JsonObject[] = [];
  if (options.twoPhase !== undefined) {
    const eligible = twoPhaseClauses(body['query'], 1);
    clauses.forEach(({ clause, parsed }, index) => {
      const boost = eligible.get(clause);
      if (boost === undefined) return;
      const split = splitSparseVector(options.twoPhase!.prune, tokens[index]!);
      tokens[index] = split.kept;
      secondPhase.push(rankFeatureQuery(parsed.field, split.dropped, boost * parsed.boost, undefined));
    });
  }
  clauses.forEach(({ clause, parsed }, index) => {
    delete clause['neural_sparse'];
    Object.assign(clause, rankFeatureQuery(parsed.field, tokens[index]!, parsed.boost, parsed.name));
  });
  if (secondPhase.length > 0) addRescore(body, secondPhase, options.twoPhase!.windowSize);
}

/** The `bool` of `rank_feature` clauses a token map becomes (an empty map matches nothing, as an empty Lucene BooleanQuery). */
export function rankFeatureQuery(field: string, tokens: Tokens, boost: number, name: string | undefined): JsonObject {
  const should = Object.entries(tokens)
    // OpenSearch finds a rank_features field as the part before the last dot: a dotted token has no such field.
    .filter(([token]) => !token.includes('.'))
    .map(([token, weight]) => {
      if (!(weight > 0 && weight <= MAX_WEIGHT)) {
        throw illegalArgument(`weight must be in (0, ${javaFloatString(MAX_WEIGHT)}], got: ${javaFloatString(weight)}`);
      }
      return { rank_feature: { field: `${field}.${token}`, linear: {}, boost: weight } };
    });
  if (should.length === 0) return { match_none: name === undefined ? {} : { _name: name } };
  return { bool: { should, ...(boost === 1 ? {} : { boost }), ...(name === undefined ? {} : { _name: name }) } };
}

async function encode(predictor: ModelPredictor, modelId: string, queryText: string): Promise<Tokens> {
  const [tokens] = tokenWeightMaps(await predictor.predict(modelId, { kind: 'text_docs', textDocs: [queryText] }));
  if (tokens === undefined) throw illegalArgument('The inference result can not be null or empty.');
  return tokens;
}

const missingModel = (field: string): string =>
  `[neural_sparse] query on [${field}] needs a model_id (or a neural_query_enricher default) or query_tokens: the sidecar cannot run the analyzer neural-search falls back to`;

/**
 * The clauses the two-phase processor splits (NeuralSparseTwoPhaseProcessor): a top-level
 * `neural_sparse`, or one reached through `bool.should` clauses only; each with the product of
 * the enclosing bools' boosts.
 */
function twoPhaseClauses(query: unknown, baseBoost: number, found = new Map<JsonObject, number>()): Map<JsonObject, number> {
  if (!isJsonObject(query)) return found;
  if (isJsonObject(query['bool'])) {
    const bool = query['bool'];
    const boost = baseBoost * (typeof bool['boost'] === 'number' ? bool['boost'] : 1);
    const should = bool['should'];
    for (const clause of Array.isArray(should) ? should : [should]) twoPhaseClauses(clause, boost, found);
  } else if (Object.hasOwn(query, 'neural_sparse')) {
    found.set(query, baseBoost);
  }
  return found;
}

/** Appends the second phase as a rescore weighted by the earlier rescores' query weights. */
function addRescore(body: JsonObject, secondPhase: JsonObject[], windowSize: number): void {
  const existing = body['rescore'] === undefined ? [] : Array.isArray(body['rescore']) ? body['rescore'] : [body['rescore']];
  const weight = existing.reduce<number>((product, rescore) => {
    const query = isJsonObject(rescore) ? rescore['query'] : undefined;
    return product * (isJsonObject(query) && typeof query['query_weight'] === 'number' ? query['query_weight'] : 1);
  }, 1);
  const rescoreQuery = { bool: { should: secondPhase, ...(weight === 1 ? {} : { boost: weight }) } };
  body['rescore'] = [...existing, { window_size: windowSize, query: { rescore_query: rescoreQuery } }];
}
