import type { PredictInput } from '../connectors/functions/types.js';
import type { ModelTensors } from '../connectors/invoke/invoke-connector.js';
import type { StreamDelta } from '../connectors/streaming/index.js';
import type { IngestDocument } from '../pipeline/ingest-document.js';
import type { Clock } from '../util/clock.js';
import type { HybridScoring } from './search/hybrid/fuse-hybrid-scores.js';

/** Where a processor runs. */
export type ProcessorKind = 'ingest' | 'search_request' | 'search_response' | 'search_phase_results';

/** How a caller bounds its predict's provider calls. */
export interface PredictOptions {
  /**
   * For `text_docs`: most of these texts in one provider call, also when the call is shared with
   * other callers (a processor's `batch_size`). Unset, the model's batching limits apply.
   */
  readonly maxTextsPerCall?: number;
}

/** An LLM answer under way: its pieces as they come, and a way to end the call early. */
export interface AnswerStream {
  readonly deltas: AsyncIterable<StreamDelta>;
  cancel(): void;
}

/** The predict capability processors receive (the models layer implements it; processors never import it). */
export interface ModelPredictor {
  predict(modelId: string, input: PredictInput, options?: PredictOptions): Promise<{ inference_results: ModelTensors[] }>;
  /** A streamed remote prediction (`_predict/stream`'s path); absent where nothing streams. */
  predictStream?(modelId: string, input: PredictInput, options?: { readonly signal?: AbortSignal }): Promise<AnswerStream>;
  /** Whether most of the model's recent calls failed (its circuit is open): batches then never split on a 5xx. */
  isCircuitOpen(modelId: string): Promise<boolean>;
}

/** One earlier question and answer of a conversation. */
export interface ConversationTurn {
  readonly input: string | null;
  readonly response: string | null;
}

/** A turn to remember: ML Commons' interaction fields. */
export interface NewConversationTurn {
  readonly input: string;
  readonly promptTemplate: string;
  readonly response: string;
  readonly origin: string;
  readonly additionalInfo: Readonly<Record<string, string>>;
}

/** Conversation memory as RAG uses it, for the caller of the running request (the memory layer implements it). */
export interface ConversationMemory {
  /** The last `count` turns of a memory the caller may see, oldest first; a missing or foreign memory throws. */
  recentTurns(memoryId: string, count: number): Promise<ConversationTurn[]>;
  /** Adds a turn to the memory and answers its message id. */
  saveTurn(memoryId: string, turn: NewConversationTurn): Promise<string>;
}

/** A compiled script: Painless for `if` conditions and the `script` processor. */
export interface CompiledScript {
  execute(variables: Readonly<Record<string, unknown>>): unknown;
}

/** What every processor factory may use. All I/O arrives here, injected. */
export interface ProcessorDeps {
  readonly predictor: ModelPredictor;
  /** Compiles Painless; throws a 400 with line and column when it does not compile. */
  readonly compileScript: (source: string) => CompiledScript;
  readonly clock: Clock;
  /** Conversation memory for `retrieval_augmented_generation` with a `memory_id` (absent where no memory is wired). */
  readonly conversations?: ConversationMemory;
  /** Builds a nested ingest processor (`foreach`'s `processor`), validating it like a top-level one. */
  readonly buildIngestProcessor: (config: unknown, path: string) => IngestProcessor;
}

/** One document's outcome in a batch. */
export type BatchOutcome = { readonly status: 'ok' } | { readonly status: 'dropped' } | { readonly status: 'failed'; readonly error: unknown };

/** An ingest processor. Common options (`tag`, `if`, `ignore_failure`, `on_failure`) are the runner's job. */
export interface IngestProcessor {
  readonly type: string;
  /**
   * Processes one document in place. Returns `'drop'` to drop it (the `drop` processor); throws an
   * `OpenSearchError` to fail it.
   */
  execute(document: IngestDocument): Promise<void | 'drop'>;
  /**
   * Optional: processes many documents at once (ML processors batch their model calls across
   * documents). One outcome per document, same order; a failure fails only its documents.
   */
  executeBatch?(documents: readonly IngestDocument[]): Promise<BatchOutcome[]>;
}

/** The context a search request processor works on: the search body, rewritable in place. */
export interface SearchRequestContext {
  /** The search body (`query`, `size`, `ext`, ...). Processors may replace fields. */
  body: Record<string, unknown>;
  /** Attributes shared by the processors of one search (e.g. values for `template` queries). */
  readonly attributes: Map<string, unknown>;
}

/**
 * An answer a response processor streams after the search response (the RAG processor with
 * `generative_qa_parameters.stream`): its pieces, and what completes it once all have been sent.
 */
export interface DeferredAnswer extends AnswerStream {
  /** The `ext` section for the whole answer (saving the conversation turn first when there is a memory). */
  finish(answer: string): Promise<{ readonly name: string; readonly section: Record<string, unknown> }>;
}

/** A search response, rewritable in place. */
export interface SearchResponseContext {
  readonly request: SearchRequestContext;
  response: Record<string, unknown>;
  /** Whoever runs the pipeline can send an answer after the response (the proxy's streamed searches). */
  readonly streaming?: boolean;
  /** Set by a processor that streams its answer instead of putting it in the response. */
  deferredAnswer?: DeferredAnswer;
}

export interface SearchRequestProcessor {
  readonly type: string;
  processRequest(context: SearchRequestContext): Promise<void>;
}

export interface SearchResponseProcessor {
  readonly type: string;
  processResponse(context: SearchResponseContext): Promise<void>;
}

/**
 * A search phase results processor (`normalization-processor`, `score-ranker-processor`): it holds
 * how a `hybrid` query's sub-query results are normalized and combined; the search runtime
 * applies it to the results of the sub-queries.
 */
export interface SearchPhaseResultsProcessor {
  readonly type: string;
  readonly scoring: HybridScoring;
}

export interface ProcessorByKind {
  ingest: IngestProcessor;
  search_request: SearchRequestProcessor;
  search_response: SearchResponseProcessor;
  search_phase_results: SearchPhaseResultsProcessor;
}

/**
 * A processor type: its JSON key, where it runs, the JSON Schema of its own options (common
 * options are merged by the runner) and its factory. `create` does no I/O; it may throw a 400
 * for option combinations the schema cannot express.
 */
export interface ProcessorDefinition<Config = any, Kind extends ProcessorKind = ProcessorKind> {
  readonly type: string;
  readonly kind: Kind;
  /** `type: object`, `additionalProperties: false`, a `description` on every property. */
  readonly configSchema: object;
  create(config: Config, deps: ProcessorDeps, tag: string | undefined): ProcessorByKind[Kind];
}

/** Identity helper that checks a definition's shape at compile time. */
export const defineProcessor = <Config, Kind extends ProcessorKind>(definition: ProcessorDefinition<Config, Kind>) => definition;
