import { conflict, illegalArgument, notFound } from '../errors/opensearch-error.js';
import type { CredentialCipher } from '../security/credential-cipher.js';
import { assertTrustedEndpoint } from '../security/trusted-endpoints.js';
import { ML_CONNECTOR_MAPPING, search, type SearchResponse } from '../query/index.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { Store, StoredRecord } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { IdGenerator } from '../util/ids.js';
import { assertConnectorComplete, parseConnectorInput, type ConnectorInput } from './connector-input.js';
import { isBuiltinFunctionName, lookupPostProcess, lookupPreProcess } from './functions/index.js';
import type { ScriptFunctions } from './invoke/script-functions.js';
import { CONNECTOR_INDEX, withoutCredential, type ConnectorDefinition } from './connector-record.js';
import { mapResolver, substitute } from './template/string-substitutor.js';
import { toUpdateResponse, type UpdateResponse } from '../store/write-response.js';

/** Which models refer to a connector. Implemented by the models layer and injected. */
export interface ConnectorReferences {
  /** Ids of every model registered with this connector. */
  modelsUsing(connectorId: string): Promise<string[]>;
  /** Ids of the deployed models using it: their cached connector would go stale on update. */
  deployedModelsUsing(connectorId: string): Promise<string[]>;
}

export interface ConnectorServiceDeps {
  store: Store;
  settings: SettingsService;
  cipher: CredentialCipher;
  clock: Clock;
  newId: IdGenerator;
  /** Compiles Painless pre/post-process scripts so a broken one fails at create, not at first predict. */
  scripts: ScriptFunctions;
  references?: ConnectorReferences;
}

const ACCESS_FIELDS = ['backend_roles', 'add_all_backend_roles', 'access_mode'] as const;

/** Standalone connectors: create, read, update, delete. */
export class ConnectorService {
  private references: ConnectorReferences;

  constructor(private readonly deps: ConnectorServiceDeps) {
    this.references = deps.references ?? { modelsUsing: async () => [], deployedModelsUsing: async () => [] };
  }

  /** Wires the models layer in once it exists (it is built on top of this service). */
  setReferences(references: ConnectorReferences): void {
    this.references = references;
  }

  async create(body: unknown): Promise<{ connector_id: string }> {
    this.assertRemoteInferenceEnabled();
    const input = parseConnectorInput(body, 'create');
    this.assertNoAccessFields(input);
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    const definition = this.buildDefinition(input, id, now);
    await this.deps.store.write([{ op: 'create', collection: CONNECTOR_INDEX, id, source: definition }]);
    return { connector_id: id };
  }

  /** Validates an inline connector for a model and returns it with credentials encrypted under `recordId`. */
  buildInlineDefinition(body: unknown, recordId: string): ConnectorDefinition {
    const input = parseConnectorInput(body, 'create');
    this.assertNoAccessFields(input);
    return this.buildDefinition(input, recordId, this.deps.clock.now());
  }

  /** Applies a partial update to an inline connector (a model's), with the same rules as a standalone one. */
  mergeInlineDefinition(current: ConnectorDefinition, body: unknown, recordId: string): ConnectorDefinition {
    const input = parseConnectorInput(body, 'update');
    this.assertNoAccessFields(input);
    return this.merge(current, input, recordId);
  }

  async get(id: string): Promise<Omit<ConnectorDefinition, 'credential'>> {
    return withoutCredential((await this.getRecord(id)).source);
  }

  /** The stored record, credential still encrypted: for callers that decrypt it to call the provider. */
  async getRecord(id: string): Promise<StoredRecord<ConnectorDefinition>> {
    const record = await this.deps.store.get<ConnectorDefinition>(CONNECTOR_INDEX, id);
    if (!record) throw notFound(`Failed to find connector with the provided connector id: ${id}`);
    return record;
  }

  /** `_search` over connectors; credentials are never part of a hit. */
  async search(body: unknown): Promise<SearchResponse> {
    return search({
      records: await this.deps.store.list(CONNECTOR_INDEX),
      body,
      mapping: ML_CONNECTOR_MAPPING,
      index: CONNECTOR_INDEX,
      excludeSourceFields: ['credential'],
    });
  }

  async update(id: string, body: unknown): Promise<UpdateResponse> {
    this.assertRemoteInferenceEnabled();
    const input = parseConnectorInput(body, 'update');
    if (Object.keys(input).length === 0) throw illegalArgument('Failed to update connector: Request body is empty');
    this.assertNoAccessFields(input);
    const record = await this.getRecord(id);
    const deployed = await this.references.deployedModelsUsing(id);
    if (deployed.length > 0) {
      throw illegalArgument(
        `${deployed.length} models are still using this connector, please undeploy the models first: [${deployed.join(', ')}]`,
      );
    }
    const merged = this.merge(record.source, input, id);
    const [result] = await this.deps.store.write([
      { op: 'put', collection: CONNECTOR_INDEX, id, source: merged, ifVersion: record.version },
    ]);
    return toUpdateResponse(result!);
  }

