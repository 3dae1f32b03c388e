/**
 * JSON Schemas of the model group and model request bodies. ML Commons skips unknown fields; this
 * service refuses them with a 400 naming the field, so a typo does not silently drop a setting.
 */

import { clientConfigSchema } from './connector-schema.js';

const accessProperties = {
  backend_roles: { type: 'array', items: { type: 'string' }, description: 'Roles that may use a restricted group.' },
  add_all_backend_roles: { type: 'boolean', description: "Grant all of the caller's backend roles." },
  access_mode: { type: 'string', enum: ['public', 'private', 'restricted'], description: 'Group access mode.' },
} as const;

export const registerModelGroupSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, description: 'Unique group name.' },
    description: { type: 'string', description: 'Free text.' },
    tenant_id: { type: 'string', description: 'Multi-tenancy (accepted, not enforced).' },
    ...accessProperties,
  },
} as const;

export const updateModelGroupSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'New unique name.' },
    description: { type: 'string', description: 'Free text.' },
    ...accessProperties,
  },
} as const;

export const modelGroupValidationMessages = { '/name': 'model group name must not be null' } as const;

const rateLimiterSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: ['string', 'number'], description: 'Requests per unit; stored as text.' },
    unit: { type: 'string', description: 'A Java TimeUnit: NANOSECONDS ... DAYS.' },
  },
} as const;

const interfaceSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    input: { type: ['string', 'object'], description: 'JSON Schema of predict input (text or object).' },
    output: { type: ['string', 'object'], description: 'JSON Schema of predict output (text or object).' },
  },
} as const;

const deploySettingSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    is_auto_deploy_enabled: { type: 'boolean', description: 'Allow auto-deploy on predict.' },
    model_ttl_minutes: { type: 'integer', description: 'Accepted for compatibility; remote models do not expire here.' },
  },
} as const;

const { batch_max_inputs: batchMaxInputs, batch_max_bytes: batchMaxBytes } = clientConfigSchema.properties;

/** ML Commons' forthcoming per-model batching limits (RFC #4889): the connector's knobs, per model. */
const batchInferenceConfigSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Per-model limits of a coalesced text_docs provider call; they take precedence over the connector client_config.',
  properties: {
    max_items_per_request: { ...batchMaxInputs, description: 'Alias of client_config.batch_max_inputs, for this model.' },
    max_bytes_per_request: { ...batchMaxBytes, description: 'Alias of client_config.batch_max_bytes, for this model.' },
  },
} as const;

/** Beyond ML Commons: what the model costs, turning the usage report's token counts into an estimate. */
const pricePerThousandTokensSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Price per 1,000 tokens, for the estimated cost in GET /_sidecar/usage.',
  properties: {
    input: { type: 'number', minimum: 0, description: 'Price of 1,000 input (prompt) tokens.' },
    output: { type: 'number', minimum: 0, description: 'Price of 1,000 output (completion) tokens.' },
    currency: { type: 'string', minLength: 1, maxLength: 16, description: 'Currency of both prices (default USD).' },
  },
} as const;

const modelProperties = {
  name: { type: 'string', minLength: 1, description: 'Model name.' },
  description: { type: 'string', description: 'Free text.' },
  model_group_id: { type: 'string', description: 'Group to register the model in.' },
  connector_id: { type: 'string', description: 'A standalone connector.' },
  connector: { type: 'object', description: 'An inline connector (validated as a connector body).' },
  is_enabled: { type: 'boolean', description: 'false makes predict answer 403.' },
  rate_limiter: rateLimiterSchema,
  interface: interfaceSchema,
  model_config: { type: 'object', description: 'Model configuration, stored as given.' },
  deploy_setting: deploySettingSchema,
  batch_inference_config: batchInferenceConfigSchema,
  price_per_1k_tokens: pricePerThousandTokensSchema,
  guardrails: { type: 'object', description: 'Accepted and stored; not enforced by this service.' },
  tenant_id: { type: 'string', description: 'Multi-tenancy (accepted, not enforced).' },
} as const;

export const registerModelSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    ...modelProperties,
    function_name: { type: 'string', description: 'Must be remote.' },
    version: { type: ['string', 'number'], description: 'Ignored: the version comes from the group.' },
    ...accessProperties,
  },
} as const;

export const registerModelValidationMessages = { '/name': 'model name is null' } as const;

export const updateModelSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { ...modelProperties, model_id: { type: 'string', description: 'Ignored: the path names the model.' } },
} as const;

export const undeployModelsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    model_ids: { type: 'array', items: { type: 'string' }, description: 'Models to undeploy.' },
    node_ids: { type: 'array', items: { type: 'string' }, description: 'Needs allow_custom_deployment_plan.' },
  },
} as const;

export const deployModelSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    node_ids: { type: 'array', items: { type: 'string' }, description: 'Needs allow_custom_deployment_plan.' },
  },
} as const;
