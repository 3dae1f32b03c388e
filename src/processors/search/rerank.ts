import { illegalArgument, OpenSearchError } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import { processorConfigError, unsupportedOptionsError } from '../validate-config.js';
import { defineProcessor, type ModelPredictor, type SearchResponseContext } from '../processor-definition.js';
import { readDotPath } from './json-path.js';
import { similarityScores } from './model-answers.js';
import { normaliseSearchBody, readRequestPath } from './normalise-query.js';
import { javaString, searchHits, totalHitCount, type SearchHit } from './search-hits.js';

type JsonObject = Record<string, unknown>;

export interface RerankConfig {
  ml_opensearch?: { model_id: string };
  by_field?: { target_field: string; remove_target_field: boolean; keep_previous_score: boolean; previous_score_field: string };
  context?: JsonObject;
}

const TYPE = 'rerank';
const RERANK_TYPES = ['ml_opensearch', 'by_field'] as const;
const MAX_DOCUMENT_FIELDS = 50;
const MAX_QUERY_PATH_LENGTH = 1000;
const MAPPING_DEPTH_LIMIT = 20;

/**
 * `rerank` (neural-search RerankProcessorFactory): `ml_opensearch` scores every hit with one
 * text-similarity predict of the query text (`ext.rerank.query_context`) against each hit's
 * `context.document_fields` concatenated; `by_field` takes the score from a numeric `_source`
 * field. Scores replace `_score`, the hits are re-sorted (descending; unscored last) and
 * `max_score` is the first hit's.
 */
export const rerankProcessor = defineProcessor({
  type: TYPE,
  kind: 'search_response',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ml_opensearch: {
        type: 'object',
        additionalProperties: false,
        required: ['model_id'],
        description: 'Rerank with a text-similarity (cross-encoder) model.',
        properties: { model_id: { type: 'string', description: 'The text-similarity model.' } },
      },
      by_field: {
        type: 'object',
        additionalProperties: false,
        required: ['target_field'],
        description: 'Rerank by a numeric `_source` field.',
        properties: {
          target_field: { type: 'string', description: 'Dot path of the numeric field that becomes `_score`.' },
          remove_target_field: { type: 'boolean', default: false, description: 'Remove the field (and objects it leaves empty) from `_source`.' },
          keep_previous_score: { type: 'boolean', default: false, description: 'Keep the old `_score` in `_source`.' },
          previous_score_field: { type: 'string', default: 'previous_score', description: 'Where `keep_previous_score` keeps it.' },
        },
      },
      context: {
        type: 'object',
        description: 'For `ml_opensearch`: `{"document_fields": [...]}`, the fields whose text is scored.',
      },
    },
  },
  create(config: RerankConfig, deps, tag) {
    const types = RERANK_TYPES.filter((type) => config[type] !== undefined);
    if (types.length === 0) throw illegalArgument(`No rerank type found. Possible rerank types are: [${RERANK_TYPES.join(', ')}]`);
    if (types.length > 1) throw illegalArgument(`Multiple rerank types found: [${types.join(', ')}]. Only one is permitted.`);
    if (config.by_field) {
      if (config.context !== undefined) {
        throw unsupportedOptionsError({ type: TYPE, kind: 'search_response' }, tag, ['context']);
      }
      const byField = config.by_field;
      return { type: TYPE, processResponse: (context) => rescore(context, async (hits) => scoresFromField(hits, byField)) };
    }
    if (config.context === undefined) throw processorConfigError(TYPE, tag, 'context', '[context] required property is missing');
    const documentFields = checkedDocumentFields(config.context);
    const modelId = (config.ml_opensearch as { model_id: string }).model_id;
    return {
      type: TYPE,
      processResponse: (context) => rescore(context, (hits) => scoresFromModel(deps.predictor, modelId, documentFields, hits, context)),
    };
  },
});

/** RescoringRerankProcessor.rerank: new scores, re-sorted hits, new `max_score`. */
async function rescore(context: SearchResponseContext, score: (hits: SearchHit[]) => Promise<number[]>): Promise<void> {
  const hits = searchHits(context.response);
  if (totalHitCount(context.response) === 0 || hits.length === 0) return;
  const scores = await score(hits);
  if (scores.length !== hits.length) throw illegalState('scores and hits are not the same length');
  hits.forEach((hit, index) => (hit['_score'] = scores[index]));
  const sorted = [...hits].sort((first, second) => {
    const [a, b] = [first['_score'] as number, second['_score'] as number];
    if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
    return b - a;
  });
  const hitsSection = context.response['hits'] as JsonObject;
  hitsSection['hits'] = sorted;
  hitsSection['max_score'] = sorted[0]?.['_score'] ?? null;
}

async function scoresFromModel(predictor: ModelPredictor, modelId: string, fields: readonly string[], hits: SearchHit[], context: SearchResponseContext): Promise<number[]> {
  const queryText = queryTextOf(context.request.body);
  const textDocs = hits.map((hit) => fields.map((field) => documentText(hit, field)).join(''));
  const answer = await predictor.predict(modelId, { kind: 'text_similarity', queryText, textDocs });
  return similarityScores(answer);
}

