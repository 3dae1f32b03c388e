/**
 * Which guard refused a provider call: the pre-send checks tag their errors, the address checks
 * (also those made at connect time by the guarded lookup) are recognised by the ip guard. The
 * refusal goes to the caller reworded to name the URL (query values redacted) and the setting.
 */
import { OpenSearchError } from '../errors/opensearch-error.js';
import { addressRefusalKind, withRefusedUrl } from '../security/ip-guard/index.js';
import type { GuardName } from './transport-events.js';

/** A pre-send check's error, tagged with the guard that made it. */
class GuardRefusal {
  constructor(
    readonly guard: GuardName,
    readonly error: unknown,
  ) {}
}

/** Runs a pre-send check; its error is tagged as `guard`'s refusal. */
export function refusedAs<T>(guard: GuardName, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new GuardRefusal(guard, error);
  }
}

/** Whether an attempt's error is an address refusal (reported as a refusal, not as a failed attempt). */
export const isAddressRefusal = (error: unknown): boolean => addressRefusalKind(error) !== undefined;

/** The metrics' name of each address rule. */
const ADDRESS_GUARDS = { private: 'private_ip', private_endpoint: 'private_endpoint', restricted: 'restricted_ip' } as const satisfies Record<
  NonNullable<ReturnType<typeof addressRefusalKind>>,
  GuardName
>;

/** The error to give the caller, after telling `onRefused` when a guard refused the call. */
export function callerError(caught: unknown, url: string, onRefused: (guard: GuardName, reason: string) => void): unknown {
  const error = caught instanceof GuardRefusal ? caught.error : caught;
  const kind = addressRefusalKind(error);
  const reported = withRefusedUrl(error, url);
  const guard: GuardName | undefined = kind !== undefined ? ADDRESS_GUARDS[kind] : caught instanceof GuardRefusal ? caught.guard : undefined;
  if (guard !== undefined) onRefused(guard, reported instanceof OpenSearchError ? reported.reason : 'refused');
  return reported;
}
