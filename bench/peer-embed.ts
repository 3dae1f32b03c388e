/**
 * The script a user would write instead of the sidecar: the official `openai` SDK (its built-in
 * retries honour `retry-after-ms` / `retry-after`) with p-limit, the same concurrency and batch
 * size, embedding the same texts. A batch that still fails after the retries counts its documents
 * as failed. Prints one JSON line.
 */
import OpenAI from 'openai';
import pLimit from 'p-limit';
import { benchTexts } from './texts.js';

const baseURL = `${process.env['PEER_EMULATOR_URL'] ?? 'http://127.0.0.1:9281'}/v1`;
const documents = Number(process.env['PEER_DOCUMENTS'] ?? 20_000);
const concurrency = Number(process.env['PEER_CONCURRENCY'] ?? 4);
const batchSize = Number(process.env['PEER_BATCH'] ?? 32);
const dimensions = Number(process.env['PEER_DIMENSIONS'] ?? 256);

const client = new OpenAI({ apiKey: 'test-key', baseURL, maxRetries: 3 });
const limit = pLimit(concurrency);
const texts = benchTexts(documents);
const batches: string[][] = [];
for (let start = 0; start < texts.length; start += batchSize) batches.push(texts.slice(start, start + batchSize));

const started = performance.now();
let embedded = 0;
let failed = 0;
await Promise.all(
  batches.map((batch) =>
    limit(async () => {
      try {
        const response = await client.embeddings.create({ model: 'text-embedding-3-small', input: batch, dimensions });
        embedded += response.data.length;
      } catch {
        failed += batch.length;
      }
    }),
  ),
);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ documents: embedded, failed, seconds, docs_per_s: embedded / seconds })}\n`);
