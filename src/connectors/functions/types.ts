/**
 * The contracts of ML Commons' built-in pre- and post-process functions
 * (common/connector/MLPreProcessFunction.java, MLPostProcessFunction.java).
 */

/** ML Commons' tensor data types. */
export type DataType =
  | 'FLOAT32' | 'FLOAT64' | 'FLOAT16' | 'UINT8' | 'INT32' | 'INT8' | 'INT64' | 'BOOLEAN' | 'UNKNOWN' | 'STRING' | 'BINARY' | 'UBINARY';

/** One output tensor, as `inference_results[].output[]` renders it (only set fields are serialised). */
export interface ModelTensor {
  name?: string;
  data_type?: DataType;
  shape?: number[];
  data?: number[];
  result?: string;
  dataAsMap?: Record<string, unknown>;
}

/**
 * What a predict call carries, mirroring ML Commons' input data sets:
 * `remote` is RemoteInferenceInputDataSet (`{"parameters": {...}}`), `text_docs` is
 * TextDocsInputDataSet (`{"text_docs": [...]}`, used by neural search and ingest), and
 * `text_similarity` is TextSimilarityInputDataSet (`query_text` + `text_docs`, used by rerank).
 */
export type PredictInput =
  | { readonly kind: 'remote'; readonly parameters: Readonly<Record<string, string>> }
  | { readonly kind: 'text_docs'; readonly textDocs: readonly (string | null)[] }
  | { readonly kind: 'text_similarity'; readonly queryText: string; readonly textDocs: readonly string[] };

/**
 * A built-in pre-process function: maps text-docs or similarity input to the parameters the
 * request body template uses. Values are strings, as ML Commons' parameter map holds them (a list
 * becomes its JSON text). Remote input never reaches these: it passes through unchanged.
 */
export interface PreProcessFunction {
  /** How a text-docs input is split into provider calls (ML Commons' calculateChunkSize). */
  readonly docsPerRequest: 'all' | 'one';
  /** Throws an `OpenSearchError` (400) with ML Commons' message for input it cannot take. */
  process(input: Exclude<PredictInput, { kind: 'remote' }>): Record<string, string>;
}

/**
 * A built-in post-process function: the provider response, already narrowed by `response_filter`
 * (or the function's `defaultPath`), becomes tensors.
 */
export interface PostProcessFunction {
  /** The JSONPath applied when the connector sets no `response_filter`. */
  readonly defaultPath: string;
  /** Throws an `OpenSearchError` (400) with ML Commons' message for a response it cannot map. */
  process(filtered: unknown, dataType: DataType): ModelTensor[];
}
