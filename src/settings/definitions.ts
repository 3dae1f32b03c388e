/**
 * Every `plugins.ml_commons.*` cluster setting ML Commons 3.x defines, with its type, default and
 * bounds (common/settings/MLCommonsSettings.java). Any other `plugins.ml_commons.*` key is refused
 * as OpenSearch refuses an unknown setting, so a typo never passes silently.
 */
export type SettingValue = boolean | number | string | string[];

export interface SettingDefinition {
  readonly type: 'boolean' | 'integer' | 'number' | 'string' | 'list' | 'byte_size';
  readonly default: SettingValue;
  readonly min?: number;
  readonly max?: number;
  /** Each list element must compile as a regular expression. */
  readonly regexList?: boolean;
  /**
   * How OpenSearch lets the setting change: `dynamic` through `PUT /_cluster/settings` (the
   * default), `static` and `final` only in opensearch.yml, so the API refuses them.
   */
  readonly scope?: 'static' | 'final';
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
const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;
/** Java's `Setting.intSetting`: without bounds, any int. */
const count = (value: number, description: string, min = INT_MIN, max = INT_MAX) => ({
  type: 'integer' as const,
  default: value,
  min,
  max,
  description,
});
const text = (value: string, description: string) => ({ type: 'string' as const, default: value, description });
const list = (value: readonly string[], description: string, regexList = false) => ({
  type: 'list' as const,
  default: [...value],
  ...(regexList ? { regexList } : {}),
  description,
});
const unchangeable = <T extends object>(scope: 'static' | 'final', definition: T) => ({ ...definition, scope });

export const settingDefinitions = {
  'plugins.ml_commons.task_dispatch_policy': text('round_robin', 'How ML tasks are dispatched to nodes (no effect here).'),
  'plugins.ml_commons.max_model_on_node': count(10, 'Deployed models per node.', 0, 10_000),
  'plugins.ml_commons.max_register_model_tasks_per_node': count(10, 'Concurrent register tasks.', 0, 10),
  'plugins.ml_commons.max_batch_inference_tasks': count(100, 'Concurrent batch inference tasks.', 0, 10_000),
  'plugins.ml_commons.max_batch_ingestion_tasks': count(100, 'Concurrent batch ingestion tasks.', 0, 10_000),
  'plugins.ml_commons.batch_ingestion_bulk_size': count(500, 'Documents per bulk in batch ingestion.', 100, 100_000),
  'plugins.ml_commons.max_deploy_model_tasks_per_node': count(10, 'Concurrent deploy tasks.', 0, 10),
  'plugins.ml_commons.max_ml_task_per_node': count(10, 'Concurrent ML tasks.', 0, 10_000),
  'plugins.ml_commons.only_run_on_ml_node': flag(true, 'Local models only (no effect here).'),
  'plugins.ml_commons.enable_inhouse_python_model': flag(false, 'Local Python models (no effect here).'),
  'plugins.ml_commons.sync_up_job_interval_in_seconds': count(10, 'Deploy-state sync interval (no effect here).', 0, 86_400),
  'plugins.ml_commons.ml_task_timeout_in_seconds': count(600, 'Task timeout.', 1, 86_400),
  'plugins.ml_commons.monitoring_request_count': count(100, 'Predict requests kept per model for the profile API statistics.', 0, 10_000_000),
  'plugins.ml_commons.trusted_url_regex': text(
    '^(https?|ftp|file)://[-a-zA-Z0-9+&@#/%?=~_|!:,.;]*[-a-zA-Z0-9+&@#/%=~_|]',
    'URLs local models may be registered from (no effect here).',
  ),
  'plugins.ml_commons.native_memory_threshold': count(90, 'Native memory circuit breaker (no effect here).', 0, 100),
  'plugins.ml_commons.jvm_heap_memory_threshold': count(85, 'JVM heap circuit breaker (no effect here).', 0, 100),
  'plugins.ml_commons.disk_free_space_threshold': {
    type: 'byte_size' as const,
    default: '5gb',
    description: 'Disk circuit breaker (no effect here).',
  },
  'plugins.ml_commons.exclude_nodes._name': text('', 'Nodes that run no ML tasks (no effect here).'),
  'plugins.ml_commons.allow_custom_deployment_plan': flag(false, 'Allow node_ids on deploy.'),
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
  'plugins.ml_commons.allow_registering_model_via_url': flag(false, 'Register local models from a URL (no effect here).'),
  'plugins.ml_commons.allow_registering_model_via_local_file': flag(false, 'Register local models from a file (no effect here).'),
  'plugins.ml_commons.remote_inference.enabled': flag(true, 'Gates connector create/update and remote register/deploy/predict.'),
  'plugins.ml_commons.local_model.enabled': flag(true, 'Local models (not supported here).'),
  'plugins.ml_commons.model_access_control_enabled': flag(false, 'Enforce model group access control.'),
  'plugins.ml_commons.connector_access_control_enabled': flag(false, 'Enforce connector access control.'),
  'plugins.ml_commons.offline_batch_ingestion_enabled': flag(true, 'Batch ingest.'),
  'plugins.ml_commons.offline_batch_inference_enabled': flag(true, 'Batch predict.'),
  'plugins.ml_commons.trusted_connector_endpoints_regex': list(DEFAULT_TRUSTED_ENDPOINTS, 'Regexes an action URL must fully match.', true),
  'plugins.ml_commons.trusted_connector_private_endpoints_regex': list(
    [],
    'When set, a URL whose host is private must also fully match one of these.',
    true,
  ),
  'plugins.ml_commons.task_dispatcher.eligible_node_role.remote_model': list(['data', 'ml'], 'Node roles that serve remote models (no effect here).'),
  'plugins.ml_commons.task_dispatcher.eligible_node_role.local_model': list(['data', 'ml'], 'Node roles that serve local models (no effect here).'),
  'plugins.ml_commons.index_insight_feature_enabled': flag(false, 'Index insight (not supported here).'),
  'plugins.ml_commons.memory_feature_enabled': flag(true, 'Conversation memory.'),
  'plugins.ml_commons.mcp_connector_enabled': flag(false, 'MCP connectors (not supported here).'),
  'plugins.ml_commons.mcp_server_enabled': flag(false, 'MCP server (not supported here).'),
  'plugins.ml_commons.rag_pipeline_feature_enabled': flag(true, 'The retrieval_augmented_generation search processor.'),
  'plugins.ml_commons.agent_framework_enabled': flag(true, 'Agents (not supported here).'),
  'plugins.ml_commons.unified_agent_api_enabled': flag(true, 'Unified agent API (not supported here).'),
  'plugins.ml_commons.connector.private_ip_enabled': flag(false, 'Allow connectors to reach private, loopback and link-local addresses.'),
  // Final in ML Commons (opensearch.yml only); this service has no opensearch.yml, so the API sets it.
  'plugins.ml_commons.connector.restricted_ip_patterns': list([], 'Regexes on resolved IP addresses that are always refused.', true),
  'plugins.ml_commons.execute_tools_enabled': flag(true, 'Execute tool API (not supported here).'),
  'plugins.ml_commons.remote_job.status_field': list(['status', 'Status', 'TransformJobStatus'], 'Batch job status fields (no effect here).'),
  'plugins.ml_commons.remote_job.status_regex.completed': text('(complete|completed|partiallyCompleted)', 'Batch job status (no effect here).'),
  'plugins.ml_commons.remote_job.status_regex.cancelled': text('(stopped|cancelled)', 'Batch job status (no effect here).'),
  'plugins.ml_commons.remote_job.status_regex.cancelling': text('(stopping|cancelling)', 'Batch job status (no effect here).'),
  'plugins.ml_commons.remote_job.status_regex.expired': text('(expired|timeout)', 'Batch job status (no effect here).'),
  'plugins.ml_commons.remote_job.status_regex.failed': text('(failed)', 'Batch job status (no effect here).'),
  'plugins.ml_commons.controller_enabled': flag(true, 'User rate limiters through /controllers (not supported here).'),
  'plugins.ml_commons.safe_delete_model': flag(false, 'Refuse to delete models still referenced by pipelines.'),
  'plugins.ml_commons.multi_tenancy_enabled': unchangeable('static', flag(false, 'Multi-tenancy (not enforced here).')),
  'plugins.ml_commons.master_key_cache_ttl_minutes': unchangeable('static', count(5, 'Master key cache TTL (no effect here).', 1, 1440)),
  'plugins.ml_commons.remote_metadata_type': unchangeable('final', text('', 'Remote metadata store (no effect here).')),
  'plugins.ml_commons.remote_metadata_endpoint': unchangeable('final', text('', 'Remote metadata store (no effect here).')),
  'plugins.ml_commons.remote_metadata_region': unchangeable('final', text('', 'Remote metadata store (no effect here).')),
  'plugins.ml_commons.remote_metadata_service_name': unchangeable('final', text('', 'Remote metadata store (no effect here).')),
  'plugins.ml_commons.global_tenant_id': unchangeable('final', text('', 'Multi-tenancy global tenant (no effect here).')),
  'plugins.ml_commons.global_resource_cache_ttl': unchangeable('final', text('', 'Multi-tenancy global resource cache (no effect here).')),
  'plugins.ml_commons.metrics_collection_enabled': unchangeable('final', flag(false, 'Telemetry metrics (no effect here).')),
  'plugins.ml_commons.metrics_static_collection_enabled': flag(false, 'Telemetry static metrics job (no effect here).'),
  'plugins.ml_commons.agentic_memory_enabled': flag(true, 'Agentic memory APIs (not supported here).'),
  'plugins.ml_commons.remote_agentic_memory_enabled': flag(false, 'Remote agentic memory (not supported here).'),
  'plugins.ml_commons.stream_enabled': flag(false, 'Streaming predict (`_predict/stream`) and streamed RAG answers.'),
  'plugins.ml_commons.max_json_size': count(100_000_000, 'Largest provider response parsed, in bytes; -1 is unlimited.', -1),
  'plugins.ml_commons.ag_ui_enabled': flag(false, 'AG-UI agents (not supported here).'),
} as const satisfies Record<string, SettingDefinition>;

export type KnownSettingKey = keyof typeof settingDefinitions;

/** The typed value a known key resolves to. */
export type SettingValueOf<K extends KnownSettingKey> = (typeof settingDefinitions)[K]['type'] extends 'boolean'
  ? boolean
  : (typeof settingDefinitions)[K]['type'] extends 'list'
    ? string[]
    : (typeof settingDefinitions)[K]['type'] extends 'string' | 'byte_size'
      ? string
      : number;
