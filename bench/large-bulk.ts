/**
 * (e) One large `_bulk` through the proxy with a pipeline that makes no provider call (`set` and
 * `lowercase`), so the figure is the sidecar's own per-item work: parsing, resolving and grouping
 * items by pipeline, running the pipeline, rendering the bulk for the cluster and answering. Half
 * the items name the pipeline, half `_none`. The same bulk sent straight to the stand-in (all
 * `_none`) gives the cluster's share of the time.
 */
export interface LargeBulkResult {
  readonly items: number;
  readonly seconds: number;
  readonly clusterSeconds: number;
  readonly failed: number;
}

type Call = (method: string, path: string, body?: unknown) => Promise<Record<string, any>>;

export async function measureLargeBulk(options: { call: Call; clusterUrl: string; items: number }): Promise<LargeBulkResult> {
  const { call, items } = options;
  await call('PUT', '/_ingest/pipeline/bench-light', {
    processors: [{ set: { field: 'source', value: 'bench' } }, { lowercase: { field: 'title' } }],
  });
  const lines: string[] = [];
  for (let index = 0; index < items; index++) {
    const pipeline = index % 2 === 0 ? 'bench-light' : '_none';
    lines.push(`{"index":{"_id":"${index}","pipeline":"${pipeline}"}}`, `{"title":"Document ${index} TITLE","n":${index}}`);
  }
  const body = `${lines.join('\n')}\n`;

  let started = performance.now();
  const direct = await fetch(`${options.clusterUrl}/bench-large-bulk-direct/_bulk`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: body.replaceAll('"pipeline":"bench-light"', '"pipeline":"_none"'),
  });
  await direct.arrayBuffer();
  const clusterSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const result = await call('POST', '/bench-large-bulk/_bulk', body);
  const seconds = (performance.now() - started) / 1000;
  const failed = (result['items'] as Array<{ index: { status: number } }>).filter((item) => item.index.status >= 300).length;
  return { items, seconds, clusterSeconds, failed };
}
