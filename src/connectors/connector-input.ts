import { illegalArgument } from '../errors/opensearch-error.js';
import { compileSchema, validateOrThrow } from '../schemas/ajv.js';
import { connectorRequiredFields, connectorSchema } from '../schemas/connector-schema.js';
import {
  ACTION_TYPES,
  CONNECTOR_PROTOCOLS,
  HTTP_METHODS,
  SUPPORTED_CONNECTOR_PROTOCOLS,
  type AccessMode,
  type ActionType,
  type ConnectorAction,
  type ConnectorClientConfig,
  type ConnectorProtocol,
} from './connector-record.js';
import { assertCredentialReferencesKnown } from './template/credential-references.js';
import { assertHeaderTemplatesAllowed } from './template/header-policy.js';

/** A connector body after validation, before credentials are encrypted. */
export interface ConnectorInput {
  name?: string;
  description?: string;
  version?: string;
  protocol?: ConnectorProtocol;
  parameters?: Record<string, string>;
  credential?: Record<string, string>;
  /** A rotation window's old credential (null removes it). */
  previous_credential?: Record<string, string> | null;
  /** On update: the credential being replaced becomes `previous_credential`. */
  keep_previous_credential?: boolean;
  actions?: ConnectorAction[];
  client_config?: ConnectorClientConfig;
  backend_roles?: string[];
  add_all_backend_roles?: boolean;
  access_mode?: AccessMode;
  tenant_id?: string;
  provisioned_by?: string;
}

interface RawConnectorInput extends Omit<ConnectorInput, 'version' | 'parameters' | 'actions' | 'protocol'> {
  version?: string | number;
  protocol?: string;
  parameters?: Record<string, unknown>;
  actions?: Array<Omit<ConnectorAction, 'action_type'> & { action_type: string }>;
}

const validateConnector = compileSchema<RawConnectorInput>(connectorSchema);

const RETRY_BACKOFF_POLICIES = ['constant', 'exponential_equal_jitter', 'exponential_full_jitter'];

/**
 * Validates the shape of a create or update body and normalises it the way ML Commons does:
 * parameters become strings, action types upper-case, version text. Messages are ML Commons'.
 * Fields a create needs are checked later (`assertCreateFieldsPresent`), so that a typo such as
 * `paramters` is reported before the missing field it causes.
 */
export function parseConnectorInput(body: unknown): ConnectorInput {
  const raw = validateOrThrow(validateConnector, body, { what: 'connector', toError: illegalArgument });
  const input: ConnectorInput = { ...raw, version: undefined, protocol: undefined, parameters: undefined, actions: undefined };
  if (raw.version !== undefined) input.version = String(raw.version);
  if (raw.protocol !== undefined) input.protocol = parseProtocol(raw.protocol);
  if (raw.parameters !== undefined) input.parameters = toParameterStrings(raw.parameters);
  if (raw.actions !== undefined) input.actions = raw.actions.map(parseAction);
  if (raw.client_config?.retry_backoff_policy !== undefined) {
    const policy = raw.client_config.retry_backoff_policy.toLowerCase();
    if (!RETRY_BACKOFF_POLICIES.includes(policy)) throw illegalArgument('Unsupported retry backoff policy');
    input.client_config = { ...raw.client_config, retry_backoff_policy: policy };
  }
  return stripUndefined(input);
}

/** ML Commons' required-field checks of a create, in its order and words. */
export function assertCreateFieldsPresent(input: ConnectorInput): void {
  for (const [field, message] of connectorRequiredFields) {
    if (input[field] === undefined) throw illegalArgument(message);
  }
  if (Object.keys(input.credential ?? {}).length === 0) throw illegalArgument('Connector credential is null or empty list');
  if ((input.actions ?? []).length === 0) throw illegalArgument('No actions configured for this connector');
}

/** The checks that need the merged definition (create, or update after merging). */
export function assertConnectorComplete(connector: {
  protocol: ConnectorProtocol;
  parameters?: Record<string, string> | undefined;
  credential: Record<string, string>;
  actions: ConnectorAction[];
}): void {
  if (connector.protocol === 'mcp_sse' || connector.protocol === 'mcp_streamable_http') {
    throw illegalArgument(`Connectors with protocol [${connector.protocol}] (MCP) are not supported by this service`);
  }
  if (connector.protocol === 'aws_sigv4') {
    const has = (key: string) => Object.hasOwn(connector.credential, key);
    if (!has('access_key') || !has('secret_key')) throw illegalArgument('Missing credential');
    const inParameters = (key: string) => Object.hasOwn(connector.parameters ?? {}, key);
    if (!inParameters('service_name') && !has('service_name')) throw illegalArgument('Missing service name');
    if (!inParameters('region') && !has('region')) throw illegalArgument('Missing region');
  }
  for (const action of connector.actions) assertHeaderTemplatesAllowed(action.headers ?? {});
  assertCredentialReferencesKnown(connector.actions, connector.credential);
}

/** ML Commons' `getParameterMap`: strings stay, anything else becomes its JSON text. */
export function toParameterStrings(parameters: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (value === null || value === undefined) continue;
    result[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return result;
}

function parseProtocol(protocol: string): ConnectorProtocol {
  if (!(CONNECTOR_PROTOCOLS as readonly string[]).includes(protocol)) {
    // Only what this service accepts: the MCP protocols ML Commons also lists are refused here.
    throw illegalArgument(`Unsupported connector protocol. Please use one of [${SUPPORTED_CONNECTOR_PROTOCOLS.join(', ')}]`);
  }
  return protocol as ConnectorProtocol;
}

function parseAction(action: Omit<ConnectorAction, 'action_type'> & { action_type: string }): ConnectorAction {
  const actionType = action.action_type.toUpperCase();
  if (!(ACTION_TYPES as readonly string[]).includes(actionType)) {
    throw illegalArgument(
      `Unknown action type [${action.action_type}]; known: [${ACTION_TYPES.map((type) => type.toLowerCase()).join(', ')}]`,
    );
  }
  if (!(HTTP_METHODS as readonly string[]).includes(action.method.toUpperCase())) {
    throw illegalArgument(`unsupported http method [${action.method}]; use one of [${HTTP_METHODS.join(', ')}]`);
  }
  if (action.name !== undefined && !/^[a-zA-Z0-9_-]{1,64}$/.test(action.name)) {
    throw illegalArgument('Action name must be 1 to 64 characters of letters, digits, "_" or "-"');
  }
  return { ...action, action_type: actionType as ActionType };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
