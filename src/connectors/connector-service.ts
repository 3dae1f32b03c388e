import { conflict, illegalArgument, notFound, type OpenSearchError } from '../errors/opensearch-error.js';
import type { CredentialCipher } from '../security/credential-cipher.js';
import { ML_CONNECTOR_MAPPING, search, type SearchResponse } from '../query/index.js';
import type { SettingsService } from '../settings/settings-service.js';
import { unchanged, type Store, type StoredRecord } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { IdGenerator } from '../util/ids.js';
import { parseConnectorInput, type ConnectorInput } from './connector-input.js';
import type { ScriptFunctions } from './invoke/script-functions.js';
import { CONNECTOR_INDEX, SECRET_CONNECTOR_FIELDS, withoutCredential, type ConnectorDefinition } from './connector-record.js';
import { ConnectorDefinitions } from './connector-definitions.js';
import { toUpdateResponse, type UpdateResponse } from '../store/write-response.js';
import { denials } from '../security/access/index.js';
import type { CallerIdentity } from '../security/identity/index.js';
import { ConnectorAccess, type ConnectorAccessFields } from './connector-access.js';

/** Which models refer to a connector. Implemented over the store by the models layer and injected. */
export interface ConnectorReferences {
  /** Ids of every model registered with this connector. */
  modelsUsing(connectorId: string): Promise<string[]>;
}

export interface ConnectorServiceDeps {
  store: Store;
  settings: SettingsService;
  cipher: CredentialCipher;
  clock: Clock;
  newId: IdGenerator;
  /** Compiles Painless pre/post-process scripts so a broken one fails at create, not at first predict. */
  scripts: ScriptFunctions;
  /** Which models use a connector: a connector in use is never deleted, nor updated while deployed. */
  references: ConnectorReferences;
}

/** Standalone connectors: create, read, update, delete. */
export class ConnectorService {
  private readonly access: ConnectorAccess;
  private readonly definitions: ConnectorDefinitions;

  constructor(private readonly deps: ConnectorServiceDeps) {
    this.access = new ConnectorAccess(deps.settings);
    this.definitions = new ConnectorDefinitions(deps);
  }

  /** Creates a standalone connector; with access control in force the caller becomes its owner. */
  async create(body: unknown, caller: CallerIdentity | undefined): Promise<{ connector_id: string }> {
    this.assertRemoteInferenceEnabled();
    const input = parseConnectorInput(body);
    const accessFields = this.access.onCreate(input, caller);
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    const definition = this.definitions.build(input, id, now, accessFields);
    await this.deps.store.write([{ op: 'create', collection: CONNECTOR_INDEX, id, source: definition }]);
    return { connector_id: id };
  }

  /**
   * Validates an inline connector for a model and returns it with credentials encrypted under
   * `recordId`. Access to it is access to its model's group, so it takes no access fields.
   */
  buildInlineDefinition(body: unknown, recordId: string): ConnectorDefinition {
    const input = parseConnectorInput(body);
    assertNoInlineAccessFields(input);
    return this.definitions.build(input, recordId, this.deps.clock.now(), {});
  }

  /** Applies a partial update to an inline connector (a model's), with the same rules as a standalone one. */
  mergeInlineDefinition(current: ConnectorDefinition, body: unknown, recordId: string): ConnectorDefinition {
    const input = parseConnectorInput(body);
    assertNoInlineAccessFields(input);
    return this.definitions.merge(current, input, recordId);
  }

  /** A connector as GET answers it: no credential; 403 for a caller who may not use it. */
  async get(id: string, caller: CallerIdentity | undefined): Promise<Omit<ConnectorDefinition, 'credential'>> {
    const record = await this.getRecord(id);
    this.access.assertCanUse(record.source, caller, denials.connectorDenied);
    return withoutCredential(record.source);
  }

  /**
   * The record of a connector a model is registered with or moved to: ML Commons' 404 when it is
   * missing, `denial` when the caller may not use it.
   */
  async usableRecord(
    id: string,
    caller: CallerIdentity | undefined,
    denial: (connectorId: string) => OpenSearchError,
  ): Promise<StoredRecord<ConnectorDefinition>> {
    const record = await this.deps.store.get<ConnectorDefinition>(CONNECTOR_INDEX, id);
    if (!record) throw notFound(`Failed to find connector:${id}`);
    this.access.assertCanUse(record.source, caller, () => denial(id));
    return record;
  }

