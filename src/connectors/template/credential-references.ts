import { illegalArgument } from '../../errors/opensearch-error.js';
import type { ConnectorAction } from '../connector-record.js';

/** `${credential.name}` or `${credential.name:-fallback}`, not escaped as `$${...}`. */
const CREDENTIAL_REFERENCE = /(?<!\$)\$\{credential\.([^}]+)\}/g;
const VALUE_DELIMITER = ':-';

/**
 * Refuses a `${credential.x}` whose key the credential does not have: it would never be
 * substituted and the placeholder text would reach the provider. The message names the known
 * keys, never a value.
 */
export function assertCredentialReferencesKnown(
  actions: readonly ConnectorAction[],
  credential: Readonly<Record<string, string>>,
  field = 'credential',
): void {
  for (const action of actions) {
    const templates: Array<[string, string | undefined]> = [
      ['url', action.url],
      ...Object.entries(action.headers ?? {}).map(([name, value]): [string, string] => [`header [${name}]`, value]),
      ['request_body', action.request_body],
    ];
    for (const [where, template] of templates) {
      for (const match of template?.matchAll(CREDENTIAL_REFERENCE) ?? []) {
        const expression = match[1] as string;
        if (expression.includes(VALUE_DELIMITER) || Object.hasOwn(credential, expression)) continue;
        const known = Object.keys(credential);
        throw illegalArgument(
          `Connector action [${action.name ?? action.action_type.toLowerCase()}] ${where} uses \${credential.${expression}}, ` +
            `but the connector ${field} has no key [${expression}]; its keys are [${known.join(', ')}]`,
        );
      }
    }
  }
}
