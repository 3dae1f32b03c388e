/** Send policies for transport tests. */
import { resolveClientConfig } from '../../../src/connectors/client-config.js';
import type { ConnectorClientConfig } from '../../../src/connectors/connector-record.js';
import type { SendPolicy } from '../../../src/http/http-client.js';
import type { OutboundRequest } from '../../../src/http/outbound.js';

/** Loopback listeners are private addresses, so most tests allow them explicitly. */
export const loopbackPolicy = (clientConfig: ConnectorClientConfig = {}, extra: Partial<SendPolicy> = {}): SendPolicy => ({
  poolKey: 'connector-1',
  transport: resolveClientConfig(clientConfig),
  secrets: [],
  allowPrivateIps: true,
  restrictedIpPatterns: [],
  ...extra,
});

/** The production default: private addresses refused. */
export const strictPolicy = (extra: Partial<SendPolicy> = {}): SendPolicy => ({
  poolKey: 'connector-1',
  transport: resolveClientConfig(),
  secrets: [],
  allowPrivateIps: false,
  restrictedIpPatterns: [],
  ...extra,
});

/** A POST with a credential-looking header, as invoke-connector renders one. */
export const post = (url: string, headers: Record<string, string> = {}): OutboundRequest => ({
  url,
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-secret', ...headers },
  body: '{"input":"hello"}',
});
