/**
 * JSON Schemas of the connector create/update bodies and of `client_config`. Field names and
 * wording of the required-field messages follow ML Commons (MLCreateConnectorInput,
 * ConnectorAction, ConnectorClientConfig).
 */

const stringMap = {
  type: 'object',
  additionalProperties: { type: 'string' },
} as const;

export const clientConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    max_connection: { type: 'integer', minimum: 1, description: 'Concurrent connections to the provider (default 30).' },
    connection_timeout: { type: 'integer', minimum: 0, description: 'Seconds to establish a connection (default 30).' },
    read_timeout: { type: 'integer', minimum: 0, description: 'Seconds to wait for a response (default 30).' },
    retry_backoff_millis: { type: 'integer', minimum: 0, description: 'Base backoff between retries (default 200).' },
    retry_timeout_seconds: { type: 'integer', minimum: 0, description: 'Overall retry deadline (default 30).' },
    max_retry_times: { type: 'integer', minimum: -1, description: 'Retries; 0 disables, -1 is unlimited within the deadline.' },
    retry_backoff_policy: { type: 'string', description: 'constant | exponential_equal_jitter | exponential_full_jitter.' },
    skip_ssl_verification: { type: 'boolean', description: 'Trust any TLS certificate.' },
    mutual_tls_enabled: { type: 'boolean', description: 'Accepted for compatibility; not supported.' },
    keystore_type: { type: 'string', description: 'Accepted for compatibility; not supported.' },
    // Extensions of ML Commons' keys: the throughput features (README "Throughput").
    batch_max_inputs: {
      type: 'integer', minimum: 1, maximum: 100_000,
      description: 'Most texts in one coalesced text_docs provider call (default: OpenAI 2048, Cohere 96, other "all docs" connectors 32, SageMaker and per-doc connectors 1 = not coalesced).',
    },
    batch_max_bytes: {
      type: 'integer', minimum: 1, maximum: 104_857_600,
      description: 'Most UTF-8 bytes of text in one coalesced provider call (default 1000000 for OpenAI, 1048576 otherwise).',
    },
    batch_linger_ms: {
      type: 'integer', minimum: 0, maximum: 1000,
      description: 'Milliseconds texts wait for other callers to share a provider call (default 0 = no coalescing; 2 to 5 is typical).',
    },
    requests_per_minute: {
      type: 'integer', minimum: 1, maximum: 100_000_000,
      description: 'Provider calls started per minute; more are queued, not rejected (default: unpaced).',
    },
    tokens_per_minute: {
      type: 'integer', minimum: 1, maximum: 10_000_000_000,
      description: 'Estimated tokens (request body bytes / 4) per minute; more are queued (default: unpaced).',
    },
    max_queued_requests: {
      type: 'integer', minimum: 1, maximum: 1_000_000,
      description: 'Calls that may wait for pacing; beyond that a 429 (default 2000).',
    },
    adaptive_concurrency: {
      type: 'boolean',
      description: 'Halve the in-flight limit when the provider throttles, add one back per window of successes up to max_connection (default true).',
    },
    embedding_cache_size: {
      type: 'integer', minimum: 0, maximum: 1_000_000,
      description: 'Embeddings cached per model (LRU entries; default 0 = no cache).',
    },
  },
} as const;

export const connectorActionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['action_type', 'method', 'url'],
  properties: {
    action_type: { type: 'string', description: 'predict, execute, batch_predict, cancel_batch_predict or batch_predict_status.' },
    name: { type: 'string', description: 'Optional action name (ML Commons 3.5+).' },
    method: { type: 'string', description: 'POST, GET, PUT or DELETE.' },
    url: { type: 'string', description: 'Endpoint template; ${parameters.*} is substituted.' },
    headers: { ...stringMap, description: 'Header templates; ${credential.*} and some ${parameters.*} are substituted.' },
    request_body: { type: 'string', description: 'Body template.' },
    pre_process_function: { type: 'string', description: 'A built-in function name or a Painless script.' },
    post_process_function: { type: 'string', description: 'A built-in function name or a Painless script.' },
    supports_structured_output: { type: 'boolean', description: 'ML Commons 3.7+ structured output flag.' },
  },
} as const;

const connectorProperties = {
  name: { type: 'string', description: 'Connector name.' },
  description: { type: 'string', description: 'Free text.' },
  version: { type: ['string', 'number'], description: 'Stored as text, as ML Commons does.' },
  protocol: { type: 'string', description: 'http or aws_sigv4.' },
  parameters: { type: 'object', description: 'Default parameters; non-string values are stored as JSON text.' },
  credential: { ...stringMap, description: 'Secrets, encrypted at rest, never returned.' },
  previous_credential: {
    oneOf: [stringMap, { type: 'null' }],
    description: 'Extension: the credential being replaced, tried on a 401/403 during a rotation window; null removes it.',
  },
  keep_previous_credential: {
    type: 'boolean',
    description: 'Extension (update): keep the credential being replaced as previous_credential.',
  },
  actions: { type: 'array', items: connectorActionSchema, description: 'What the connector can call.' },
  client_config: clientConfigSchema,
  backend_roles: { type: 'array', items: { type: 'string' }, description: 'Access control roles.' },
  add_all_backend_roles: { type: 'boolean', description: "Grant all of the caller's backend roles." },
  access_mode: { type: 'string', enum: ['public', 'private', 'restricted'], description: 'Access mode.' },
  tenant_id: { type: 'string', description: 'Multi-tenancy (accepted, not enforced).' },
  provisioned_by: { type: 'string', description: 'Attribution tag (ML Commons 3.7+).' },
} as const;

/**
 * A create or update body: every field optional here, so a shape error (an unknown or mistyped
 * field) is reported before a missing one; a create's required fields are checked afterwards.
 */
export const connectorSchema = {
  type: 'object',
  additionalProperties: false,
  properties: connectorProperties,
} as const;

/** A create's required fields with ML Commons' words for each, in the order it checks them. */
export const connectorRequiredFields = [
  ['name', 'Connector name is null'],
  ['version', 'Connector version is null'],
  ['protocol', 'Connector protocol is null'],
  ['credential', 'Connector credential is null or empty list'],
  ['actions', 'No actions configured for this connector'],
] as const;