  /** The stored record, credential still encrypted: for callers that decrypt it to call the provider. */
  async getRecord(id: string): Promise<StoredRecord<ConnectorDefinition>> {
    const record = await this.deps.store.get<ConnectorDefinition>(CONNECTOR_INDEX, id);
    if (!record) throw notFound(`Failed to find connector with the provided connector id: ${id}`);
    return record;
  }

  /** `_search` over connectors the caller may use; credentials are never part of a hit. */
  async search(body: unknown, caller: CallerIdentity | undefined): Promise<SearchResponse> {
    const filter = this.access.searchFilter(caller);
    return search({
      records: await this.deps.store.list(CONNECTOR_INDEX),
      body,
      mapping: ML_CONNECTOR_MAPPING,
      index: CONNECTOR_INDEX,
      excludeSourceFields: SECRET_CONNECTOR_FIELDS,
      now: this.deps.clock.now(),
      ...(filter === undefined ? {} : { filter }),
    });
  }

  /**
   * Partial update; access fields only by the owner or an admin, with access control in force.
   * Unlike ML Commons, models using the connector need no undeploy: deployed models pick the new
   * definition and credential up on their next call, on every replica.
   */
  async update(id: string, body: unknown, caller: CallerIdentity | undefined): Promise<UpdateResponse> {
    this.assertRemoteInferenceEnabled();
    const input = parseConnectorInput(body);
    if (Object.keys(input).length === 0) throw illegalArgument('Failed to update connector: Request body is empty');
    this.access.refuseFieldsWhenOff(input, caller);
    const record = await this.getRecord(id);
    this.access.assertCanUse(record.source, caller, () => denials.connectorUpdateDenied(id));
    const accessFields = this.access.onUpdate(record.source, input, caller);
    const merged = withAccess(this.definitions.merge(record.source, input, id), accessFields);
    const [result] = await this.deps.store.write([
      { op: 'put', collection: CONNECTOR_INDEX, id, source: merged, ifMatch: unchanged(record) },
    ]);
    return toUpdateResponse(result!);
  }

  /** Deletes a connector no model uses; 403 for a caller who may not use it. */
  async delete(id: string, caller: CallerIdentity | undefined): Promise<UpdateResponse> {
    const record = await this.getRecord(id);
    this.access.assertCanUse(record.source, caller, denials.connectorDeleteDenied);
    const models = await this.deps.references.modelsUsing(id);
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

  /** Decrypts a definition's rotation-window `previous_credential`, when it has one. */
  decryptPreviousCredential(definition: ConnectorDefinition, recordId: string): Record<string, string> | undefined {
    const previous = definition.previous_credential;
    return previous === undefined ? undefined : this.deps.cipher.decryptMap(previous, recordId, 'previous_credential');
  }

  /** Every action URL, with connector parameters substituted, must match a trusted regex. */
  assertTrustedUrls(definition: Pick<ConnectorDefinition, 'actions' | 'parameters'>): void {
    this.definitions.assertTrustedUrls(definition);
  }

  assertRemoteInferenceEnabled(): void {
    if (!this.deps.settings.get('plugins.ml_commons.remote_inference.enabled')) {
      throw illegalArgument(
        'Remote Inference is currently disabled. To enable it, update the setting "plugins.ml_commons.remote_inference_enabled" to true.',
      );
    }
  }
}

/** The merged definition with the access fields as decided (replacing whatever it carried). */
function withAccess(definition: ConnectorDefinition, accessFields: ConnectorAccessFields): ConnectorDefinition {
  const { backend_roles: _roles, owner: _owner, access: _access, ...rest } = definition;
  return { ...rest, ...accessFields };
}

/** An inline connector lives in its model; its model group decides who may use it. */
function assertNoInlineAccessFields(input: ConnectorInput): void {
  if (input.backend_roles !== undefined || input.add_all_backend_roles !== undefined || input.access_mode !== undefined) {
    throw illegalArgument(
      "An inline connector takes no access control parameters (backend_roles, add_all_backend_roles, access_mode): access to it is access to its model's group.",
    );
  }
}


