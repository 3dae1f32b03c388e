import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStatePrefix } from '../helpers/cluster-store.js';
import { freePort, startServerProcess } from '../helpers/server-process.js';
import { startOpenSearchStandIn, type StandIn } from '../support/opensearch-stand-in/index.js';

let cluster: StandIn;
beforeAll(async () => {
  cluster = await startOpenSearchStandIn();
});
afterAll(async () => {
  await cluster.close();
});

describe('a replica started while the cluster is down', () => {
  it('should be alive, answer 503 saying why, retry with backoff, and serve once the cluster is back', async () => {
    await cluster.fail('down');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const starting = startServerProcess({
      PORT: String(port),
      OPENSEARCH_URL: cluster.url,
      MASTER_KEY: Buffer.alloc(32, 6).toString('base64'),
      STATE_INDEX_PREFIX: freshStatePrefix(),
    });
    let waiting: { status: number; body: any } | undefined;
    for (let attempt = 0; attempt < 100 && waiting === undefined; attempt++) {
      const answer = await fetch(`${url}/_plugins/_ml/models/_search`).then(async (response) => ({ status: response.status, body: await response.json() }), () => undefined);
      waiting = answer;
      if (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(waiting?.status).toBe(503);
    expect(waiting?.body.error.reason).toMatch(/^The sidecar is not ready: /);
    // Alive (an orchestrator must not restart it for waiting), not ready (no traffic yet).
    const health = await fetch(`${url}/_sidecar/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'starting', mode: 'proxy', store: 'cluster' });
    const ready = await fetch(`${url}/_sidecar/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as any).error.reason).toMatch(/^The sidecar is not ready: /);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await cluster.recover();
    const replica = await starting;
    try {
      expect(replica.output()).toMatch(/retrying/);
      expect(replica.output()).not.toContain(Buffer.alloc(32, 6).toString('base64'));
      expect((await fetch(`${url}/_plugins/_ml/models/_search`)).status).toBe(200);
      expect((await fetch(`${url}/_sidecar/ready`)).status).toBe(200);
    } finally {
      await replica.stop();
    }
  });
});
