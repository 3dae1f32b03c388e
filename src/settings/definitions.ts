/**
 * The `plugins.ml_commons.*` cluster settings this service understands, with ML Commons'
 * defaults and types (common/settings/MLCommonsSettings.java). Unknown `plugins.ml_commons.*`
 * keys are still accepted and stored, as strings, so configuration written for a newer ML
 * Commons does not fail here.
 */
export type SettingValue = boolean | number | string | string[];

export interface SettingDefinition {
  readonly type: 'boolean' | 'integer' | 'number' | 'string' | 'list';
  readonly default: SettingValue;
  readonly min?: number;
  readonly max?: number;
  /** Each list element must compile as a regular expression. */
  readonly regexList?: boolean;
  /** A short note for the README and `include_defaults`. */
  readonly description: string;
}

export const SETTING_PREFIX = 'plugins.ml_commons.';

export const DEFAULT_TRUSTED_ENDPOINTS: readonly string[] = [
  '^https://runtime\\.sagemaker\\..*[a-z0-9-]\\.amazonaws\\.com/.*$',
  '^https://api\\.sagemaker\\..*[a-z0-9-]\\.amazonaws\\.com/.*$',
  '^https://api\\.openai\\.com/.*$',
  '^https://api\\.cohere\\.ai/.*$',
  '^https://api\\.deepseek\\.com/.*$',
  '^https://generativelanguage\\.googleapis\\.com/.*$',
  '^https://bedrock-runtime\\..*[a-z0-9-]\\.amazonaws\\.com/.*$',
  '^https://bedrock-agent-runtime\\..*[a-z0-9-]\\.amazonaws\\.com/.*$',
  '^https://bedrock\\..*[a-z0-9-]\\.amazonaws\\.com/.*$',
  '^https://textract\\..*[a-z0-9-]\\.amazonaws\\.com$',
  '^https://comprehend\\..*[a-z0-9-]\\.amazonaws\\.com$',
  '^https://rekognition(-fips)?\\..*[a-z0-9-]\\.amazonaws\\.com$',
];

const flag = (value: boolean, description: string) => ({ type: 'boolean' as const, default: value, description });
const count = (value: number, description: string, min = 0, max?: number) => ({
  type: 'integer' as const,
  default: value,
  min,
  ...(max === undefined ? {} : { max }),
  description,
});

export const settingDefinitions = {
  'plugins.ml_commons.trusted_connector_endpoints_regex': {
    type: 'list' as const,
    default: [...DEFAULT_TRUSTED_ENDPOINTS],
    regexList: true,
    description: 'Regexes an action URL must fully match.',
  },
  'plugins.ml_commons.trusted_connector_private_endpoints_regex': {
    type: 'list' as const,
    default: [],
    regexList: true,
    description: 'When set, a URL whose host is private must also fully match one of these.',
  },
  'plugins.ml_commons.connector.private_ip_enabled': flag(false, 'Allow connectors to reach private, loopback and link-local addresses.'),
  'plugins.ml_commons.connector.restricted_ip_patterns': {
    type: 'list' as const,
    default: [],
    regexList: true,
    description: 'Regexes on resolved IP addresses that are always refused.',
  },
  'plugins.ml_commons.remote_inference.enabled': flag(true, 'Gates connector create/update and remote register/deploy/predict.'),
  'plugins.ml_commons.connector_access_control_enabled': flag(false, 'Enforce connector access control.'),
  'plugins.ml_commons.model_access_control_enabled': flag(false, 'Enforce model group access control.'),
  'plugins.ml_commons.model_auto_deploy.enable': flag(true, 'Predict on an undeployed remote model deploys it.'),
  'plugins.ml_commons.model_auto_redeploy.enable': flag(true, 'Redeploy models after node changes (no effect here).'),
  'plugins.ml_commons.model_auto_redeploy.lifetime_retry_times': count(3, 'Auto-redeploy retries (no effect here).'),
  'plugins.ml_commons.model_auto_redeploy_success_ratio': {
    type: 'number' as const,
    default: 0.8,
    min: 0,
    max: 1,
    description: 'Auto-redeploy success ratio (no effect here).',
  },
  'plugins.ml_commons.only_run_on_ml_node': flag(true, 'Local models only (no effect here).'),
  'plugins.ml_commons.allow_custom_deployment_plan': flag(false, 'Allow node_ids on deploy.'),
  'plugins.ml_commons.task_dispatcher.eligible_node_role.remote_model': {
    type: 'list' as const,
    default: ['data', 'ml'],
    description: 'Node roles that serve remote models (no effect here).',
  },
  'plugins.ml_commons.max_deploy_model_tasks_per_node': count(10, 'Concurrent deploy tasks.'),
  'plugins.ml_commons.max_register_model_tasks_per_node': count(10, 'Concurrent register tasks.'),
  'plugins.ml_commons.max_ml_task_per_node': count(10, 'Concurrent ML tasks.'),
  'plugins.ml_commons.max_model_on_node': count(10, 'Deployed models per node.'),
  'plugins.ml_commons.sync_up_job_interval_in_seconds': count(10, 'Deploy-state sync interval (no effect here).'),
  'plugins.ml_commons.ml_task_timeout_in_seconds': count(600, 'Task timeout.'),
  'plugins.ml_commons.safe_delete_model': flag(false, 'Refuse to delete models still referenced by pipelines.'),
  'plugins.ml_commons.offline_batch_inference_enabled': flag(true, 'Batch predict.'),
  'plugins.ml_commons.offline_batch_ingestion_enabled': flag(true, 'Batch ingest.'),
  'plugins.ml_commons.max_batch_inference_tasks': count(100, 'Concurrent batch inference tasks.'),
  'plugins.ml_commons.max_batch_ingestion_tasks': count(100, 'Concurrent batch ingestion tasks.'),
  'plugins.ml_commons.stream_enabled': flag(false, 'Streaming predict.'),
  'plugins.ml_commons.mcp_connector_enabled': flag(false, 'MCP connectors (not supported here).'),
  'plugins.ml_commons.rag_pipeline_feature_enabled': flag(true, 'The retrieval_augmented_generation search processor.'),
  'plugins.ml_commons.memory_feature_enabled': flag(true, 'Conversation memory.'),
  'plugins.ml_commons.agent_framework_enabled': flag(true, 'Agents (not supported here).'),
  'plugins.ml_commons.max_json_size': count(100_000_000, 'Largest provider response parsed, in bytes.', 1),
  'plugins.ml_commons.native_memory_threshold': count(90, 'Native memory circuit breaker (no effect here).', 0, 100),
  'plugins.ml_commons.jvm_heap_memory_threshold': count(85, 'JVM heap circuit breaker (no effect here).', 0, 100),
} as const satisfies Record<string, SettingDefinition>;

export type KnownSettingKey = keyof typeof settingDefinitions;

/** The typed value a known key resolves to. */
export type SettingValueOf<K extends KnownSettingKey> = (typeof settingDefinitions)[K]['type'] extends 'boolean'
  ? boolean
  : (typeof settingDefinitions)[K]['type'] extends 'list'
    ? string[]
    : (typeof settingDefinitions)[K]['type'] extends 'string'
      ? string
      : number;
