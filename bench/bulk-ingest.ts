/** Bulk ingest for the benchmark: documents `{ text }` sent as `_bulk` requests of 500, four at a time. */

type Call = (method: string, path: string, body?: unknown) => Promise<Record<string, any>>;

export const BULK_SIZE = 500;
export const BULK_CONCURRENCY = Number(process.env['BENCH_BULK_CONCURRENCY'] ?? 4);

/** Documents indexed and failed, and the seconds it took. */
export interface IngestResult {
  readonly indexed: number;
  readonly failed: number;
  readonly seconds: number;
}

/** Indexes `texts` into `index` (whose default pipeline does the work) through the sidecar. */
export async function ingestBulks(call: Call, index: string, texts: readonly string[]): Promise<IngestResult> {
  const bulks: string[] = [];
  for (let start = 0; start < texts.length; start += BULK_SIZE) {
    bulks.push(texts.slice(start, start + BULK_SIZE).map((text, offset) => `{"index":{"_id":"${start + offset}"}}\n${JSON.stringify({ text })}\n`).join(''));
  }
  let indexed = 0;
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: BULK_CONCURRENCY }, async () => {
      while (next < bulks.length) {
        const result = await call('POST', `/${index}/_bulk`, bulks[next++]!);
        for (const item of result['items'] as Array<{ index: { status: number } }>) {
          if (item.index.status < 300) indexed++;
          else failed++;
        }
      }
    }),
  );
  return { indexed, failed, seconds: (performance.now() - started) / 1000 };
}
