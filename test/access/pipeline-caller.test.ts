/**
 * Pipelines predict as the caller of the request that runs them: `_simulate` on the sidecar, and
 * writes through the proxy with the identity delegated to the cluster's security plugin. A caller
 * who may not use the model gets ML Commons' predict denial per document, and the provider hears
 * nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { createAuthInfoFetcher } from '../../src/security/identity/auth-info-fetcher.js';
import { createClusterAuthenticator } from '../../src/security/identity/cluster-authenticator.js';
import { systemClock } from '../../src/util/clock.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { openAiEmbeddingConnector } from '../helpers/emulator-connectors.js';
import { listen } from '../helpers/listen.js';
import { buildTestApp } from '../helpers/test-app.js';
import { startOpenSearchStandIn, type StandIn } from '../support/opensearch-stand-in/index.js';

const USERS = [
  { name: 'alice', password: 'alice-password', backendRoles: ['ml-team'], roles: [] },
  { name: 'carol', password: 'carol-password', backendRoles: ['finance'], roles: [] },
  { name: 'root', password: 'root-password', backendRoles: [], roles: ['all_access'] },
];
type User = 'alice' | 'carol' | 'root';
const PREDICT_DENIED = "User Doesn't have privilege to perform this operation on this model";

let emulator: Emulator;
let cluster: StandIn;
let server: { url: string; close(): Promise<void> };

async function call(user: User, method: string, path: string, body?: unknown, contentType = 'application/json') {
  const password = USERS.find((candidate) => candidate.name === user)!.password;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, 'content-type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  emulator = await startEmulator();
  cluster = await startOpenSearchStandIn({ security: { users: USERS } });
  const authenticator = createClusterAuthenticator({ fetchAuthInfo: createAuthInfoFetcher({ opensearchUrl: cluster.url }), clock: systemClock });
  const test = await buildTestApp({ clusterUrl: cluster.url, authenticator });
  server = await listen(test);
  expect((await call('root', 'PUT', '/_cluster/settings', {
    persistent: { ...EMULATOR_SETTINGS.persistent, 'plugins.ml_commons.model_access_control_enabled': true },
  })).status).toBe(200);
  const connector = await call('alice', 'POST', '/_plugins/_ml/connectors/_create', openAiEmbeddingConnector(emulator.url));
  const group = await call('alice', 'POST', '/_plugins/_ml/model_groups/_register', { name: 'alices', access_mode: 'private' });
  const model = await call('alice', 'POST', '/_plugins/_ml/models/_register?deploy=true', {
    name: 'embedding', function_name: 'remote', model_group_id: group.body.model_group_id, connector_id: connector.body.connector_id,
  });
  expect(model.status, JSON.stringify(model.body)).toBe(200);
  const pipeline = await call('alice', 'PUT', '/_ingest/pipeline/embed', {
    processors: [{ text_embedding: { model_id: model.body.model_id, field_map: { text: 'text_embedding' } } }],
  });
  expect(pipeline.status, JSON.stringify(pipeline.body)).toBe(200);
});
afterAll(async () => {
  await server?.close();
  await cluster?.close();
  await emulator?.close();
});
beforeEach(() => emulator.clearRequests());

describe('pipelines predict as the requesting caller', () => {
  it('should deny the model to a caller outside its private group in _simulate, calling no provider', async () => {
    const simulated = await call('carol', 'POST', '/_ingest/pipeline/embed/_simulate', { docs: [{ _source: { text: 'hello' } }] });
    expect(simulated.status).toBe(200);
    expect(simulated.body.docs[0].error).toMatchObject({ reason: PREDICT_DENIED });
    expect(emulator.requests).toHaveLength(0);
    const allowed = await call('alice', 'POST', '/_ingest/pipeline/embed/_simulate', { docs: [{ _source: { text: 'hello' } }] });
    expect(allowed.body.docs[0].doc._source.text_embedding).toHaveLength(1536);
    expect(emulator.requests).toHaveLength(1);
  });

  it('should deny it on writes through the proxy (identity from the cluster), indexing nothing', async () => {
    const denied = await call('carol', 'PUT', '/articles/_doc/1?pipeline=embed', { text: 'hello' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.reason).toBe(PREDICT_DENIED);
    const bulk = await call('carol', 'POST', '/_bulk?pipeline=embed', `${JSON.stringify({ index: { _index: 'articles', _id: '2' } })}\n${JSON.stringify({ text: 'x' })}\n`, 'application/x-ndjson');
    expect(bulk.body.items[0].index).toMatchObject({ status: 403, error: { reason: PREDICT_DENIED } });
    expect(emulator.requests).toHaveLength(0);
    expect(cluster.indices.document('articles', '1')).toBeUndefined();
    expect(cluster.indices.document('articles', '2')).toBeUndefined();
    const allowed = await call('alice', 'PUT', '/articles/_doc/3?pipeline=embed&refresh=true', { text: 'hello' });
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(201);
    expect(cluster.indices.document('articles', '3')!['text_embedding']).toHaveLength(1536);
    expect((await call('root', 'PUT', '/articles/_doc/4?pipeline=embed', { text: 'admin' })).status).toBe(201);
  });
});
