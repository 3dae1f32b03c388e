/**
 * Connector access control in force: with `plugins.ml_commons.connector_access_control_enabled`
 * and an authenticated caller (ML Commons: a user in the thread context). Otherwise access fields
 * are refused and every connector is open to every caller.
 */
import type { OpenSearchError } from '../errors/opensearch-error.js';
import type { RecordPredicate } from '../query/index.js';
import {
  assertNoConnectorAccessFields,
  canUse,
  enforcedCaller,
  resolveConnectorCreateAccess,
  resolveConnectorUpdateAccess,
  storedAccessFields,
  type AccessFieldsInput,
} from '../security/access/index.js';
import { ownerFromIdentity, type CallerIdentity } from '../security/identity/index.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { StoredRecord } from '../store/store.js';
import type { ConnectorDefinition } from './connector-record.js';

/** The stored access fields of a connector. */
export type ConnectorAccessFields = Pick<ConnectorDefinition, 'backend_roles' | 'owner' | 'access'>;

/** The access decisions the connector service makes, bound to the live setting. */
export class ConnectorAccess {
  constructor(private readonly settings: SettingsService) {}

  /** The caller whose access is checked, or `undefined` when connector access control does not apply. */
  enforcedFor(caller: CallerIdentity | undefined): CallerIdentity | undefined {
    return enforcedCaller(this.settings.get('plugins.ml_commons.connector_access_control_enabled'), caller);
  }

  /** Throws `denial` unless the caller may use the connector. */
  assertCanUse(connector: ConnectorDefinition, caller: CallerIdentity | undefined, denial: () => OpenSearchError): void {
    const enforced = this.enforcedFor(caller);
    if (enforced !== undefined && !canUse(enforced, connector)) throw denial();
  }

  /** The non-scoring search filter that keeps what the caller may use (same rule as GET). */
  searchFilter(caller: CallerIdentity | undefined): RecordPredicate | undefined {
    const enforced = this.enforcedFor(caller);
    if (enforced === undefined || enforced.isAdmin) return undefined;
    return (record: StoredRecord) => canUse(enforced, record.source as ConnectorDefinition);
  }

  /** The access fields a new connector stores (none with access control off, where they are refused). */
  onCreate(input: AccessFieldsInput, caller: CallerIdentity | undefined): ConnectorAccessFields {
    const enforced = this.enforcedFor(caller);
    if (enforced === undefined) {
      assertNoConnectorAccessFields(input);
      return {};
    }
    return storedAccessFields(resolveConnectorCreateAccess(input, enforced), enforced);
  }

  /** With access control off, access fields are refused (checked before the record is read). */
  refuseFieldsWhenOff(input: AccessFieldsInput, caller: CallerIdentity | undefined): void {
    if (this.enforcedFor(caller) === undefined) assertNoConnectorAccessFields(input);
  }

  /** The access fields after an update: the current ones unless the body changes them (owner or admin only). */
  onUpdate(current: ConnectorDefinition, input: AccessFieldsInput, caller: CallerIdentity | undefined): ConnectorAccessFields {
    const enforced = this.enforcedFor(caller);
    if (enforced === undefined) {
      assertNoConnectorAccessFields(input);
      return pickAccess(current);
    }
    const resolved = resolveConnectorUpdateAccess(current, input, enforced);
    if (resolved === undefined) return pickAccess(current);
    // A connector created while access control was off has no owner and is open to all whatever
    // its access says; the admin who gives it an access mode becomes its owner, so the mode holds.
    const owner = current.owner ?? ownerFromIdentity(enforced);
    return {
      ...(resolved.backend_roles.length > 0 ? { backend_roles: [...resolved.backend_roles] } : {}),
      ...(owner === undefined ? {} : { owner }),
      access: resolved.access,
    };
  }
}

function pickAccess(connector: ConnectorDefinition): ConnectorAccessFields {
  const { backend_roles: roles, owner, access } = connector;
  return { ...(roles === undefined ? {} : { backend_roles: roles }), ...(owner === undefined ? {} : { owner }), ...(access === undefined ? {} : { access }) };
}
