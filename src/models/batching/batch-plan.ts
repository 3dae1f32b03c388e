/**
 * How a connector's `text_docs` predictions may be batched: how one caller's texts are cut into
 * provider calls (exactly as `invokeConnector` cuts them), whether a call's answer can be split back
 * per text, and the limits of a coalesced call. Resolved once per connector object.
 *
 * Default limits per provider (the `pre_process_function` tells which API the connector speaks):
 *
 * | Connector | `batch_max_inputs` | `batch_max_bytes` | Why |
 * |---|---|---|---|
 * | `openai.embedding` | 2048 | 1,000,000 | OpenAI's documented maximum inputs; ~250k tokens at 4 bytes a token, under its 300k tokens per request |
 * | `cohere.embedding` | 96 | 1,048,576 | Cohere's documented maximum texts (also on Bedrock) |
 * | `cohere.multimodal_embedding` | 1 | | Cohere embeds one image per call |
 * | SageMaker (`aws_sigv4`, service `sagemaker`) | 1 | | The endpoint's batch capacity is its model's, unknown here |
 * | other "all docs in one call" connectors | 32 | 1,048,576 | A safe size for self-hosted servers (TEI's default client batch) |
 * | one doc per call (Bedrock, Painless pre-process) | 1 | | The provider takes one text per call |
 *
 * A limit of 1 input means "not coalesced". `input_docs_processed_step_size` caps the inputs too,
 * since `invokeConnector` would split a larger call. A model's `batch_inference_config`
 * (`max_items_per_request`, `max_bytes_per_request`: ML Commons' forthcoming per-model names for
 * the same limits) takes precedence over its connector's `batch_max_inputs` / `batch_max_bytes`.
 */
import type { ConnectorDefinition } from '../../connectors/connector-record.js';
import { embeddingListTensors } from '../../connectors/functions/embedding-tensors.js';
import { isBuiltinFunctionName, POST_PROCESS_FUNCTIONS } from '../../connectors/functions/index.js';
import { docsPerRequest } from '../../connectors/invoke/process-input.js';
import type { BatchInferenceConfig } from '../model-record.js';

/**
 * Milliseconds a text waits for others before its call goes (`batch_linger_ms`), when the connector
 * does not say. Only texts arriving while the model already has a call in flight wait; an idle
 * model sends at the end of the event-loop turn, so a lone caller pays no linger.
 */
export const DEFAULT_LINGER_MILLIS = 2;

/** How a provider call's answer maps back to its texts. */
export type Attribution =
  /** One output tensor per input text, in order (the list-of-embeddings post-process functions). */
  | 'per-tensor'
  /** One text per call: the whole call's output is that text's. */
  | 'per-call'
  /** Cannot be split: callers are never merged and nothing is cached. */
  | 'none';

/** The resolved batching behaviour of one connector. */
export interface BatchPlan {
  /** Texts per provider call for one caller alone (Infinity = all in one call). */
  readonly chunkSize: number;
  readonly attribution: Attribution;
  readonly maxInputs: number;
  readonly maxBytes: number;
  readonly lingerMillis: number;
  /** Whether texts of different callers may share a call. */
  readonly coalesce: boolean;
  /** `embedding_cache_size`, 0 when the answer cannot be cached per text. */
  readonly cacheSize: number;
}

const OPENAI = { maxInputs: 2048, maxBytes: 1_000_000 };
const COHERE = { maxInputs: 96, maxBytes: 1_048_576 };
const GENERIC = { maxInputs: 32, maxBytes: 1_048_576 };
const SINGLE = { maxInputs: 1, maxBytes: 1_048_576 };

const STEP_SIZE = 'input_docs_processed_step_size';
const plans = new WeakMap<ConnectorDefinition, BatchPlan>();

/**
 * The plan of a connector (cached per connector object, which is replaced when the connector
 * changes), with the model's own limits applied when it has them.
 */
