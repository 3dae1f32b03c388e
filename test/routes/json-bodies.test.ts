import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiChatEmulatorConnector } from '../helpers/emulator-connectors.js';
import { send, startProxySetup, type ProxySetup } from '../helpers/proxy-setup.js';
import { buildTestApp, errorReason } from '../helpers/test-app.js';

/** Exactly `levels` nested objects. */
const objects = (levels: number): string => '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);
const TOO_DEEP = objects(10_000);
const NESTING_REASON = 'Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)';

function expectNestingRefused(response: { status: number; body: any }): void {
  expect(response.status).toBe(400);
  expect(response.body.error.type).toBe('stream_constraints_exception');
  expect(errorReason(response.body)).toBe(NESTING_REASON);
}

/** `text` with its `\xNN` escapes sent as the bytes they name (Latin-1), everything else as UTF-8. */
const withRawBytes = (text: string): Buffer =>
  Buffer.concat(text.split(/(\\x[0-9a-f]{2})/).map((part) => (part.startsWith('\\x') ? Buffer.from([parseInt(part.slice(2), 16)]) : Buffer.from(part, 'utf8'))));
const sendRaw = async (app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }, method: string, path: string, body: Buffer) => {
  const response = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, body: (await response.json()) as any };
};
const expectRefused = (response: { status: number; body: any }, line: number, column: number, problem: string): void => {
  expect(response.status).toBe(400);
  expect(response.body.error.type).toBe('json_parse_exception');
  expect(errorReason(response.body)).toBe(`Failed to parse request body at line ${line}, column ${column}: ${problem}`);
};

describe('request bodies nested too deep', () => {
  it.each([
    ['PUT', '/_cluster/settings', `{"persistent": ${TOO_DEEP}}`],
    ['POST', '/_plugins/_ml/connectors/_create', `{"name": "x", "parameters": ${TOO_DEEP}}`],
    ['PUT', '/_plugins/_ml/connectors/abc', `{"parameters": ${TOO_DEEP}}`],
    ['POST', '/_plugins/_ml/connectors/_search', `{"query": ${TOO_DEEP}}`],
    ['POST', '/_plugins/_ml/model_groups/_register', `{"name": ${TOO_DEEP}}`],
    ['PUT', '/_plugins/_ml/model_groups/abc', `{"name": ${TOO_DEEP}}`],
    ['POST', '/_plugins/_ml/models/_register', `{"name": "x", "function_name": "remote", "connector": ${TOO_DEEP}}`],
    ['PUT', '/_plugins/_ml/models/abc', `{"description": ${TOO_DEEP}}`],
    ['POST', '/_plugins/_ml/models/abc/_predict', `{"parameters": ${TOO_DEEP}}`],
    ['POST', '/_plugins/_ml/tasks/_search', `{"query": ${TOO_DEEP}}`],
    ['PUT', '/_ingest/pipeline/p', `{"processors": [${TOO_DEEP}]}`],
    ['POST', '/_ingest/pipeline/_simulate', `{"pipeline": {"processors": []}, "docs": [{"_source": ${TOO_DEEP}}]}`],
    ['PUT', '/_search/pipeline/p', `{"request_processors": [${TOO_DEEP}]}`],
    ['POST', '/_search/pipeline/_simulate', `{"search_request": ${TOO_DEEP}}`],
  ])('should answer %s %s with a 400, not a 500', async (method, path, body) => {
    const { call } = await buildTestApp();
    expectNestingRefused(await call(method, path, body));
  });

  it('should accept 1,000 levels and serve the stored record back', async () => {
    const { call } = await buildTestApp();
    // Level 1 is the body, level 2 `parameters`, so `deep` adds 998.
    const connector = JSON.stringify(openAiChatEmulatorConnector('https://api.openai.com')).replace('"parameters":{', `"parameters":{"deep":${objects(998)},`);
    const created = await call('POST', '/_plugins/_ml/connectors/_create', connector);
    expect(created.status).toBe(200);
    const id = created.body.connector_id as string;
    expect((await call('PUT', `/_plugins/_ml/connectors/${id}`, `{"parameters": {"deep": ${objects(998)}}}`)).status).toBe(200);
    const stored = await call('GET', `/_plugins/_ml/connectors/${id}`);
    expect(stored.status).toBe(200);
    expect(JSON.parse(stored.body.parameters.deep)).toEqual(JSON.parse(objects(998)));
    const searched = await call('POST', '/_plugins/_ml/connectors/_search', { query: { match_all: {} } });
    expect(searched.body.hits.hits).toHaveLength(1);
    expect((await call('PUT', '/_cluster/settings', `{"persistent": {"plugins": {"ml_commons": ${objects(997)}}}}`)).status).toBeLessThan(500);
    const simulated = await call('POST', '/_ingest/pipeline/_simulate', `{"pipeline": {"processors": [{"set": {"field": "x", "value": 1}}]}, "docs": [{"_source": ${objects(997)}}]}`);
    expect(simulated.status).toBe(200);
    expect(simulated.body.docs[0].doc._source.x).toBe(1);
  });
});

describe('malformed request bodies', () => {
  const SECRET = 'sk-proj-Zq81x';
  it.each([
    ['a stray word after the key', `{"name": "c", "credential": {"openAI_key": "${SECRET}" x}}`, 'at line 1, column 60: unexpected character'],
    ['an unquoted key', `{"name": "c", "credential": {"openAI_key": ${SECRET}}}`, 'at line 1, column 44: unrecognized token'],
    ['a key cut short', `{\n"credential": {\n"openAI_key": "${SECRET}`, 'at line 3, column 29: unexpected end of input in a string'],
  ])('should say where %s is without quoting the body, which can carry a credential', async (_case, body, where) => {
    const { call, logs } = await buildTestApp();
    const response = await call('POST', '/_plugins/_ml/connectors/_create', body);
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('json_parse_exception');
    expect(errorReason(response.body)).toContain(`Failed to parse request body ${where}`);
    expect(JSON.stringify(response.body)).not.toContain('Zq81x');
    expect(logs.text).not.toContain('Zq81x');
  });
});

