import type { JsonObject } from '../store/store.js';

export const CONNECTOR_INDEX = '.plugins-ml-connector';

export const CONNECTOR_PROTOCOLS = ['aws_sigv4', 'http', 'mcp_sse', 'mcp_streamable_http'] as const;
export type ConnectorProtocol = (typeof CONNECTOR_PROTOCOLS)[number];

export const ACTION_TYPES = ['PREDICT', 'EXECUTE', 'BATCH_PREDICT', 'CANCEL_BATCH_PREDICT', 'BATCH_PREDICT_STATUS'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const HTTP_METHODS = ['POST', 'GET', 'PUT', 'DELETE'] as const;

export type AccessMode = 'public' | 'private' | 'restricted';

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
}

/** The owner as ML Commons stores it (the security plugin's User). */
export interface RecordOwner {
  name: string;
  backend_roles: string[];
  roles: string[];
  custom_attribute_names: string[];
  user_requested_tenant: string | null;
}

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

/** A connector as GET answers it: no credential, not even masked (ML Commons removes it). */
export function withoutCredential<T extends { credential?: unknown }>(connector: T): Omit<T, 'credential'> {
  const { credential: _credential, ...rest } = connector;
  return rest;
}