  async delete(id: string): Promise<UpdateResponse> {
    await this.getRecord(id);
    const models = await this.references.modelsUsing(id);
    if (models.length > 0) {
      throw conflict(
        `${models.length} models are still using this connector, please delete or update the models first: [${models.join(', ')}]`,
      );
    }
    const [result] = await this.deps.store.write([{ op: 'delete', collection: CONNECTOR_INDEX, id, mustExist: true }]);
    return toUpdateResponse(result!);
  }

  /** Decrypts a definition's credential for a call; `recordId` is the id it was encrypted under. */
  decryptCredential(definition: ConnectorDefinition, recordId: string): Record<string, string> {
    return this.deps.cipher.decryptMap(definition.credential, recordId);
  }

  /** Every action URL, with connector parameters substituted, must match a trusted regex. */
  assertTrustedUrls(definition: Pick<ConnectorDefinition, 'actions' | 'parameters'>): void {
    const trusted = this.deps.settings.get('plugins.ml_commons.trusted_connector_endpoints_regex');
    for (const action of definition.actions) {
      const url = substitute(action.url, '${parameters.', mapResolver(definition.parameters ?? {}));
      assertTrustedEndpoint(url, trusted);
    }
  }

  assertRemoteInferenceEnabled(): void {
    if (!this.deps.settings.get('plugins.ml_commons.remote_inference.enabled')) {
      throw illegalArgument(
        'Remote Inference is currently disabled. To enable it, update the setting "plugins.ml_commons.remote_inference_enabled" to true.',
      );
    }
  }

  private buildDefinition(input: ConnectorInput, id: string, now: number): ConnectorDefinition {
    const definition: ConnectorDefinition = {
      name: input.name!,
      ...(input.description === undefined ? {} : { description: input.description }),
      version: input.version!,
      protocol: input.protocol!,
      parameters: input.parameters ?? {},
      credential: {},
      actions: input.actions!,
      ...(input.client_config === undefined ? {} : { client_config: input.client_config }),
      ...(input.tenant_id === undefined ? {} : { tenant_id: input.tenant_id }),
      ...(input.provisioned_by === undefined ? {} : { provisioned_by: input.provisioned_by }),
      created_time: now,
      last_updated_time: now,
    };
    assertConnectorComplete({ ...definition, credential: input.credential ?? {} });
    this.assertProcessFunctions(definition);
    this.assertTrustedUrls(definition);
    definition.credential = this.deps.cipher.encryptMap(input.credential ?? {}, id);
    return definition;
  }

  private merge(current: ConnectorDefinition, input: ConnectorInput, id: string): ConnectorDefinition {
    const hasNewCredential = input.credential !== undefined && Object.keys(input.credential).length > 0;
    const merged: ConnectorDefinition = {
      ...current,
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.version === undefined ? {} : { version: input.version }),
      ...(input.protocol === undefined ? {} : { protocol: input.protocol }),
      // ML Commons merges parameters (putAll) and replaces the other collections wholesale.
      parameters: { ...current.parameters, ...input.parameters },
      ...(input.actions === undefined ? {} : { actions: input.actions }),
      ...(input.client_config === undefined ? {} : { client_config: input.client_config }),
      last_updated_time: this.deps.clock.now(),
    };
    const plainCredential = hasNewCredential ? input.credential! : this.deps.cipher.decryptMap(current.credential, id);
    assertConnectorComplete({ ...merged, credential: plainCredential });
    this.assertProcessFunctions(merged);
    this.assertTrustedUrls(merged);
    if (hasNewCredential) merged.credential = this.deps.cipher.encryptMap(input.credential!, id);
    return merged;
  }

  /** Built-in names must exist; anything else must compile as Painless. */
  private assertProcessFunctions(definition: Pick<ConnectorDefinition, 'actions'>): void {
    for (const action of definition.actions) {
      for (const [kind, value] of [
        ['pre_process_function', action.pre_process_function],
        ['post_process_function', action.post_process_function],
      ] as const) {
        if (value === undefined) continue;
        if (isBuiltinFunctionName(value)) {
          if (kind === 'pre_process_function') lookupPreProcess(value);
          else lookupPostProcess(value);
        } else {
          this.deps.scripts.validate(value);
        }
      }
    }
  }

  private assertNoAccessFields(input: ConnectorInput): void {
    // Access control needs an authenticated caller; until identity is configured it is off.
    if (ACCESS_FIELDS.some((field) => input[field] !== undefined)) {
      throw illegalArgument(
        'You cannot specify connector access control parameters because the Security plugin or connector access control is disabled on your cluster.',
      );
    }
  }
}


