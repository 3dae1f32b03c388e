import { OpenSearchError, statusException } from '../../errors/opensearch-error.js';
import type { OutboundResponse } from '../../http/http-client.js';

const AWS_ERROR_TYPE = 'x-amzn-errortype';
const REDACTED = '[REDACTED]';
/** Shorter values are too likely to occur by chance to be worth scrubbing (and are not real keys). */
const MIN_SCRUBBED_LENGTH = 4;

/**
 * The error for a non-2xx provider answer, as ML Commons reports it: the remote status passed
 * through, the remote body in the reason. Credential values are scrubbed first, because some
 * providers echo the key they rejected.
 */
export function remoteServiceError(response: OutboundResponse, credential: Readonly<Record<string, string>>): OpenSearchError {
  const errorType = response.headers[AWS_ERROR_TYPE];
  if (errorType?.startsWith('ThrottlingException')) {
    return statusException(
      response.status,
      'Error from remote service: The request was denied due to remote server throttling. To change the retry policy and behavior, please update the connector client_config.',
    );
  }
  if (response.body.trim() === '') {
    return statusException(response.status, `Remote service returned error status ${response.status} with empty body`);
  }
  return statusException(response.status, `Error from remote service: ${scrubSecrets(response.body, credential)}`);
}

/** A 2xx answer without a body. */
export const emptyResponseError = (): OpenSearchError => statusException(502, 'Remote service returned empty response body');

/** Replaces every credential value (and its JSON-escaped form) in `text`. */
export function scrubSecrets(text: string, credential: Readonly<Record<string, string>>): string {
  let scrubbed = text;
  for (const secret of Object.values(credential)) {
    if (secret.length < MIN_SCRUBBED_LENGTH) continue;
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])) {
      scrubbed = scrubbed.split(form).join(REDACTED);
    }
  }
  return scrubbed;
}
