import { illegalArgument, OpenSearchError } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import type { ModelPredictor } from '../processor-definition.js';
import { firstVector } from './model-answers.js';
import { visitClauses } from './query-tree.js';

type JsonObject = Record<string, unknown>;

/** Model ids a `neural_query_enricher` supplies to `neural` clauses that name none. */
export interface NeuralModelDefaults {
  readonly defaultModelId?: string;
  readonly fieldModelIds?: Readonly<Record<string, string>>;
}

export interface NeuralRewriteOptions extends NeuralModelDefaults {
  readonly predictor: ModelPredictor;
}

/**
 * The request-context attribute under which `neural_query_enricher` leaves its defaults
 * (a `NeuralModelDefaults`), so the final rewrite also covers clauses added after it ran.
 */
export const NEURAL_DEFAULTS_ATTRIBUTE = 'neural_query_enricher.defaults';

/** The defaults an enricher stored in a search's attributes (none when no enricher ran). */
export function neuralDefaultsFrom(attributes: ReadonlyMap<string, unknown>): NeuralModelDefaults {
  const stored = attributes.get(NEURAL_DEFAULTS_ATTRIBUTE);
  return isJsonObject(stored) ? (stored as NeuralModelDefaults) : {};
}

/** A validated `neural` clause (NeuralQueryBuilder.fromXContent). */
export interface NeuralClause {
  readonly field: string;
  readonly queryText?: string;
  readonly queryImage?: string;
  readonly modelId?: string;
  /** Everything the `knn` clause takes over unchanged (`filter`, `boost`, `_name`, ...). */
  readonly passThrough: JsonObject;
}

const VALUE_PARAMETERS = new Set(['query_text', 'query_image', 'model_id', 'k', '_name', 'boost', 'max_distance', 'min_score', 'expand_nested_docs']);
const OBJECT_PARAMETERS = new Set(['filter', 'method_parameters', 'rescore']);
const DEFAULT_K = 10;
const MISSING_MODEL_ID = 'model id must be provided in neural query or a default model id must be set in search request processor';

/** Every `{"neural": ...}` clause object of a search body (query, post_filter, rescore), at any depth. */
export function findClauses(body: JsonObject, type: string): JsonObject[] {
  const clauses: JsonObject[] = [];
  visitClauses(body, (clause) => {
    if (Object.hasOwn(clause, type)) clauses.push(clause);
  });
  return clauses;
}

/** The model id a clause uses: its own, else its field's default, else the default (NeuralSearchQueryVisitor). */
export function resolveModelId(
  field: string,
  explicit: string | undefined,
  defaults: NeuralModelDefaults,
  missing: string = MISSING_MODEL_ID,
): string {
  if (explicit !== undefined) return explicit;
  const fieldDefault = defaults.fieldModelIds?.[field];
  if (typeof fieldDefault === 'string' && Object.hasOwn(defaults.fieldModelIds ?? {}, field)) return fieldDefault;
  if (defaults.defaultModelId !== undefined) return defaults.defaultModelId;
  throw illegalArgument(missing);
}

/**
 * Rewrites every `neural` clause of a search body in place into the `knn` clause neural-search
 * would run: `{"knn": {"<field>": {"vector": [...], "k": 10, ...}}}`. All clauses are validated
 * before any model call; each distinct (model, text, image) is embedded once, all concurrently.
 * A model failure is thrown as the model layer reported it.
 */
export async function rewriteNeuralQueries(body: JsonObject, options: NeuralRewriteOptions): Promise<void> {
  const clauses = findClauses(body, 'neural').map((clause) => {
    const parsed = parseNeuralClause(clause['neural']);
    return { clause, parsed, modelId: resolveModelId(parsed.field, parsed.modelId, options) };
  });
  if (clauses.length === 0) return;
  const embeddings = new Map<string, Promise<number[]>>();
  const keyOf = (modelId: string, parsed: NeuralClause) => JSON.stringify([modelId, parsed.queryText ?? null, parsed.queryImage ?? null]);
  for (const { parsed, modelId } of clauses) {
    const key = keyOf(modelId, parsed);
    if (!embeddings.has(key)) embeddings.set(key, embed(options.predictor, modelId, parsed));
  }
  // Settle every call before failing, so no rejection is left unobserved.
  const settled = await Promise.allSettled(embeddings.values());
  const failure = settled.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  for (const { clause, parsed, modelId } of clauses) {
    const vector = await (embeddings.get(keyOf(modelId, parsed)) as Promise<number[]>);
    delete clause['neural'];
    clause['knn'] = { [parsed.field]: { vector, ...parsed.passThrough } };
  }
}

