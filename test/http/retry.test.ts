/** Retries against a real listener; every wait goes through a fake clock, so nothing sleeps for real. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorClientConfig } from '../../src/connectors/connector-record.js';
import { OpenSearchError } from '../../src/errors/opensearch-error.js';
import { isProviderError, ProviderError } from '../../src/errors/provider-error.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';
import { answer, drop, hang, sequence, startListener, type Behaviour, type TestListener } from './support/listener.js';
import { fakeClock, type FakeClock } from './support/fake-clock.js';
import { loopbackPolicy, post } from './support/policies.js';

let listener: TestListener | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await listener?.close();
});

const ok = answer(200, '{"ok":true}');
const fail = (status: number, headers: Record<string, string> = {}): Behaviour => answer(status, `{"error":${status}}`, headers);
const START = Date.UTC(2026, 0, 1);

async function run(behaviour: Behaviour, clientConfig: ConnectorClientConfig, clock: FakeClock = fakeClock(START), random = () => 0.5) {
  listener = await startListener(behaviour);
  client = createHttpClient({ clock, random });
  const outcome = await client.send(post(`${listener.url}/v1`), loopbackPolicy(clientConfig)).then(
    (response) => ({ response, error: undefined }),
    (error: unknown) => ({ response: undefined, error: error as OpenSearchError }),
  );
  // A 2xx resolves; any other answer rejects with a ProviderError carrying the remote status.
  const status = outcome.response?.status ?? (isProviderError(outcome.error) ? outcome.error.statusCode : undefined);
  return { ...outcome, status, requests: listener.requests.length, sleeps: clock.sleeps };
}

describe('which answers are retried', () => {
  it.each([
    ['503 then 200', sequence(fail(503), ok), {}, 200, 2, [200]],
    ['500, 502, 504 then 200', sequence(fail(500), fail(502), fail(504), ok), {}, 200, 4, [200, 200, 200]],
    ['429 then 200', sequence(fail(429), ok), {}, 200, 2, [200]],
    ['AWS throttling on a 400 then 200', sequence(fail(400, { 'x-amzn-ErrorType': 'ThrottlingException:http://internal.amazon.com/' }), ok), {}, 200, 2, [200]],
    ['400', fail(400), {}, 400, 1, []],
    ['401', fail(401), {}, 401, 1, []],
    ['404', fail(404), {}, 404, 1, []],
    ['another AWS error type on a 400', fail(400, { 'x-amzn-ErrorType': 'ValidationException' }), {}, 400, 1, []],
    ['200 at once', ok, {}, 200, 1, []],
    ['always 503 with the default 3 retries', fail(503), {}, 503, 4, [200, 200, 200]],
    ['always 429 with max_retry_times 1', fail(429), { max_retry_times: 1 }, 429, 2, [200]],
    ['503 with max_retry_times 0', fail(503), { max_retry_times: 0 }, 503, 1, []],
    ['503 with a custom backoff', sequence(fail(503), ok), { retry_backoff_millis: 750 }, 200, 2, [750]],
  ])('%s', async (_name, behaviour, clientConfig, status, requests, sleeps) => {
    const result = await run(behaviour, clientConfig);
    expect(result.status).toBe(status);
    expect(result.requests).toBe(requests);
    expect(result.sleeps).toEqual(sleeps);
  });

  it('throws the last answer as a ProviderError, worded as ML Commons words it', async () => {
    const result = await run(fail(503, { 'x-request-id': 'abc' }), { max_retry_times: 2 });
    expect(result.requests).toBe(3);
    expect(result.error).toBeInstanceOf(ProviderError);
    expect(result.error).toMatchObject({
      status: 503,
      statusCode: 503,
      reason: 'Error from remote service: {"error":503}',
      responseHeaders: expect.objectContaining({ 'x-request-id': 'abc' }),
      isRetryable: true,
      isThrottle: false,
    });
  });

  it('retries a dropped connection, then succeeds', async () => {
    const result = await run(sequence(drop, drop, ok), {});
    expect(result.response?.status).toBe(200);
    expect(result.requests).toBe(3);
  });

  it('throws the last transport error once retries are spent', async () => {
    const result = await run(drop, { max_retry_times: 2 });
    expect(result.requests).toBe(3);
    expect(result.error).toBeInstanceOf(OpenSearchError);
    expect(result.error?.status).toBe(500);
    expect(result.error?.reason).toMatch(/^Error communicating with remote model: UND_ERR_SOCKET other side closed/);
  });

  it('does not retry a transport error when retries are off', async () => {
    const result = await run(drop, { max_retry_times: 0 });
    expect(result.requests).toBe(1);
    expect(result.error?.status).toBe(500);
  });
});

describe('the retry deadline', () => {
  it('retries without limit until retry_timeout_seconds with max_retry_times -1', async () => {
    const result = await run(fail(503), { max_retry_times: -1, retry_timeout_seconds: 1, retry_backoff_millis: 200 });
    // Retries start at 200, 400, 600, 800 and 1000 ms; the next one would start after the deadline.
    expect(result.requests).toBe(6);
    expect(result.sleeps).toEqual([200, 200, 200, 200, 200]);
    expect(result.status).toBe(503);
  });

  it('stops a large max_retry_times at the deadline too', async () => {
    const result = await run(fail(503), { max_retry_times: 100, retry_timeout_seconds: 2, retry_backoff_millis: 500 });
    expect(result.requests).toBe(5);
  });

  it('counts time spent in attempts against the deadline', async () => {
    const clock = fakeClock(START);
    const slowFailure: Behaviour = (request, response, index) => {
      clock.advance(400); // each attempt "takes" 400 ms of fake time
      fail(503)(request, response, index);
    };
    const result = await run(slowFailure, { max_retry_times: -1, retry_timeout_seconds: 1, retry_backoff_millis: 100 }, clock);
    // 0–400 attempt, wait to 500, 500–900 attempt, wait to 1000, 1000–1400 attempt: past the deadline.
    expect(result.requests).toBe(3);
  });
});

describe('Retry-After', () => {
  it.each([
    ['Retry-After in seconds', { 'retry-after': '2' }, [2000]],
    ['Retry-After with a fraction', { 'retry-after': '1.5' }, [1500]],
    ['retry-after-ms', { 'retry-after-ms': '1234' }, [1234]],
    ['retry-after-ms before Retry-After', { 'retry-after-ms': '300', 'retry-after': '9' }, [300]],
    ['an HTTP date', { 'retry-after': new Date(START + 3000).toUTCString() }, [3000]],
    ['a date in the past, so the backoff applies', { 'retry-after': new Date(START - 60_000).toUTCString() }, [200]],
    ['a hint shorter than the backoff, so the backoff applies', { 'retry-after': '0' }, [200]],
    ['garbage, so the backoff applies', { 'retry-after': 'soon' }, [200]],
  ])('honours %s', async (_name, headers, sleeps) => {
    const result = await run(sequence(fail(429, headers), ok), {});
    expect(result.response?.status).toBe(200);
    expect(result.sleeps).toEqual(sleeps);
  });

  it('gives up at once, returning the 429, when the provider asks for more than the remaining budget', async () => {
    const result = await run(fail(429, { 'retry-after': '120' }), { retry_timeout_seconds: 30 });
    expect(result.requests).toBe(1);
    expect(result.sleeps).toEqual([]);
    expect(result.status).toBe(429);
  });

  it('uses a hint that fits the budget and stops at the next that does not', async () => {
    const result = await run(fail(503, { 'retry-after': '20' }), { retry_timeout_seconds: 30 });
    expect(result.sleeps).toEqual([20_000]);
    expect(result.requests).toBe(2);
  });
});

describe('backoff policies on the wire', () => {
  it.each([
    ['exponential_equal_jitter', () => 0, [100, 200, 400]],
    ['exponential_equal_jitter', () => 0.9999, [200, 400, 800]],
    ['exponential_full_jitter', () => 0, [1, 1, 1]],
    ['exponential_full_jitter', () => 0.9999, [200, 400, 800]],
    ['CONSTANT', () => 0.5, [200, 200, 200]],
  ])('%s waits as OpenSearch BackoffPolicy does', async (policy, random, sleeps) => {
    const result = await run(fail(503), { retry_backoff_policy: policy }, fakeClock(START), random);
    expect(result.sleeps).toEqual(sleeps);
  });
});

describe('cancellation', () => {
  it('stops retrying when the signal aborts during a wait', async () => {
    const controller = new AbortController();
    const clock = fakeClock(START);
    const abortingClock: FakeClock = { ...clock, sleep: async (ms, signal) => (controller.abort(), clock.sleep(ms, signal)) };
    listener = await startListener(fail(503));
    client = createHttpClient({ clock: abortingClock });
    const error = await client
      .send(post(`${listener.url}/v1`), loopbackPolicy({}, { signal: controller.signal }))
      .catch((caught: unknown) => caught as OpenSearchError);
    expect(error).toMatchObject({ status: 500, reason: 'Error communicating with remote model: the call was cancelled' });
    expect(listener.requests).toHaveLength(1);
  });

  it('cancels a call in flight without retrying it', async () => {
    listener = await startListener(hang);
    client = createHttpClient({ clock: fakeClock(START) });
    const error = await client.send(post(`${listener.url}/v1`), loopbackPolicy({}, { signal: AbortSignal.timeout(100) })).then(
      () => undefined,
      (caught: unknown) => caught as OpenSearchError,
    );
    expect(error?.reason).toBe('Error communicating with remote model: the call was cancelled');
    expect(listener.requests).toHaveLength(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    listener = await startListener(ok);
    client = createHttpClient({ clock: fakeClock(START) });
    const error = await client.send(post(`${listener.url}/v1`), loopbackPolicy({}, { signal: AbortSignal.abort() })).then(
      () => undefined,
      (caught: unknown) => caught as OpenSearchError,
    );
    expect(error?.reason).toBe('Error communicating with remote model: the call was cancelled');
    expect(listener.connections).toBe(0);
  });
});
