import type { AccessMode } from '../security/access/protected-record.js';
import type { StoredOwner } from '../security/identity/owner.js';
import type { JsonObject } from '../store/store.js';

export type { AccessMode };

export const CONNECTOR_INDEX = '.plugins-ml-connector';

export const CONNECTOR_PROTOCOLS = ['aws_sigv4', 'http', 'mcp_sse', 'mcp_streamable_http'] as const;
export type ConnectorProtocol = (typeof CONNECTOR_PROTOCOLS)[number];
/** The protocols this service can call (MCP is known, so it gets its own refusal, but not implemented). */
export const SUPPORTED_CONNECTOR_PROTOCOLS = ['aws_sigv4', 'http'] as const satisfies readonly ConnectorProtocol[];

export const ACTION_TYPES = ['PREDICT', 'EXECUTE', 'BATCH_PREDICT', 'CANCEL_BATCH_PREDICT', 'BATCH_PREDICT_STATUS'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const HTTP_METHODS = ['POST', 'GET', 'PUT', 'DELETE'] as const;

/** One action as stored and returned: `action_type` upper-case, as ML Commons serialises it. */
export interface ConnectorAction {
  action_type: ActionType;
  name?: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  request_body?: string;
  pre_process_function?: string;
  post_process_function?: string;
  supports_structured_output?: boolean;
}

/** `client_config` exactly as the caller gave it; defaults are applied when calling. */
export interface ConnectorClientConfig {
  max_connection?: number;
  connection_timeout?: number;
  read_timeout?: number;
  retry_backoff_millis?: number;
  retry_timeout_seconds?: number;
  max_retry_times?: number;
  retry_backoff_policy?: string;
  skip_ssl_verification?: boolean;
  mutual_tls_enabled?: boolean;
  keystore_type?: string;
  // Extensions of ML Commons' keys (this project's throughput features; README "Throughput").
  /** Most texts in one coalesced `text_docs` provider call (default per provider). */
  batch_max_inputs?: number;
  /** Most UTF-8 bytes of text in one coalesced provider call (default per provider). */
  batch_max_bytes?: number;
  /** How long texts wait for others to share a provider call, in ms (default 0 = no coalescing; 2 to 5 is typical). */
  batch_linger_ms?: number;
  /** Provider calls started per minute; more wait in a FIFO queue (default: unpaced). */
  requests_per_minute?: number;
  /** Estimated tokens (request body bytes / 4) sent per minute; more wait in the same queue (default: unpaced). */
  tokens_per_minute?: number;
  /** Calls that may wait for pacing before new ones get a 429 (default 2000). */
  max_queued_requests?: number;
  /** Halve the in-flight limit on throttling, regain it one step at a time on success (default true). */
  adaptive_concurrency?: boolean;
  /** Embeddings kept per model in an LRU cache, in entries (default 0: no cache). */
  embedding_cache_size?: number;
}

/** The owner as ML Commons stores it (the security plugin's User). */
export type RecordOwner = StoredOwner;

/**
 * A connector's definition. Standalone connectors are stored in their own collection; inline
 * ("internal") connectors live inside a model record with the same shape.
 */
export interface ConnectorDefinition extends JsonObject {
  name: string;
  description?: string;
  version: string;
  protocol: ConnectorProtocol;
  /** All values are strings, as ML Commons stores them. */
  parameters?: Record<string, string>;
  /** Encrypted values; removed from every response. */
  credential: Record<string, string>;
  /**
   * Extension: the credential a rotation replaced, encrypted, tried once when the provider refuses
   * the current one with 401/403 (while it propagates a new key); removed from every response.
   */
  previous_credential?: Record<string, string>;
  actions: ConnectorAction[];
  client_config?: ConnectorClientConfig;
  backend_roles?: string[];
  access?: AccessMode;
  owner?: RecordOwner;
  created_time?: number;
  last_updated_time?: number;
  tenant_id?: string;
  provisioned_by?: string;
}

/** A connector as GET answers it: no credential, not even masked (ML Commons removes it), nor the previous one. */
export function withoutCredential<T extends { credential?: unknown; previous_credential?: unknown }>(
  connector: T,
): Omit<T, 'credential' | 'previous_credential'> {
  const { credential: _credential, previous_credential: _previous, ...rest } = connector;
  return rest;
}

/** Fields of a stored connector that no hit of a search may show (a model's inline connector: under `connector.`). */
export const SECRET_CONNECTOR_FIELDS = ['credential', 'previous_credential'] as const;
