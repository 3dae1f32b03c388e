import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { send, startProxySetup, type ProxySetup } from '../helpers/proxy-setup.js';

let setup: ProxySetup;
beforeAll(async () => {
  setup = await startProxySetup();
  await send(setup.test, 'PUT', '/_ingest/pipeline/upper', { processors: [{ uppercase: { field: 'title' } }] });
  await send(setup.test, 'PUT', '/_ingest/pipeline/lower', { processors: [{ lowercase: { field: 'title' } }] });
  await send(setup.test, 'PUT', '/left', { settings: { index: { default_pipeline: 'upper' } } });
  await send(setup.test, 'PUT', '/right', {});
});
afterAll(async () => setup.close());

/** Item `n` goes to index left or right, through its default pipeline, `lower`, or none. */
function target(n: number): { index: string; pipeline: string | undefined } {
  const index = n % 2 === 0 ? 'left' : 'right';
  const pipeline = [undefined, 'lower', '_none'][n % 3];
  return { index, pipeline };
}

describe('a large _bulk through the proxy', () => {
  it('should resolve each distinct target once, and answer every item at its position', async () => {
    const items = 6_000;
    const lines: string[] = [];
    for (let n = 0; n < items; n++) {
      const { index, pipeline } = target(n);
      lines.push(JSON.stringify({ index: { _index: index, _id: String(n), ...(pipeline ? { pipeline } : {}) } }), JSON.stringify({ title: `Title ${n}` }));
    }
    const pipelineLookups = vi.spyOn(setup.test.services.ingestPipelines, 'has');
    try {
      const response = await send(setup.test, 'POST', '/_bulk', `${lines.join('\n')}\n`);
      expect(response.status).toBe(200);
      expect(response.body.errors).toBe(false);
      expect(response.body.items.map((item: any) => item.index._id)).toEqual(Array.from({ length: items }, (_, n) => String(n)));
      // Six (pipeline, index) pairs, of which `_none` needs no lookup; today's code looked up every item.
      expect(pipelineLookups.mock.calls.length).toBeLessThanOrEqual(6);
    } finally {
      pipelineLookups.mockRestore();
    }
    for (const n of [0, 1, 2, 3, 4, 5, 5_999]) {
      const { index, pipeline } = target(n);
      const expected = pipeline === 'lower' ? `title ${n}` : pipeline === undefined && index === 'left' ? `TITLE ${n}` : `Title ${n}`;
      expect(setup.cluster.indices.document(index, String(n))!['title'], `item ${n}`).toBe(expected);
    }
  });
});