describe('request bodies through the proxy', () => {
  let setup: ProxySetup;
  beforeAll(async () => {
    setup = await startProxySetup();
    await send(setup.test, 'PUT', '/_ingest/pipeline/embed', {
      processors: [{ text_embedding: { model_id: setup.embeddingModel, field_map: { text: 'v' } } }],
    });
  });
  afterAll(async () => setup.close());

  it.each([
    ['POST', '/_bulk', `{"index": {"_index": "idx"}}\n${TOO_DEEP}\n`],
    ['POST', '/idx/_bulk?pipeline=embed', `{"index": {}}\n${TOO_DEEP}\n`],
    ['POST', '/_bulk', `${TOO_DEEP}\n{"a": 1}\n`],
    ['POST', '/idx/_msearch', `{}\n{"query": ${TOO_DEEP}}\n`],
    ['POST', '/idx/_search', `{"query": ${TOO_DEEP}}`],
    ['PUT', '/idx/_doc/1?pipeline=embed', TOO_DEEP],
    ['PUT', '/_cluster/settings', `{"persistent": ${TOO_DEEP}}`],
  ])('should answer %s %s nested too deep with a 400 and send nothing to the cluster', async (method, path, body) => {
    const before = setup.cluster.requests.length;
    expectNestingRefused(await send(setup.test, method, path, body));
    expect(setup.cluster.requests.slice(before).map((request) => request.path)).toEqual([]);
  });

  it.each([
    ['POST', '/_bulk', '{"index": {"_index": "idx", "_id": "1"}}\n{"text": "caf\\xe9"}\n', 2, 14, 'Invalid UTF-8 middle byte 0x22'],
    ['POST', '/idx/_bulk?pipeline=embed', '{"index": {}}\n{"text": "\\xff"}\n', 2, 11, 'Invalid UTF-8 start byte 0xff'],
    ['POST', '/idx/_msearch', '{}\n{"query": {"match": {"text": "\\xfe"}}}\n', 2, 31, 'Invalid UTF-8 start byte 0xfe'],
    ['POST', '/idx/_search', '{"query": {"match": {"text": "\\xc0\\xaf"}}}', 1, 31, 'Invalid UTF-8 start byte 0xc0'],
    ['PUT', '/idx/_doc/1', '{"text": "\\xe2\\x82"}', 1, 11, 'Invalid UTF-8 middle byte 0x22'],
    ['PUT', '/idx/_doc/1?pipeline=embed', '{"text": "\\xf4\\x90\\x80\\x80"}', 1, 11, 'Invalid UTF-8 middle byte 0x90'],
    ['PUT', '/_cluster/settings', '{"persistent": {"cluster.routing.\\xff": "all"}}', 1, 34, 'Invalid UTF-8 start byte 0xff'],
  ])('should refuse %s %s when it is not UTF-8, before the cluster sees it', async (method, path, body, line, column, problem) => {
    const before = setup.cluster.requests.length;
    expectRefused(await sendRaw(setup.test.app, method, path, withRawBytes(body)), line, column, problem);
    expect(setup.cluster.requests.slice(before)).toEqual([]);
  });

  it('should number bulk lines as the body does', async () => {
    const response = await send(setup.test, 'POST', '/_bulk', '{"index": {"_index": "idx"}}\n{"a": 1}\n{"index": {"_index": "idx"}}\n{"a": x}\n');
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toMatch(/^Failed to parse request body at line 4, column 7: unrecognized token/);
  });
});

describe('request bodies that are not UTF-8', () => {
  it.each([
    ['POST', '/_plugins/_ml/connectors/_create', '{"name": "caf\\xe9", "protocol": "http"}', 1, 14, 'Invalid UTF-8 middle byte 0x22'],
    ['PUT', '/_cluster/settings', '{"persistent": {"plugins.ml_commons.\\xff": true}}', 1, 37, 'Invalid UTF-8 start byte 0xff'],
    ['PUT', '/_ingest/pipeline/p', '{"description": "\\xc3\\x28", "processors": []}', 1, 18, 'Invalid UTF-8 middle byte 0x28'],
    ['POST', '/_ingest/pipeline/_simulate', '{"pipeline": {"processors": []},\n"docs": [{"_source": {"t": "\\x80"}}]}', 2, 29, 'Invalid UTF-8 start byte 0x80'],
    ['POST', '/_plugins/_ml/models/abc/_predict', '{"parameters": {"input": "\\xed\\xa0\\x80"}}', 1, 27, 'Invalid UTF-8 middle byte 0xa0'],
  ])('should refuse %s %s with a 400 and store nothing', async (method, path, body, line, column, problem) => {
    const test = await buildTestApp();
    expectRefused(await sendRaw(test.app, method, path, withRawBytes(body)), line, column, problem);
    expect((await test.call('POST', '/_plugins/_ml/connectors/_search', { query: { match_all: {} } })).body.hits.total.value).toBe(0);
    expect((await test.call('GET', '/_cluster/settings?flat_settings=true')).body.persistent).toEqual({});
    expect((await test.call('GET', '/_ingest/pipeline')).body).toEqual({});
  });
});
