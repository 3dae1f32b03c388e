/**
 * ML Commons' system-index mappings, transcribed from opensearch-project/ml-commons
 * `common/src/main/resources/index-mappings/` (ml_connector.json schema 4, ml_model.json
 * schema 14 with the connector and user placeholders expanded, ml_model_group.json schema 4,
 * ml_task.json schema 3). Deviations are marked "sidecar:" and explained.
 */
import type { FieldDefinition, FieldMapping } from './field-mapping.js';

/** Index names as ML Commons names them. */
export const ML_CONNECTOR_INDEX = '.plugins-ml-connector';
export const ML_MODEL_GROUP_INDEX = '.plugins-ml-model-group';
export const ML_MODEL_INDEX = '.plugins-ml-model';
export const ML_TASK_INDEX = '.plugins-ml-task';

const keyword: FieldDefinition = { type: 'keyword' };
const text: FieldDefinition = { type: 'text' };
const long: FieldDefinition = { type: 'long' };
const integer: FieldDefinition = { type: 'integer' };
const boolean: FieldDefinition = { type: 'boolean' };
const flatObject: FieldDefinition = { type: 'flat_object' };
const date: FieldDefinition = { type: 'date', format: 'strict_date_time||epoch_millis' };
const textWithKeyword = (ignoreAbove?: number): FieldDefinition => ({
  type: 'text',
  fields: {
    keyword: ignoreAbove === undefined ? keyword : { type: 'keyword', ignore_above: ignoreAbove },
  },
});
/**
 * sidecar: an id-like keyword that also answers to `<field>.keyword`. Upstream leaves these
 * fields unmapped (dynamic text + keyword), where `term` on the bare name misses ids with
 * upper case or punctuation; mapping them keyword keeps both spellings exact.
 */
const idKeyword: FieldDefinition = { type: 'keyword', fields: { keyword } };

/** placeholders/user.json: the `owner`/`user` object every ML resource carries. */
const USER: FieldDefinition = {
  type: 'nested',
  properties: {
    name: textWithKeyword(256),
    backend_roles: textWithKeyword(),
    roles: textWithKeyword(),
    custom_attribute_names: textWithKeyword(),
  },
};

/** placeholders/connector.json: the connector embedded in a model's document. */
const EMBEDDED_CONNECTOR: FieldDefinition = {
  properties: {
    name: textWithKeyword(256),
    version: keyword,
    description: text,
    protocol: keyword,
    parameters: flatObject,
    credential: flatObject,
    client_config: flatObject,
    actions: flatObject,
  },
};

const ACCESS_FIELDS: Record<string, FieldDefinition> = {
  backend_roles: textWithKeyword(256),
  access: keyword,
  owner: USER,
  created_time: date,
  last_updated_time: date,
};

/** `.plugins-ml-connector` */
export const ML_CONNECTOR_MAPPING: FieldMapping = {
  properties: {
    ...EMBEDDED_CONNECTOR.properties,
    tenant_id: keyword,
    ...ACCESS_FIELDS,
  },
};

/** `.plugins-ml-model-group` */
export const ML_MODEL_GROUP_MAPPING: FieldMapping = {
  properties: {
    name: textWithKeyword(256),
    description: text,
    latest_version: integer,
    model_group_id: keyword,
    tenant_id: keyword,
    ...ACCESS_FIELDS,
    all_shared_principals: keyword,
  },
};

const GUARDRAIL: FieldDefinition = {
  properties: {
    regex: text,
    stop_words: { properties: { index_name: text, source_fields: text } },
  },
};

/** `.plugins-ml-model` */
export const ML_MODEL_MAPPING: FieldMapping = {
  properties: {
    algorithm: keyword,
    name: textWithKeyword(256),
    version: long,
    model_version: keyword,
    model_group_id: keyword,
    model_content: { type: 'binary' },
    chunk_number: long,
    total_chunks: long,
    model_id: keyword,
    description: text,
    model_format: keyword,
    model_state: keyword,
    model_content_size_in_bytes: long,
    planning_worker_node_count: integer,
    current_worker_node_count: integer,
    planning_worker_nodes: keyword,
    deploy_to_all_nodes: boolean,
    is_hidden: boolean,
    tenant_id: keyword,
    provisioned_by: keyword,
    model_config: {
      properties: {
        model_type: keyword,
        embedding_dimension: integer,
        framework_type: keyword,
        pooling_mode: keyword,
        normalize_result: boolean,
        model_max_length: integer,
        all_config: text,
        additional_config: flatObject,
      },
    },
    deploy_setting: flatObject,
    is_enabled: boolean,
    is_controller_enabled: boolean,
    rate_limiter: flatObject,
    model_content_hash_value: keyword,
    auto_redeploy_retry_times: integer,
    created_time: date,
    last_updated_time: date,
    last_registered_time: date,
    last_deployed_time: date,
    last_undeployed_time: date,
    interface: flatObject,
    guardrails: { properties: { input_guardrail: GUARDRAIL, output_guardrail: GUARDRAIL } },
    connector: EMBEDDED_CONNECTOR,
    user: USER,
    // sidecar: not in ml_model.json (see idKeyword): remote models carry connector_id, and
    // function_name is the register API's name for what upstream stores as `algorithm`.
    connector_id: idKeyword,
    function_name: idKeyword,
  },
};

/** `.plugins-ml-task` */
export const ML_TASK_MAPPING: FieldMapping = {
  properties: {
    model_id: keyword,
    task_type: keyword,
    function_name: keyword,
    state: keyword,
    input_type: keyword,
    progress: { type: 'float' },
    output_index: keyword,
    worker_node: keyword,
    create_time: date,
    last_update_time: date,
    error: text,
    is_async: boolean,
    remote_job: flatObject,
    user: USER,
    // sidecar: later ML Commons versions add tenant_id to every ML index; mapped keyword here
    // so tenant filters are exact in all four collections.
    tenant_id: keyword,
  },
};

/** Mapping by index name, for callers that route `_search` by index. */
export const ML_INDEX_MAPPINGS: Readonly<Record<string, FieldMapping>> = {
  [ML_CONNECTOR_INDEX]: ML_CONNECTOR_MAPPING,
  [ML_MODEL_GROUP_INDEX]: ML_MODEL_GROUP_MAPPING,
  [ML_MODEL_INDEX]: ML_MODEL_MAPPING,
  [ML_TASK_INDEX]: ML_TASK_MAPPING,
};
