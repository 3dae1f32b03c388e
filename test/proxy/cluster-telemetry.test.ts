/**
 * The sidecar's calls to the cluster in the metrics and the log: the proxy's rewritten requests,
 * the pass-through and the state store's client, with latency, status and outages; a call that got
 * no answer logs an error line, a 5xx a warning, and neither carries the query string.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterCallReport, ClusterClientName } from '../../src/cluster/cluster-call-events.js';
import { ClusterClient } from '../../src/cluster/cluster-client.js';
import { metricValue } from '../helpers/metrics-text.js';
import { ndjson, send, startProxySetup, type ProxySetup } from '../helpers/proxy-setup.js';

let setup: ProxySetup;
beforeAll(async () => {
  setup = await startProxySetup({ clusterTimeoutMs: 1_000 });
  await send(setup.test, 'PUT', '/_ingest/pipeline/embed', {
    processors: [{ text_embedding: { model_id: setup.embeddingModel, field_map: { text: 'v' } } }],
  });
});
afterAll(async () => setup.close());
afterEach(async () => setup.cluster.recover());

const metrics = async () => (await setup.test.app.request('/_sidecar/metrics')).text();
const logged = (event: string) =>
  setup.test.logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['event'] === event);

describe('cluster call telemetry', () => {
  it('should count passed-through and rewritten calls by client, method and status', async () => {
    const before = await metrics();
    expect((await send(setup.test, 'GET', '/nothing-here/_doc/1?routing=secret-routing')).status).toBe(404);
    expect((await send(setup.test, 'POST', '/_bulk?pipeline=embed', ndjson({ index: { _index: 'idx' } }, { text: 'x' }))).status).toBe(200);
    const after = await metrics();
    const delta = (labels: Record<string, string>) =>
      metricValue(after, 'sidecar_cluster_requests_total', labels) - metricValue(before, 'sidecar_cluster_requests_total', labels);

    expect(delta({ client: 'pass_through', method: 'GET', status: '404' })).toBe(1);
    expect(delta({ client: 'proxy', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(after, 'sidecar_cluster_request_duration_seconds_count', { client: 'pass_through' })).toBeGreaterThan(0);
    expect(logged('cluster_call_failed')).toEqual([]);
  });

  it('should count an unreachable cluster and log it with the path but no query', async () => {
    await setup.cluster.fail('down');
    expect((await send(setup.test, 'GET', '/idx/_doc/1?routing=secret-routing')).status).toBe(502);
    expect((await send(setup.test, 'POST', '/_bulk?pipeline=embed', ndjson({ index: { _index: 'idx' } }, { text: 'x' }))).status).toBe(502);
    const text = await metrics();
    expect(metricValue(text, 'sidecar_cluster_requests_total', { client: 'pass_through', status: 'unavailable' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'sidecar_cluster_requests_total', { client: 'proxy', status: 'unavailable' })).toBeGreaterThanOrEqual(1);
    const lines = logged('cluster_call_failed');
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', client: 'pass_through', method: 'GET', path: '/idx/_doc/1', failure: 'unavailable' }));
    expect(setup.test.logs.text).not.toContain('secret-routing');
  });

  it('should log a 5xx answer as a warning and a hanging cluster as a timeout', async () => {
    await setup.cluster.fail('5xx');
    expect((await send(setup.test, 'GET', '/idx/_doc/1')).status).toBe(503);
    expect(logged('cluster_error_status')).toContainEqual(expect.objectContaining({ level: 'warn', client: 'pass_through', status: 503 }));
    await setup.cluster.fail('hang');
    expect((await send(setup.test, 'GET', '/idx/_doc/1')).status).toBe(504);
    expect(metricValue(await metrics(), 'sidecar_cluster_requests_total', { client: 'pass_through', status: 'timeout' })).toBe(1);
    expect(logged('cluster_call_failed')).toContainEqual(expect.objectContaining({ failure: 'timeout' }));
  });

  it('should report the state store client under its own name', async () => {
    const calls: Array<[ClusterClientName, ClusterCallReport]> = [];
    const client = new ClusterClient(setup.cluster.url, { requestTimeoutMs: 1_000, name: 'state_store', events: { called: (name, call) => calls.push([name, call]) } });
    await client.call({ method: 'GET', path: '/.ml-sidecar-models/_doc/x', querystring: { preference: '_primary_first' } });
    await client.close();
    expect(calls).toEqual([['state_store', expect.objectContaining({ method: 'GET', path: '/.ml-sidecar-models/_doc/x', status: 404 })]]);
  });
});
