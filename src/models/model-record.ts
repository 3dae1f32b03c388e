import { withoutCredential, type ConnectorDefinition } from '../connectors/connector-record.js';
import type { JsonObject } from '../store/store.js';

export const MODEL_INDEX = '.plugins-ml-model';

export type ModelState = 'REGISTERED' | 'DEPLOYING' | 'DEPLOYED' | 'UNDEPLOYED' | 'DEPLOY_FAILED';

export interface RateLimiter {
  limit?: string;
  unit?: string;
}

export interface ModelInterface {
  input?: string;
  output?: string;
}

export interface DeploySetting {
  is_auto_deploy_enabled?: boolean;
  model_ttl_minutes?: number;
}

/**
 * Per-model limits of a coalesced `text_docs` provider call, under the names ML Commons' RFC #4889
 * proposes; they take precedence over the connector's `client_config.batch_max_inputs` /
 * `batch_max_bytes` (README "Throughput").
 */
export interface BatchInferenceConfig {
  max_items_per_request?: number;
  max_bytes_per_request?: number;
}

/** Beyond ML Commons: the price of 1,000 tokens in and out (README "Usage"). */
export interface PricePerThousandTokens {
  input?: number;
  output?: number;
  /** Default USD. */
  currency?: string;
}

/** A remote model as ML Commons stores it (MLModel); `model_id` is only the document id. */
export interface ModelRecord extends JsonObject {
  name: string;
  model_group_id: string;
  algorithm: 'REMOTE';
  model_version: string;
  description?: string;
  model_state: ModelState;
  model_config?: Record<string, unknown>;
  deploy_setting?: DeploySetting;
  is_enabled?: boolean;
  rate_limiter?: RateLimiter;
  batch_inference_config?: BatchInferenceConfig;
  price_per_1k_tokens?: PricePerThousandTokens;
  created_time: number;
  last_updated_time: number;
  last_deployed_time?: number;
  auto_redeploy_retry_times?: number;
  planning_worker_node_count?: number;
  current_worker_node_count?: number;
  planning_worker_nodes?: string[];
  deploy_to_all_nodes?: boolean;
  is_hidden: boolean;
  connector_id?: string;
  /** An inline connector; its credential is encrypted under the model id. */
  connector?: ConnectorDefinition;
  guardrails?: Record<string, unknown>;
  interface?: ModelInterface;
  tenant_id?: string;
}

/** A model as GET and search answer it: an inline connector loses its credential. */
export function publicModel(model: ModelRecord): Record<string, unknown> {
  if (!model.connector) return model;
  return { ...model, connector: withoutCredential(model.connector) };
}

/** ML Commons' `model_state` values that forbid deletion. */
export const ACTIVE_STATES: ReadonlySet<ModelState> = new Set(['DEPLOYING', 'DEPLOYED']);
