/**
 * The cluster store's road to the cluster: the proxy's client, carrying the sidecar's own account
 * (`OPENSEARCH_USERNAME` / `OPENSEARCH_PASSWORD`, or `OPENSEARCH_API_KEY`) instead of a caller's.
 */
import type { ClusterTransport } from '../store/cluster/cluster-transport.js';
import { redactUrl } from '../util/redact-url.js';
import type { ClusterClient } from './cluster-client.js';

/** The sidecar's own credentials for its state indices. */
export type ServiceAccount =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'api-key'; readonly apiKey: string }
  | { readonly kind: 'none' };

/** The `Authorization` header of the account (API keys as the security plugin's API tokens take them). */
export function authorizationOf(account: ServiceAccount): string | undefined {
  switch (account.kind) {
    case 'basic':
      return `Basic ${Buffer.from(`${account.username}:${account.password}`, 'utf8').toString('base64')}`;
    case 'api-key':
      return `ApiKey ${account.apiKey}`;
    case 'none':
      return undefined;
  }
}

export function createStateTransport(client: ClusterClient, account: ServiceAccount): ClusterTransport {
  const authorization = authorizationOf(account);
  return {
    displayUrl: redactUrl(client.url),
    request: (request) => client.call({ ...request, authorization }),
  };
}
