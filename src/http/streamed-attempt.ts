/**
 * One streamed call on a pooled connection: the answer is handed on as soon as its status and
 * headers arrive, and the connection slot is held until its body has been read or cancelled.
 * Non-2xx answers (read whole; they are small) and redirects fail as in a plain send, so retries
 * and error mapping are the same; once a 2xx is handed on, nothing is retried.
 */
import type { Dispatcher } from 'undici';
import type { OpenSearchError } from '../errors/opensearch-error.js';
import type { PoolEntry } from './connection-pools.js';
import type { SendPolicy } from './http-client.js';
import type { OutboundRequest, StreamingResponse } from './outbound.js';
import { providerError } from './provider-errors.js';
import { flattenHeaders, headerValue } from './response-headers.js';
import { redirectError } from './transport-errors.js';
import type { OutboundTarget } from './url-checks.js';

export interface StreamingPolicy extends SendPolicy {
  /** Maps a failure while reading the body (timeout, reset) to the error callers see. */
  readonly toError: (error: unknown) => OpenSearchError;
}

export async function attemptStreaming(
  entry: PoolEntry,
  target: OutboundTarget,
  outbound: OutboundRequest,
  policy: StreamingPolicy,
): Promise<StreamingResponse> {
  policy.signal?.throwIfAborted(); // undici would still open a connection for an aborted call
  await entry.slots.acquire(policy.signal);
  const epoch = entry.concurrency?.begin() ?? 0;
  let released = false;
  const release = (succeeded: boolean) => {
    if (released) return;
    released = true;
    if (succeeded) entry.concurrency?.succeeded();
    entry.slots.release();
  };
  let response: Dispatcher.ResponseData;
  try {
    response = await entry.dispatcher.request({
      origin: target.origin,
      path: target.path,
      method: outbound.method as Dispatcher.HttpMethod,
      headers: outbound.headers,
      body: outbound.body,
      signal: policy.signal,
    });
    await refuseNon2xx(response, entry, epoch, policy);
  } catch (error) {
    release(false);
    throw error;
  }
  const answer = response;
  return {
    status: answer.statusCode,
    headers: flattenHeaders(answer.headers),
    body: {
      async *[Symbol.asyncIterator]() {
        let finished = false;
        try {
          for await (const chunk of answer.body as AsyncIterable<Uint8Array>) yield chunk;
          finished = true;
        } catch (error) {
          throw policy.toError(error);
        } finally {
          // Leaving early (the caller went away) closes the connection: the provider sees the call end.
          if (!finished) answer.body.destroy();
          release(finished);
        }
      },
    },
    cancel() {
      if (released) return;
      answer.body.destroy();
      release(false);
    },
  };
}

async function refuseNon2xx(response: Dispatcher.ResponseData, entry: PoolEntry, epoch: number, policy: SendPolicy): Promise<void> {
  if (response.statusCode >= 300 && response.statusCode < 400) {
    await response.body.dump();
    throw redirectError(response.statusCode, headerValue(response.headers.location));
  }
  if (response.statusCode >= 200 && response.statusCode < 300) return;
  const body = await response.body.text();
  const error = providerError({ status: response.statusCode, headers: flattenHeaders(response.headers), body }, policy.secrets);
  if (error.isThrottle) entry.concurrency?.throttled(epoch);
  throw error;
}
