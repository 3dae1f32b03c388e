import { illegalArgument } from '../errors/opensearch-error.js';
import { assertTrustedEndpoint } from '../security/trusted-endpoints.js';
import type { CredentialCipher } from '../security/credential-cipher.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { Clock } from '../util/clock.js';
import { assertConnectorComplete, assertCreateFieldsPresent, type ConnectorInput } from './connector-input.js';
import type { ConnectorAccessFields } from './connector-access.js';
import type { ConnectorDefinition } from './connector-record.js';
import { isBuiltinFunctionName, lookupPostProcess, lookupPreProcess } from './functions/index.js';
import type { ScriptFunctions } from './invoke/script-functions.js';
import { assertCredentialReferencesKnown } from './template/credential-references.js';
import { mapResolver, substitute } from './template/string-substitutor.js';

/** What building a definition needs. */
export interface ConnectorDefinitionDeps {
  readonly settings: SettingsService;
  readonly cipher: CredentialCipher;
  readonly clock: Clock;
  readonly scripts: ScriptFunctions;
}

/**
 * Turns validated connector input into a stored definition (standalone or inline): completeness,
 * process functions, trusted URLs, then the credential encrypted under the record id.
 */
export class ConnectorDefinitions {
  constructor(private readonly deps: ConnectorDefinitionDeps) {}

  /** Every action URL, with connector parameters substituted, must match a trusted regex. */
  assertTrustedUrls(definition: Pick<ConnectorDefinition, 'actions' | 'parameters'>): void {
    const trusted = this.deps.settings.get('plugins.ml_commons.trusted_connector_endpoints_regex');
    for (const action of definition.actions) {
      const url = substitute(action.url, '${parameters.', mapResolver(definition.parameters ?? {}));
      assertTrustedEndpoint(url, trusted);
    }
  }

  /** Validates a create body and encrypts its credential under `id`. */
  build(input: ConnectorInput, id: string, now: number, accessFields: ConnectorAccessFields): ConnectorDefinition {
    // A misspelled function name is a typo like an unknown field: reported before a missing field.
    this.assertProcessFunctions({ actions: input.actions ?? [] });
    assertCreateFieldsPresent(input);
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
      ...accessFields,
      created_time: now,
      last_updated_time: now,
    };
    assertConnectorComplete({ ...definition, credential: input.credential ?? {} });
    this.assertTrustedUrls(definition);
    if (input.keep_previous_credential !== undefined) throw illegalArgument('keep_previous_credential applies to an update that replaces the credential');
    definition.credential = this.deps.cipher.encryptMap(input.credential ?? {}, id);
    const previous = this.previousCredential(undefined, input, definition.actions, id);
    if (previous !== undefined) definition.previous_credential = previous;
    return definition;
  }

  /** Applies a partial update (ML Commons' merge rules), re-validating and re-encrypting as needed. */
  merge(current: ConnectorDefinition, input: ConnectorInput, id: string): ConnectorDefinition {
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
    if (input.keep_previous_credential !== undefined && !hasNewCredential) {
      throw illegalArgument('keep_previous_credential needs a new credential in the same update');
    }
    if (hasNewCredential) merged.credential = this.deps.cipher.encryptMap(input.credential!, id);
    const previous = hasNewCredential || input.previous_credential !== undefined ? this.previousCredential(current, input, merged.actions, id) : current.previous_credential;
    if (previous === undefined) delete merged.previous_credential;
    else merged.previous_credential = previous;
    return merged;
  }

  /**
   * The encrypted `previous_credential` after a create or an update that replaces the credential or
   * sets the previous one: the replaced credential with `keep_previous_credential`, the given map,
   * or none (a new credential closes the last rotation window unless told otherwise).
   */
  private previousCredential(
    current: ConnectorDefinition | undefined,
    input: ConnectorInput,
    actions: ConnectorDefinition['actions'],
    id: string,
  ): Record<string, string> | undefined {
    let plain: Record<string, string> | undefined;
    if (input.keep_previous_credential === true && current !== undefined) plain = this.deps.cipher.decryptMap(current.credential, id);
    else if (input.previous_credential !== undefined && input.previous_credential !== null) plain = input.previous_credential;
    if (plain === undefined || Object.keys(plain).length === 0) return undefined;
    // The previous credential stands in for the current one, so it must fill the same templates.
    assertCredentialReferencesKnown(actions, plain, 'previous_credential');
    return this.deps.cipher.encryptMap(plain, id, 'previous_credential');
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
}
