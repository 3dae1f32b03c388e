import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyBudget } from '../../src/routes/body-budget.js';
import { chunkedUpload, postJson } from '../helpers/chunked-upload.js';
import { listen } from '../helpers/listen.js';
import { startProxySetup, type ProxySetup } from '../helpers/proxy-setup.js';
import { buildTestApp, errorReason } from '../helpers/test-app.js';

const KIB = 1024;
const SEARCH = '/_plugins/_ml/connectors/_search';
const searchBody = (fillBytes: number): string => `{"query": {"match_all": {}}, "size": 1, "_source": ["${'a'.repeat(fillBytes)}"]}`;

/**
 * Sends raw HTTP/1.1 requests one after the other on one keep-alive connection, each written whole
 * before its answer is read, and gives each answer's status line ('closed' when none came).
 */
async function statusesOnOneConnection(url: string, requests: readonly string[]): Promise<string[]> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (data: string) => (received += data));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const statuses: string[] = [];
  for (const request of requests) {
    received = '';
    socket.write(request);
    const answered = async (): Promise<void> => {
      for (;;) {
        const headerEnd = received.indexOf('\r\n\r\n');
        const length = /content-length: (\d+)/i.exec(received)?.[1];
        if (headerEnd !== -1 && length !== undefined && received.length >= headerEnd + 4 + Number(length)) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    await Promise.race([answered(), closed]);
    statuses.push(received === '' ? 'closed' : received.slice(0, received.indexOf('\r\n')));
  }
  socket.destroy();
  return statuses;
}

/** A chunked request whose body is written in full. */
const chunkedRequest = (path: string, body: string): string =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
  `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;

/** Resolves once `check` holds, polling (the server reads what a client sent a moment later). */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('request bodies on a listening server', () => {
  const budget = new BodyBudget(300 * KIB);
  let server: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    server = await listen(await buildTestApp({ maxBodyBytes: 256 * KIB, bodyBudget: budget }));
  });
  afterAll(async () => server.close());

  it('should answer 413 as soon as a chunked body passes MAX_BODY_BYTES, without waiting for its end', async () => {
    const upload = chunkedUpload(server.url + SEARCH, { prefix: '{"query": "', fillBytes: 50 * 1024 * KIB, suffix: '"}', chunkBytes: 16 * KIB });
    const answer = await upload.answer;
    expect(answer.status).toBe(413);
    expect(answer.body.error.type).toBe('content_too_long_exception');
    expect(errorReason(answer.body)).toBe(`Request body is larger than the limit of ${256 * KIB} bytes (MAX_BODY_BYTES)`);
    // The answer came while the client still had most of its 50 MiB to send.
    expect(answer.sentBeforeAnswer).toBeLessThan(8 * 1024 * KIB);
    await until(() => budget.usedBytes === 0);
  });

  it('should keep serving the connection after refusing a body, as a keep-alive client expects', async () => {
    const statuses = await statusesOnOneConnection(server.url, [
      chunkedRequest(SEARCH, searchBody(1024 * KIB)),
      chunkedRequest(SEARCH, searchBody(10)),
    ]);
    expect(statuses).toEqual(['HTTP/1.1 413 Payload Too Large', 'HTTP/1.1 200 OK']);
  });

  it('should refuse with a 429 what the budget of all requests cannot hold, and serve it once that is free', async () => {
    let finishFirst!: () => void;
    const first = chunkedUpload(server.url + SEARCH, {
      prefix: '{"query": {"match_all": {}}, "_source": ["',
      fillBytes: 200 * KIB,
      suffix: '"]}',
      beforeEnd: new Promise<void>((resolve) => (finishFirst = resolve)),
    });
    await until(() => budget.usedBytes >= 200 * KIB);
    const second = chunkedUpload(server.url + SEARCH, { prefix: '{"query": "', fillBytes: 240 * KIB, suffix: '"}' });
    const declared = await postJson(server.url + SEARCH, searchBody(240 * KIB));
    for (const refused of [(await second.answer), declared]) {
      expect(refused.status).toBe(429);
      expect(refused.body.error).toMatchObject({ type: 'circuit_breaking_exception', bytes_limit: 300 * KIB, durability: 'TRANSIENT' });
      expect(errorReason(refused.body)).toMatch(
        /^\[in_flight_requests\] Data too large, data for \[<http_request>\] would be \[\d+\/[\d.]+kb\], which is larger than the limit of \[307200\/300kb\] \(MAX_BUFFERED_BODY_BYTES\)$/,
      );
    }
    expect(declared.headers.get('retry-after')).toBe('1');
    expect(budget.usedBytes).toBeGreaterThanOrEqual(200 * KIB);
    finishFirst();
    expect((await first.answer).status).toBe(200);
    await until(() => budget.usedBytes === 0);
    expect((await postJson(server.url + SEARCH, searchBody(240 * KIB))).status).toBe(200);
    expect(budget.usedBytes).toBe(0);
  });
});

describe('request bodies through the proxy', () => {
  const budget = new BodyBudget(64 * KIB);
  let setup: ProxySetup;
  let server: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    setup = await startProxySetup({ maxBodyBytes: 64 * KIB, bodyBudget: budget });
    server = await listen(setup.test);
  });
  afterAll(async () => {
    await server.close();
    await setup.close();
  });

  it.each([
    ['/_bulk', `${JSON.stringify({ index: { _index: 'big' } })}\n{"text": "`, '"}\n'],
    ['/big/_msearch', '{}\n{"query": {"match": {"text": "', '"}}}\n'],
    ['/big/_search', '{"query": {"match": {"text": "', '"}}}'],
    ['/big/_doc/1', '{"text": "', '"}'],
  ])('should stop reading a chunked %s at MAX_BODY_BYTES and send nothing on', async (path, prefix, suffix) => {
    const before = setup.cluster.requests.length;
    const answer = await chunkedUpload(server.url + path, { method: path.endsWith('_doc/1') ? 'PUT' : 'POST', prefix, fillBytes: 1024 * KIB, suffix }).answer;
    expect(answer.status).toBe(413);
    expect(setup.cluster.requests.slice(before)).toEqual([]);
  });

  it('should stream a pass-through body to the cluster unbuffered, past both limits', async () => {
    const ids = Array.from({ length: 20_000 }, (_, index) => `document-${index}`);
    const text = JSON.stringify({ ids });
    expect(text.length).toBeGreaterThan(4 * 64 * KIB);
    const upload = chunkedUpload(server.url + '/big/_mget', { prefix: text.slice(0, -1), fillBytes: 0, suffix: '}' });
    const answer = await upload.answer;
    expect(answer.status).toBe(200);
    expect(answer.body.docs).toHaveLength(ids.length);
    expect(setup.cluster.requests.at(-1)).toMatchObject({ method: 'POST', path: '/big/_mget' });
    expect(setup.cluster.requests.at(-1)!.body).toBe(text);
    expect(budget.usedBytes).toBe(0);
  });
});
