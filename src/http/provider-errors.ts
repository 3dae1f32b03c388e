/**
 * The error for a non-2xx provider answer, worded as ML Commons words it (its HTTP response
 * handler does this in the transport too): the remote status passed through, the remote body in
 * the reason with credential values scrubbed, and AWS throttling named as such.
 */
import { isAwsThrottling, ProviderError } from '../errors/provider-error.js';
import { scrubSecrets } from '../security/scrub-secrets.js';
import type { OutboundResponse } from './outbound.js';

const AWS_THROTTLING =
  'Error from remote service: The request was denied due to remote server throttling. To change the retry policy and behavior, please update the connector client_config.';

/** The typed error of a non-2xx answer; `secrets` never appear in its reason. */
export function providerError(response: OutboundResponse, secrets: Iterable<string>): ProviderError {
  const base = { statusCode: response.status, responseHeaders: response.headers };
  if (isAwsThrottling(response.headers)) {
    return new ProviderError({ ...base, reason: AWS_THROTTLING });
  }
  if (response.body.trim() === '') {
    return new ProviderError({ ...base, reason: `Remote service returned error status ${response.status} with empty body` });
  }
  return new ProviderError({ ...base, reason: `Error from remote service: ${scrubSecrets(response.body, secrets)}` });
}
