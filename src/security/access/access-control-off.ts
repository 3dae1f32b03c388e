/**
 * With access control off (the setting is false, or security is off so there is no caller), ML
 * Commons refuses access fields rather than ignore them; so does this service.
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import type { CallerIdentity } from '../identity/identity.js';
import type { AccessFieldsInput } from './protected-record.js';

/** The caller whose access is checked, or `undefined` when access control does not apply. */
export const enforcedCaller = (enabled: boolean, caller: CallerIdentity | undefined): CallerIdentity | undefined =>
  enabled ? caller : undefined;

/** Model groups and register bodies (an empty `backend_roles` list passes, as in ML Commons). */
export function assertNoModelAccessFields(input: AccessFieldsInput): void {
  if ((input.backend_roles?.length ?? 0) > 0 || input.add_all_backend_roles !== undefined || input.access_mode !== undefined) {
    throw illegalArgument(
      'You cannot specify model access control parameters because the Security plugin or model access control is disabled on your cluster.',
    );
  }
}

/** Connector bodies (any of the three fields, even an empty list). */
export function assertNoConnectorAccessFields(input: AccessFieldsInput): void {
  if (input.backend_roles !== undefined || input.add_all_backend_roles !== undefined || input.access_mode !== undefined) {
    throw illegalArgument(
      'You cannot specify connector access control parameters because the Security plugin or connector access control is disabled on your cluster.',
    );
  }
}