export function batchPlan(connector: ConnectorDefinition, modelLimits?: BatchInferenceConfig): BatchPlan {
  let plan = plans.get(connector);
  if (plan === undefined) {
    try {
      plan = resolvePlan(connector);
    } catch {
      plan = passThrough; // an unusable connector: let the predict path report it with its own message
    }
    plans.set(connector, plan);
  }
  return modelLimits === undefined ? plan : withModelLimits(plan, modelLimits);
}

function resolvePlan(connector: ConnectorDefinition): BatchPlan {
  const action = connector.actions.find((candidate) => candidate.action_type === 'PREDICT');
  const chunkSize = action === undefined ? undefined : chunkSizeOf(connector, docsPerRequest(action, { kind: 'text_docs', textDocs: [] }));
  if (action === undefined || chunkSize === undefined) return passThrough;
  const attribution: Attribution = chunkSize === 1 ? 'per-call' : splitsPerTensor(action.post_process_function) ? 'per-tensor' : 'none';
  const config = connector.client_config ?? {};
  const defaults = attribution === 'per-tensor' ? providerDefaults(connector, action.pre_process_function) : SINGLE;
  const maxInputs = Math.min(config.batch_max_inputs ?? defaults.maxInputs, chunkSize);
  const lingerMillis = config.batch_linger_ms ?? DEFAULT_LINGER_MILLIS;
  return {
    chunkSize,
    attribution,
    maxInputs,
    maxBytes: config.batch_max_bytes ?? defaults.maxBytes,
    lingerMillis,
    coalesce: coalesces(attribution, maxInputs, lingerMillis),
    cacheSize: attribution === 'none' ? 0 : config.embedding_cache_size ?? 0,
  };
}

/** Only a per-tensor answer can be shared, and only when a call may carry more than one input. */
const coalesces = (attribution: Attribution, maxInputs: number, lingerMillis: number): boolean =>
  attribution === 'per-tensor' && maxInputs > 1 && lingerMillis > 0;

function withModelLimits(plan: BatchPlan, limits: BatchInferenceConfig): BatchPlan {
  const maxInputs = limits.max_items_per_request === undefined ? plan.maxInputs : Math.min(limits.max_items_per_request, plan.chunkSize);
  return {
    ...plan,
    maxInputs,
    maxBytes: limits.max_bytes_per_request ?? plan.maxBytes,
    coalesce: coalesces(plan.attribution, maxInputs, plan.lingerMillis),
  };
}

const passThrough: BatchPlan = {
  chunkSize: Infinity, attribution: 'none', maxInputs: 1, maxBytes: 1, lingerMillis: 0, coalesce: false, cacheSize: 0,
};

/** As `invokeConnector` splits: the step size when set, else one doc per call or all together; undefined for an invalid step (it reports that). */
function chunkSizeOf(connector: ConnectorDefinition, perRequest: 'all' | 'one'): number | undefined {
  const configured = connector.parameters?.[STEP_SIZE];
  if (configured !== undefined) {
    const step = Number(configured);
    return Number.isInteger(step) && step > 0 ? step : undefined;
  }
  return perRequest === 'one' ? 1 : Infinity;
}

/** The list-of-embeddings built-ins answer one tensor per input row; scripts and raw responses may not. */
function splitsPerTensor(postProcess: string | undefined): boolean {
  if (postProcess === undefined || !isBuiltinFunctionName(postProcess)) return false;
  const builtin = (POST_PROCESS_FUNCTIONS as Record<string, { process: unknown } | undefined>)[postProcess];
  return builtin?.process === embeddingListTensors;
}

function providerDefaults(connector: ConnectorDefinition, preProcess: string | undefined): { maxInputs: number; maxBytes: number } {
  switch (preProcess) {
    case 'connector.pre_process.openai.embedding':
      return OPENAI;
    case 'connector.pre_process.cohere.embedding':
      return COHERE;
    case 'connector.pre_process.cohere.multimodal_embedding':
      return SINGLE;
  }
  const service = connector.parameters?.['service_name'];
  if (connector.protocol === 'aws_sigv4' && service?.toLowerCase() === 'sagemaker') return SINGLE;
  return GENERIC;
}