/** Validates one clause's value as NeuralQueryBuilder.fromXContent does, with its messages. */
export function parseNeuralClause(value: unknown): NeuralClause {
  if (!isJsonObject(value)) throw parsingException('[neural] query malformed, no start_object after query name');
  const fields = Object.keys(value);
  const field = fields[0];
  if (field === undefined) throw illegalArgument('Field name must be provided for neural query');
  if (fields.length > 1) throw parsingException(`[neural] query doesn't support multiple fields, found [${field}] and [${fields[1]}]`);
  const parameters = isJsonObject(value[field]) ? (value[field] as JsonObject) : {};
  for (const [name, parameter] of Object.entries(parameters)) checkParameter(name, parameter);
  const queryText = optionalText(parameters['query_text']);
  const queryImage = optionalText(parameters['query_image']);
  if (isBlank(queryText) && isBlank(queryImage)) throw illegalArgument('Either query text or image text must be provided for neural query');
  const radius = ['k', 'max_distance', 'min_score'].filter((name) => parameters[name] !== undefined && parameters[name] !== null);
  if (radius.length > 1) throw illegalArgument('Only one of k, max_distance, or min_score can be provided');
  const passThrough: JsonObject = {};
  if (radius.length === 0) passThrough['k'] = DEFAULT_K;
  if (parameters['k'] !== undefined) passThrough['k'] = integerParameter(parameters['k']);
  for (const name of ['min_score', 'max_distance', 'boost']) {
    if (parameters[name] !== undefined) passThrough[name] = numberParameter(name, parameters[name]);
  }
  for (const name of ['filter', 'method_parameters', 'rescore', 'expand_nested_docs', '_name']) {
    if (parameters[name] !== undefined) passThrough[name] = parameters[name];
  }
  const modelId = optionalText(parameters['model_id']);
  return {
    field,
    ...(isBlank(queryText) ? {} : { queryText }),
    ...(isBlank(queryImage) ? {} : { queryImage }),
    ...(modelId === undefined ? {} : { modelId }),
    passThrough,
  };
}

async function embed(predictor: ModelPredictor, modelId: string, clause: NeuralClause): Promise<number[]> {
  // neural-search's multimodal input: the text (null when only an image is given), then the image.
  const textDocs = clause.queryImage === undefined ? [clause.queryText ?? null] : [clause.queryText ?? null, clause.queryImage];
  const answer = await predictor.predict(modelId, { kind: 'text_docs', textDocs });
  const vector = firstVector(answer);
  if (vector.length === 0) throw illegalArgument('[knn] requires query vector');
  return vector;
}

function checkParameter(name: string, value: unknown): void {
  if (Array.isArray(value)) throw parsingException(`[neural] unknown token [START_ARRAY] after [${name}]`);
  const known = isJsonObject(value) ? OBJECT_PARAMETERS.has(name) : VALUE_PARAMETERS.has(name) || name === 'rescore';
  if (!known) throw parsingException(`[neural] query does not support [${name}]`);
}

function optionalText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

const isBlank = (text: string | undefined): boolean => text === undefined || text.trim() === '';

function integerParameter(value: unknown): number {
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw illegalArgument(`For input string: "${String(value)}"`);
  if (!Number.isInteger(number)) throw illegalArgument(`Value [${String(value)}] has a decimal part`);
  return number;
}

function numberParameter(name: string, value: unknown): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw parsingException(`[neural] failed to parse [${name}] value [${String(value)}]`);
  return number;
}

function parsingException(reason: string): OpenSearchError {
  return new OpenSearchError({ status: 400, type: 'parsing_exception', reason });
}
