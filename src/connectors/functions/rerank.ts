/**
 * Rerank built-ins: a text-similarity input (`query_text` + `text_docs`) becomes a provider rerank
 * request, and the ranked results come back as one similarity score per document, in document order.
 * Cohere: `POST /v1/rerank` → `{"results":[{"index","relevance_score"}]}`.
 * Bedrock: `POST /rerank` (agent runtime) → `{"results":[{"index","relevanceScore"}]}`.
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import { EMBEDDING_MESSAGES, requireModelOutput } from './embedding-tensors.js';
import { gsonToJson } from './gson-json.js';
import { requireTextSimilarity } from './input-kinds.js';
import { isRecord, javaClassName } from './json-values.js';
import type { ModelTensor, PostProcessFunction, PreProcessFunction } from './types.js';

/** `connector.pre_process.cohere.rerank` (CohereRerankPreProcessFunction): `query`, `documents`, `top_n` = doc count. */
export const cohereRerankPreProcess = {
  docsPerRequest: 'all',
  process: (input) => {
    const { queryText, textDocs } = requireTextSimilarity(input);
    return { query: queryText, documents: gsonToJson(textDocs), top_n: String(textDocs.length) };
  },
} satisfies PreProcessFunction;

/**
 * `connector.pre_process.bedrock.rerank` (BedrockRerankPreProcessFunction): the Bedrock Rerank API's
 * `queries` and `sources` lists, and `numberOfResults` = doc count. (Java builds the objects with
 * Map.of, whose key order is unspecified; the order here is the documented one.)
 */
export const bedrockRerankPreProcess = {
  docsPerRequest: 'all',
  process: (input) => {
    const { queryText, textDocs } = requireTextSimilarity(input);
    const queries = [{ textQuery: { text: queryText }, type: 'TEXT' }];
    const sources = textDocs.map((text) => ({
      inlineDocumentSource: { textDocument: { text }, type: 'TEXT' },
      type: 'INLINE',
    }));
    return { queries: gsonToJson(queries), sources: gsonToJson(sources), numberOfResults: String(textDocs.length) };
  },
} satisfies PreProcessFunction;

/** A score read from one result; throws ML Commons' message for a value it cannot use. */
type ScoreReader = (value: unknown) => number;

/**
 * Scores in document order: result `i` carries `index` (the document's position) and a score
 * (CohereRerankPostProcessFunction / BedrockRerankPostProcessFunction). ML Commons validates only the
 * first result and fails with an ArrayIndexOutOfBoundsException (500) on a bad index; every result
 * is checked here and a bad or repeated index is a 400.
 */
function rerankTensors(filtered: unknown, scoreKey: string, readScore: ScoreReader): ModelTensor[] {
  const output = requireModelOutput(filtered);
  if (!Array.isArray(output)) throw illegalArgument(EMBEDDING_MESSAGES.notList);
  const seen = new Set<number>();
  const ranked = (output as unknown[]).map((result) => {
    if (!isRecord(result)) throw illegalArgument('Post process function input is not a List of Map.');
    if (!Object.hasOwn(result, 'index') || !Object.hasOwn(result, scoreKey)) {
      throw illegalArgument(`The rerank result should contain index and ${scoreKey}.`);
    }
    const index = result['index'];
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= output.length) {
      throw illegalArgument(`Index ${JSON.stringify(index)} out of bounds for length ${output.length}`);
    }
    if (seen.has(index)) throw illegalArgument(`Rerank result index ${index} appears more than once`);
    seen.add(index);
    return { index, score: readScore(result[scoreKey]) };
  });
  // n distinct indexes in [0, n) cover every document once, so sorting restores document order.
  ranked.sort((left, right) => left.index - right.index);
  return ranked.map(({ score }) => ({ name: 'similarity', data_type: 'FLOAT32', shape: [1], data: [score] }));
}

// Bedrock's function names the value's type when it is not a number; Cohere's would throw a
// ClassCastException, so it gets the same wording with its own key.
function numericScore(scoreKey: string): ScoreReader {
  return (value) => {
    if (typeof value === 'number') return value;
    if (value === null) throw illegalArgument(`${scoreKey} is null`);
    throw illegalArgument(`Unexpected type for ${scoreKey}: ${javaClassName(value)}`);
  };
}

/** `connector.post_process.cohere.rerank`: `results[].relevance_score` in document order. */
export const cohereRerankPostProcess = {
  defaultPath: '$.results',
  process: (filtered) => rerankTensors(filtered, 'relevance_score', numericScore('relevance_score')),
} satisfies PostProcessFunction;

/** `connector.post_process.bedrock.rerank`: `results[].relevanceScore` in document order. */
export const bedrockRerankPostProcess = {
  defaultPath: '$.results',
  process: (filtered) => rerankTensors(filtered, 'relevanceScore', numericScore('relevanceScore')),
} satisfies PostProcessFunction;
