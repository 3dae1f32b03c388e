import type { PredictInput } from '../connectors/functions/types.js';
import { toParameterStrings } from '../connectors/connector-input.js';
import { illegalArgument } from '../errors/opensearch-error.js';
import { compileSchema, validateOrThrow } from '../schemas/ajv.js';
import { predictBodySchema, textDocsBodySchema, textSimilarityBodySchema } from '../schemas/predict-schemas.js';

const validatePredict = compileSchema<{ parameters?: Record<string, unknown>; action_type?: string }>(predictBodySchema);
const validateTextDocs = compileSchema<{ text_docs: Array<string | null> }>(textDocsBodySchema);
const validateSimilarity = compileSchema<{ query_text: string; text_docs: string[] }>(textSimilarityBodySchema);

/** The algorithms `/_predict/{algorithm}/{model_id}` accepts for remote models. */
export const PREDICT_ALGORITHMS = ['remote', 'text_embedding', 'text_similarity'] as const;
export type PredictAlgorithm = (typeof PREDICT_ALGORITHMS)[number];

/**
 * Parses a predict body by algorithm, as ML Commons' per-algorithm parsers do: `remote` takes
 * `{"parameters": {...}}` (values become strings), `text_embedding` takes `text_docs`, and
 * `text_similarity` takes `query_text` with `text_docs`.
 */
export function parsePredictBody(body: unknown, algorithm: string): PredictInput {
  if (body === undefined) throw illegalArgument('request body is required');
  switch (algorithm.toLowerCase()) {
    case 'remote': {
      if (hasField(body, 'text_docs')) {
        throw illegalArgument(
          '[predict] unknown field [text_docs]: a remote predict takes {"parameters": {...}}; to send text_docs, add ' +
            '?algorithm=text_embedding (or sparse_encoding) to /_plugins/_ml/models/{model_id}/_predict, or use ' +
            'POST /_plugins/_ml/_predict/text_embedding/{model_id}',
        );
      }
      const input = validateOrThrow(validatePredict, body, { what: 'predict', toError: illegalArgument });
      if (input.action_type !== undefined && input.action_type.toLowerCase() !== 'predict') {
        throw illegalArgument(`Action type [${input.action_type}] is not supported by _predict; use predict`);
      }
      return { kind: 'remote', parameters: toParameterStrings(input.parameters ?? {}) };
    }
    case 'text_embedding':
    case 'sparse_encoding':
    case 'sparse_tokenize': {
      // `?algorithm=text_embedding` on a remote model's `_predict` may still carry `parameters`.
      if (isParametersBody(body)) return parsePredictBody(body, 'remote');
      const input = validateOrThrow(validateTextDocs, body, { what: 'predict', toError: illegalArgument });
      return { kind: 'text_docs', textDocs: input.text_docs };
    }
    case 'text_similarity': {
      const input = validateOrThrow(validateSimilarity, body, { what: 'predict', toError: illegalArgument });
      return { kind: 'text_similarity', queryText: input.query_text, textDocs: input.text_docs };
    }
    default:
      throw illegalArgument(`Unsupported algorithm [${algorithm}] for a remote model; use one of [${PREDICT_ALGORITHMS.join(', ')}]`);
  }
}

const hasField = (body: unknown, field: string): boolean =>
  typeof body === 'object' && body !== null && !Array.isArray(body) && Object.hasOwn(body, field);

const isParametersBody = (body: unknown): boolean => hasField(body, 'parameters') && !hasField(body, 'text_docs');
