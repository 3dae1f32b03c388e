/** Header hygiene and redirects: refused before a byte is sent, or answered without following. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenSearchError } from '../../src/errors/opensearch-error.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';
import { answer, startListener, type TestListener } from './support/listener.js';
import { loopbackPolicy, post } from './support/policies.js';

let listener: TestListener;
let client: HttpClient;

beforeAll(async () => {
  listener = await startListener();
});
afterAll(() => listener.close());
afterEach(() => client?.close());

async function failure(headers: Record<string, string>): Promise<OpenSearchError> {
  client = createHttpClient();
  const before = listener.connections;
  const error = await client.send(post(`${listener.url}/v1`, headers), loopbackPolicy()).catch((caught: unknown) => caught);
  expect(listener.connections - before, 'nothing may reach the listener').toBe(0);
  expect(error).toBeInstanceOf(OpenSearchError);
  return error as OpenSearchError;
}

describe('header checks', () => {
  it.each([
    ['CR LF injection', { 'x-user': 'sk-secret-value\r\nX-Injected: 1' }],
    ['bare LF', { 'x-user': 'sk-secret-value\nX-Injected: 1' }],
    ['bare CR', { 'x-user': 'sk-secret-value\r' }],
    ['NUL', { 'x-user': 'sk-secret-value\u0000' }],
    ['escape', { 'x-user': 'sk-secret-value\u001b[31m' }],
    ['DEL', { 'x-user': 'sk-secret-value\u007f' }],
  ])('refuses %s in a value with a 400 that does not echo the value', async (_name, headers) => {
    const error = await failure(headers);
    expect(error.status).toBe(400);
    expect(error.type).toBe('illegal_argument_exception');
    expect(error.reason).toBe('Header value contains invalid control character');
    expect(JSON.stringify(error)).not.toContain('sk-secret-value');
    expect(error.reason).not.toContain('sk-test-secret');
  });

  it('allows a horizontal tab, which HTTP permits inside values', async () => {
    client = createHttpClient();
    const response = await client.send(post(`${listener.url}/v1`, { 'x-list': 'a,\tb' }), loopbackPolicy());
    expect(response.status).toBe(200);
    expect(listener.requests.at(-1)?.headers['x-list']).toBe('a,\tb');
  });

  it('refuses a header whose name and value exceed 8192 bytes', async () => {
    const error = await failure({ 'x-big': 'a'.repeat(8192 - 'x-big'.length + 1) });
    expect(error.reason).toBe('Header x-big is too large: 8193 bytes for name and value, the limit is 8192');
  });

  it('accepts a header of exactly 8192 bytes', async () => {
    client = createHttpClient();
    const response = await client.send(post(`${listener.url}/v1`, { 'x-big': 'a'.repeat(8192 - 'x-big'.length) }), loopbackPolicy());
    expect(response.status).toBe(200);
  });

  it('counts multi-byte characters as bytes', async () => {
    const error = await failure({ 'x-big': 'é'.repeat(4094) });
    expect(error.reason).toContain('Header x-big is too large: 8193 bytes');
  });

  it('refuses headers totalling more than 65536 bytes', async () => {
    const headers = Object.fromEntries(Array.from({ length: 9 }, (_, index) => [`x-h${index}`, 'v'.repeat(8000)]));
    const error = await failure(headers);
    expect(error.reason).toMatch(/^Request headers are too large: \d+ bytes in total, the limit is 65536$/);
  });

  it('refuses a header name that is not an HTTP token', async () => {
    const error = await failure({ 'x bad': 'v' });
    expect(error.reason).toBe('Header name is not a valid HTTP token');
  });

  it.each([
    ['transfer-encoding', 'chunked', 'Invalid outbound request: invalid transfer-encoding header'],
    ['upgrade', 'websocket', 'Invalid outbound request: invalid upgrade header'],
    ['expect', '100-continue', 'Invalid outbound request: expect header not supported'],
    ['content-length', 'abc', 'Invalid outbound request: invalid content-length header'],
  ])('answers a %s header the transport cannot send as a 400', async (name, value, message) => {
    const error = await failure({ [name]: value });
    expect(error.status).toBe(400);
    expect(error.reason).toBe(message);
  });
});

describe('redirects', () => {
  it.each([301, 302, 303, 307, 308])('turns a %i into a 502 and never contacts the Location target', async (status) => {
    const target = await startListener();
    const redirecting = await startListener(answer(status, '', { location: `${target.url}/elsewhere?token=sk-redirect-secret` }));
    client = createHttpClient();
    try {
      const error = await client.send(post(`${redirecting.url}/v1`), loopbackPolicy()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenSearchError);
      expect(error).toMatchObject({
        status: 502,
        type: 'status_exception',
        reason: `Remote service answered a redirect (${status}, Location: ${target.url}/elsewhere); connectors never follow redirects`,
      });
      expect((error as OpenSearchError).reason).not.toContain('sk-redirect-secret');
      expect(target.connections).toBe(0);
      expect(redirecting.requests).toHaveLength(1); // not retried either
    } finally {
      await Promise.all([target.close(), redirecting.close()]);
    }
  });

  it('says so when the redirect has no Location', async () => {
    const redirecting = await startListener(answer(304));
    client = createHttpClient();
    try {
      await expect(client.send(post(`${redirecting.url}/v1`), loopbackPolicy())).rejects.toThrow(
        'Remote service answered a redirect (304, no Location); connectors never follow redirects',
      );
    } finally {
      await redirecting.close();
    }
  });

  it('keeps the connection usable after a redirect', async () => {
    let calls = 0;
    const listenerWithRedirect = await startListener((request, response) => {
      calls++;
      if (calls === 1) answer(302, 'moved', { location: '/other' })(request, response, 0);
      else answer(200, '{"ok":true}')(request, response, 1);
    });
    client = createHttpClient();
    try {
      await expect(client.send(post(`${listenerWithRedirect.url}/v1`), loopbackPolicy())).rejects.toThrow('(302, Location: /other)');
      const response = await client.send(post(`${listenerWithRedirect.url}/v1`), loopbackPolicy());
      expect(response).toMatchObject({ status: 200, body: '{"ok":true}' });
    } finally {
      await listenerWithRedirect.close();
    }
  });
});
