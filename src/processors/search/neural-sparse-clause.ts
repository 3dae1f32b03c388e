import { illegalArgument, OpenSearchError } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import { setOwn } from '../ml/own-properties.js';

type JsonObject = Record<string, unknown>;

const NAME = 'neural_sparse';
const VALUE_PARAMETERS = new Set(['query_text', 'model_id', 'analyzer', 'max_token_score', 'boost', '_name']);

/** A validated `neural_sparse` clause (NeuralSparseQueryBuilder.fromXContent). */
export interface NeuralSparseClause {
  readonly field: string;
  readonly queryText?: string;
  readonly modelId?: string;
  /** Token → weight, when the query gives them instead of a text to encode. */
  readonly queryTokens?: Readonly<Record<string, number>>;
  readonly boost: number;
  readonly name?: string;
}

/** Validates one clause's value with neural-search's messages. */
export function parseNeuralSparseClause(value: unknown): NeuralSparseClause {
  if (!isJsonObject(value)) throw parsingException(`First token of ${NAME}query must be START_OBJECT`);
  const [field, second] = Object.keys(value);
  if (field === undefined || field === '') throw illegalArgument(`Field name must be provided for ${NAME} query`);
  if (second !== undefined) throw parsingException(`[${NAME}] query doesn't support multiple fields, found [${field}] and [${second}]`);
  const parameters = value[field];
  if (!isJsonObject(parameters)) throw parsingException(`[${NAME}] query malformed, no start_object after field name`);
  for (const [name, parameter] of Object.entries(parameters)) checkParameter(name, parameter);
  const queryTokens = parameters['query_tokens'] === undefined ? undefined : tokensOf(parameters['query_tokens']);
  const queryText = text(parameters['query_text']);
  const modelId = text(parameters['model_id']);
  const analyzer = text(parameters['analyzer']);
  if (queryTokens === undefined && queryText === undefined) {
    throw illegalArgument(`either query_text field or query_tokens field must be provided for [${NAME}] query`);
  }
  for (const [name, given] of [['query_text', queryText], ['model_id', modelId], ['analyzer', analyzer]] as const) {
    if (given === '') throw illegalArgument(`${name} field can not be empty`);
  }
  if (modelId !== undefined && analyzer !== undefined) {
    throw illegalArgument(
      `Cannot use both [model_id: ${modelId}] and [analyzer: ${analyzer}] for neural sparse query tokenization. Specify only one tokenization method. These parameters can be set either in the query or through the neural_query_enricher search processor.`,
    );
  }
  if (analyzer !== undefined && queryTokens === undefined) {
    throw illegalArgument(`[${NAME}] analyzer [${analyzer}] cannot run outside the cluster: give a model_id or query_tokens`);
  }
  const boost = parameters['boost'] === undefined ? 1 : Number(parameters['boost']);
  if (!Number.isFinite(boost)) throw parsingException(`[${NAME}] failed to parse field [boost]`);
  const name = text(parameters['_name']);
  return {
    field,
    ...(queryText === undefined ? {} : { queryText }),
    ...(modelId === undefined ? {} : { modelId }),
    ...(queryTokens === undefined ? {} : { queryTokens }),
    boost,
    ...(name === undefined ? {} : { name }),
  };
}

function checkParameter(name: string, value: unknown): void {
  if (name === 'query_tokens') {
    if (!isJsonObject(value)) throw parsingException(`[${NAME}] query_tokens must be an object of token weights`);
    return;
  }
  if (isJsonObject(value) || Array.isArray(value)) {
    throw parsingException(`[${NAME}] unknown token [${Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT'}] after [${name}]`);
  }
  if (!VALUE_PARAMETERS.has(name)) throw parsingException(`[${NAME}] query does not support [${name}] field`);
}

function tokensOf(value: unknown): Record<string, number> {
  const tokens: Record<string, number> = {};
  for (const [token, weight] of Object.entries(value as JsonObject)) {
    const number = typeof weight === 'string' && weight.trim() !== '' ? Number(weight) : weight;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw parsingException(`[${NAME}] query_tokens weight of [${token}] must be a number`);
    }
    setOwn(tokens, token, number);
  }
  return tokens;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

function parsingException(reason: string): OpenSearchError {
  return new OpenSearchError({ status: 400, type: 'parsing_exception', reason });
}