/** QueryContextSourceFetcher: `ext.rerank.query_context.query_text`, or the string at `query_text_path` in the normalised request. */
function queryTextOf(body: JsonObject): string {
  const rerank = isJsonObject(body['ext']) ? body['ext']['rerank'] : undefined;
  if (!isJsonObject(rerank) || !Object.hasOwn(rerank, 'query_context')) throw illegalArgument('must specify query_context');
  const queryContext = rerank['query_context'];
  if (!isJsonObject(queryContext)) throw illegalArgument('query_context must be a map');
  const hasText = Object.hasOwn(queryContext, 'query_text');
  const hasPath = Object.hasOwn(queryContext, 'query_text_path');
  if (hasText && hasPath) throw illegalArgument('Cannot specify both "query_text" and "query_text_path"');
  if (hasText) return javaString(queryContext['query_text']);
  if (!hasPath) throw illegalArgument('Must specify either "query_text" or "query_text_path"');
  const path = String(queryContext['query_text_path']);
  if (path.length > MAX_QUERY_PATH_LENGTH) {
    throw illegalArgument(`query_text_path exceeded the maximum path length of ${MAX_QUERY_PATH_LENGTH} characters`);
  }
  if (path.split('.').length > MAPPING_DEPTH_LIMIT) {
    throw illegalArgument(`query_text_path exceeded the maximum path length of ${MAPPING_DEPTH_LIMIT} nested fields`);
  }
  const lookup = readRequestPath(normaliseSearchBody(body), body, path);
  if (typeof lookup.value !== 'string') throw illegalArgument('query_text_path must point to a string field');
  return lookup.value;
}

/** DocumentContextSourceFetcher: the field from `fields` first, else `_source` (lists joined by spaces), else "". */
function documentText(hit: SearchHit, field: string): string {
  const fields = hit['fields'];
  if (isJsonObject(fields) && Object.hasOwn(fields, field)) {
    const values = fields[field];
    return javaString(Array.isArray(values) ? values[0] : values);
  }
  const lookup = readDotPath(hit['_source'], field);
  if (!lookup.found) return '';
  return Array.isArray(lookup.value) ? lookup.value.map(javaString).join(' ') : javaString(lookup.value);
}

/** ByFieldRerankProcessor: every hit must have a numeric target field; the old score and the field are optionally kept and removed. */
function scoresFromField(hits: SearchHit[], options: NonNullable<RerankConfig['by_field']>): number[] {
  hits.forEach((hit, index) => {
    if (!isJsonObject(hit['_source'])) throw illegalArgument(`There is no source field to be able to perform rerank on hit [${index}]`);
    const value = objectPath(hit['_source'], options.target_field);
    if (value === undefined || value === null) throw illegalArgument(`The field to rerank by is not found at hit [${index}]`);
    if (typeof value !== 'number') throw illegalArgument(`The field mapping to rerank by [${javaString(value)}] is not Numerical`);
  });
  return hits.map((hit) => {
    const source = hit['_source'] as JsonObject;
    const score = objectPath(source, options.target_field) as number;
    if (options.keep_previous_score) source[options.previous_score_field] = hit['_score'];
    if (options.remove_target_field) removeWithEmptyParents(source, options.target_field.split('.'));
    return score;
  });
}

/** ByFieldRerankProcessor's getValueFromSource: a dot path through objects only. */
function objectPath(source: unknown, path: string): unknown {
  let current = source;
  for (const key of path.split('.')) {
    if (!isJsonObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

function removeWithEmptyParents(container: JsonObject, keys: readonly string[]): void {
  const [key, ...rest] = keys;
  if (key === undefined) return;
  if (rest.length === 0) {
    delete container[key];
    return;
  }
  const child = container[key];
  if (!isJsonObject(child)) return;
  removeWithEmptyParents(child, rest);
  if (Object.keys(child).length === 0) delete container[key];
}

function checkedDocumentFields(context: JsonObject): string[] {
  for (const key of Object.keys(context)) {
    if (key !== 'document_fields') throw illegalArgument(`unrecognized context field: ${key}`);
  }
  const fields = context['document_fields'];
  if (!Array.isArray(fields) || !fields.every((field) => typeof field === 'string')) {
    throw illegalArgument('document_fields must be a list of field names');
  }
  if (fields.length === 0) throw illegalArgument('document_fields must be nonempty');
  if (fields.length > MAX_DOCUMENT_FIELDS) {
    throw illegalArgument(
      `document_fields must not contain more than ${MAX_DOCUMENT_FIELDS} fields. Configure by setting plugins.neural_search.reranker_max_document_fields`,
    );
  }
  return fields;
}

function illegalState(reason: string): OpenSearchError {
  return new OpenSearchError({ status: 500, type: 'illegal_state_exception', reason });
}
