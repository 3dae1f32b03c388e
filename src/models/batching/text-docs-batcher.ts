/**
 * The wrapper the predict service puts around `text_docs` predictions: cache lookups, then
 * cross-request coalescing, then the answer put back together in the shape the caller would have
 * received alone.
 *
 * Shape: a caller's texts are cut into chunks exactly as `invokeConnector` cuts them (all in one
 * call, one per doc, or `input_docs_processed_step_size`); each chunk is one `inference_results[]`
 * element with its texts' tensors in input order, whether its texts travelled in a call shared with
 * other callers, were split off a failing call, or came from the cache.
 *
 * A caller may bound its texts per provider call (`maxTextsPerCall`, a processor's `batch_size`):
 * its chunks are cut to the bound, and a coalesced call never carries more texts than the
 * smallest bound among the callers it serves.
 *
 * Batches are sized by tokens too: while the model's calls are paced (by its connector's rates or
 * the limits its provider reports), a coalesced call carries at most the estimated tokens the
 * pacer's budget allows (`CallBudget.maxTokensPerCall`, in text bytes at 4 bytes a token), and a
 * batch waiting for its turn keeps filling.
 */
import type { ConnectorDefinition } from '../../connectors/connector-record.js';
import type { ModelTensor } from '../../connectors/functions/types.js';
import type { ModelTensors } from '../../connectors/invoke/invoke-connector.js';
import { statusException } from '../../errors/opensearch-error.js';
import type { CallBudget } from '../../http/http-client.js';
import { BYTES_PER_TOKEN } from '../../http/request-pacer.js';
import type { BatchInferenceConfig } from '../model-record.js';
import { batchPlan, type BatchPlan } from './batch-plan.js';
import { textBytes, type SendTexts, type Settled, type TextAnswer, type Unit } from './batch-types.js';
import { Coalescer, type CoalesceLimits } from './coalescer.js';
import { EmbeddingCaches, textKey, type EmbeddingCache } from './embedding-cache.js';
import { BatchSplitter } from '../isolation/split-rule.js';
import { NO_PREDICT_EVENTS, type PredictEvents } from '../predict-events.js';
import type { CallCircuit } from '../isolation/call-circuit.js';
import { sendUnits } from './split-on-failure.js';

/** The model a `text_docs` prediction is for. */
export interface TextDocsTarget {
  readonly modelId: string;
  readonly connector: ConnectorDefinition;
  /** The deployment (compared by identity): calls never mix two deployments of a model. */
  readonly owner: object;
  /** The model's own batching limits, which take precedence over the connector's. */
  readonly modelLimits?: BatchInferenceConfig;
  /** The model's circuit: a failed shared call is not split on a 5xx while it is open. */
  readonly circuit: CallCircuit;
  /** One `text_docs` predict through the connector, as the predict path makes it. */
  readonly send: SendTexts;
  /** The connector's call budget while its calls are paced. */
  readonly budget?: () => CallBudget | undefined;
}

/** One chunk of a caller's texts: what the caller alone would send in one provider call. */
interface Chunk {
  readonly texts: readonly (string | null)[];
  /** Cached tensors by position in the chunk (undefined = must be sent). */
  readonly hits: ReadonlyArray<ModelTensor[] | undefined>;
  readonly keys: ReadonlyArray<string | undefined>;
  /** The texts to send, or undefined when every text was cached. */
  readonly unit: Unit | undefined;
}

const CACHE_HIT_STATUS = 200;

/** Coalescing, splitting and caching of `text_docs` predictions, shared by every model. */
export class TextDocsBatcher {
  private readonly coalescer: Coalescer;
  private readonly caches = new EmbeddingCaches();

  /** `events` hears cache lookups and coalesced calls. */
  constructor(private readonly events: PredictEvents = NO_PREDICT_EVENTS) {
    this.coalescer = new Coalescer((modelId, texts, callers) => events.coalesced(modelId, texts, callers));
  }

  /** Predicts `textDocs`, at most `maxTextsPerCall` in a provider call; answers one `inference_results[]` element per chunk, in order. */
  async predict(target: TextDocsTarget, textDocs: readonly (string | null)[], maxTextsPerCall = Infinity): Promise<ModelTensors[]> {
    const plan = batchPlan(target.connector, target.modelLimits);
    const chunkSize = Math.min(plan.chunkSize, maxTextsPerCall);
    const cache = plan.cacheSize > 0 ? this.caches.forModel(target.modelId, target.connector, plan.cacheSize) : undefined;
    if (textDocs.length === 0 || plan.attribution === 'none' || (!plan.coalesce && cache === undefined)) {
      return sendInChunks(target.send, textDocs, chunkSize);
    }
    const limits: CoalesceLimits = maxTextsPerCall < plan.maxInputs ? { ...plan, maxInputs: maxTextsPerCall } : plan;
    const chunks = cutChunks(textDocs, chunkSize, cache);
    if (cache !== undefined) this.reportLookups(target.modelId, chunks);
    const outcomes = await Promise.all(
      chunks.map((chunk) => (chunk.unit === undefined ? undefined : this.dispatch(target, plan, limits, chunk.unit))),
    );
    return chunks.flatMap((chunk, index) => assemble(chunk, outcomes[index], cache));
  }

  private reportLookups(modelId: string, chunks: readonly Chunk[]): void {
    let hits = 0;
    let misses = 0;
    for (const chunk of chunks) {
      for (let position = 0; position < chunk.keys.length; position++) {
        if (chunk.keys[position] === undefined) continue; // null texts are never looked up
        if (chunk.hits[position] === undefined) misses++;
        else hits++;
      }
    }
    this.events.looked(modelId, hits, misses);
  }

  private dispatch(target: TextDocsTarget, plan: BatchPlan, limits: CoalesceLimits, unit: Unit): Promise<Settled> {
    const sendBatch = (units: readonly Unit[]): Promise<Settled[]> =>
      sendUnits(units, {
        send: target.send,
        attribution: plan.attribution,
        splitter: new BatchSplitter(units.length, () => target.circuit.isOpen),
      });
    if (plan.coalesce) return this.coalescer.submit(target.modelId, target.owner, withBudget(limits, target.budget?.()), sendBatch, unit);
    return sendBatch([unit]).then((outcomes) => outcomes[0]!);
  }
}

/** The limits narrowed to a paced connector's budget: at most its tokens per call, held while calls wait. */
function withBudget(limits: CoalesceLimits, budget: CallBudget | undefined): CoalesceLimits {
  if (budget === undefined) return limits;
  const maxBytes = budget.maxTokensPerCall === undefined ? limits.maxBytes : Math.min(limits.maxBytes, Math.max(1, Math.floor(budget.maxTokensPerCall * BYTES_PER_TOKEN)));
  return { ...limits, maxBytes, holdMillis: (bytes) => budget.waitMillis(Math.ceil(bytes / BYTES_PER_TOKEN)) };
}

/** Sends the texts as they are when they fit one call, else in calls of `chunkSize`, concurrently. */
async function sendInChunks(send: SendTexts, textDocs: readonly (string | null)[], chunkSize: number): Promise<ModelTensors[]> {
  if (textDocs.length <= chunkSize) return send(textDocs);
  const calls: Promise<ModelTensors[]>[] = [];
  for (let start = 0; start < textDocs.length; start += chunkSize) calls.push(send(textDocs.slice(start, start + chunkSize)));
  return (await Promise.all(calls)).flat();
}

function cutChunks(textDocs: readonly (string | null)[], chunkSize: number, cache: EmbeddingCache | undefined): Chunk[] {
  const chunks: Chunk[] = [];
  const step = Number.isFinite(chunkSize) ? chunkSize : textDocs.length;
  for (let start = 0; start < textDocs.length; start += step) {
    const texts = textDocs.slice(start, start + step);
    const keys = texts.map((text) => (cache === undefined || text === null ? undefined : textKey(text)));
    const hits = keys.map((key) => (key === undefined ? undefined : cache!.get(key)));
    const missing = texts.filter((_, position) => hits[position] === undefined);
    chunks.push({ texts, keys, hits, unit: missing.length === 0 ? undefined : { texts: missing, bytes: textBytes(missing) } });
  }
  return chunks;
}

/** The chunk's `inference_results[]` element(s); throws the error its call got. */
function assemble(chunk: Chunk, outcome: Settled | undefined, cache: EmbeddingCache | undefined): ModelTensors[] {
  if (outcome !== undefined && 'error' in outcome) throw outcome.error;
  const answer = outcome?.answer;
  if (answer !== undefined && 'whole' in answer) {
    if (chunk.unit!.texts.length === chunk.texts.length) return [...answer.whole];
    throw statusException(502, `model returned ${countTensors(answer.whole)} results for ${chunk.unit!.texts.length} input texts, so its cached and new results cannot be combined`);
  }
  const fresh: readonly TextAnswer[] = answer?.perText ?? [];
  let next = 0;
  let status = CACHE_HIT_STATUS;
  const output: ModelTensor[] = [];
  chunk.texts.forEach((_, position) => {
    const hit = chunk.hits[position];
    if (hit !== undefined) {
      output.push(...hit);
      return;
    }
    const share = fresh[next++]!;
    status = share.status;
    output.push(...share.tensors);
    const key = chunk.keys[position];
    if (cache !== undefined && key !== undefined) cache.set(key, share.tensors);
  });
  return [{ output, status_code: status }];
}

const countTensors = (results: readonly ModelTensors[]): number => results.reduce((total, result) => total + (result.output?.length ?? 0), 0);
