/**
 * (f) Throughput under a provider quota: the emulator enforces requests and tokens per minute on
 * the benchmark's key (OpenAI's headers and 429s) and answers in a latency that grows with the
 * batch. The same documents go through the sidecar's `text_embedding` ingest (batch sizes its
 * own) and through the peer script (the `openai` SDK with its retries, p-limit, fixed batches).
 * The quota is reset (full buckets) before each run.
 *
 * The bound is what a client that never wastes a token could do: the whole job's tokens (as the
 * emulator counts them) less one full bucket, at the token rate; or the same for requests with
 * OpenAI's largest batch (2,048 inputs), whichever is slower.
 */
import { ingestBulks } from './bulk-ingest.js';
import { runPeer } from './run-peer.js';
import { benchTexts } from './texts.js';

/** 1,000 requests and 1,000,000 tokens a minute, scaled (`BENCH_QUOTA_SCALE`, default ×3) so each run takes ~20 s. */
const SCALE = Number(process.env['BENCH_QUOTA_SCALE'] ?? 3);
/** The quota: a bucket of one second, as OpenAI may enforce a per-minute limit over shorter periods. */
export const QUOTA = { requestsPerMinute: 1000 * SCALE, tokensPerMinute: 1_000_000 * SCALE, burstSeconds: 1 } as const;
const LATENCY = { latencyMs: 50, perInputMs: 0.2 } as const;
const OPENAI_MAX_INPUTS = 2048;

type Call = (method: string, path: string, body?: unknown) => Promise<Record<string, any>>;

/** One side's figures. */
export interface QuotaRun {
  readonly documents: number;
  readonly failed: number;
  readonly seconds: number;
  readonly docsPerSecond: number;
  readonly throttled: number;
}

/** Both sides' figures and the bound. */
export interface QuotaResult {
  readonly sidecar: QuotaRun;
  readonly peer: QuotaRun;
  readonly boundDocsPerSecond: number;
}

/** Runs (f): the sidecar's ingest, then the peer, each against a fresh quota. */
export async function measureQuota(options: {
  call: Call;
  emulatorUrl: string;
  modelId: string;
  documents: number;
  connections: number;
  peerBatch: number;
  dimensions: number;
}): Promise<QuotaResult> {
  const { call, emulatorUrl, documents } = options;
  const texts = benchTexts(documents);
  await control(emulatorUrl, 'POST', 'latency', LATENCY);

  await call('PUT', '/_ingest/pipeline/bench-quota', {
    processors: [{ text_embedding: { model_id: options.modelId, field_map: { text: 'text_embedding' } } }],
  });
  await call('PUT', '/bench-quota', {
    settings: { index: { default_pipeline: 'bench-quota', knn: true } },
    mappings: { properties: { text_embedding: { type: 'knn_vector', dimension: options.dimensions } } },
  });
  await control(emulatorUrl, 'PUT', 'quota', QUOTA);
  await fetch(`${emulatorUrl}/_emulator/requests`, { method: 'DELETE' });
  const ingested = await ingestBulks(call, 'bench-quota', texts);
  const sidecar = {
    documents: ingested.indexed,
    failed: ingested.failed,
    seconds: ingested.seconds,
    docsPerSecond: ingested.indexed / ingested.seconds,
    throttled: await throttled(emulatorUrl),
  };

  await control(emulatorUrl, 'PUT', 'quota', QUOTA);
  const peerLine = await runPeer({ emulatorUrl, documents, concurrency: options.connections, batch: options.peerBatch, dimensions: options.dimensions });
  const peer = {
    documents: peerLine.documents ?? 0,
    failed: peerLine.failed ?? documents,
    seconds: peerLine.seconds ?? Number.NaN,
    docsPerSecond: (peerLine.documents ?? 0) / (peerLine.seconds ?? Number.NaN),
    throttled: await throttled(emulatorUrl),
  };
  await control(emulatorUrl, 'DELETE', 'quota');
  await control(emulatorUrl, 'POST', 'latency', { latencyMs: 0, perInputMs: 0 });
  return { sidecar, peer, boundDocsPerSecond: quotaBound(texts) };
}

/** The best any client could do: documents over the time the quota needs for their tokens (or requests). */
export function quotaBound(texts: readonly string[]): number {
  const tokens = texts.reduce((sum, text) => sum + text.length, 0) / 4;
  const tokenSeconds = (tokens - (QUOTA.tokensPerMinute * QUOTA.burstSeconds) / 60) / (QUOTA.tokensPerMinute / 60);
  const requests = Math.ceil(texts.length / OPENAI_MAX_INPUTS);
  const requestSeconds = (requests - (QUOTA.requestsPerMinute * QUOTA.burstSeconds) / 60) / (QUOTA.requestsPerMinute / 60);
  return texts.length / Math.max(tokenSeconds, requestSeconds, Number.MIN_VALUE);
}

async function throttled(emulatorUrl: string): Promise<number> {
  const answer = (await control(emulatorUrl, 'GET', 'quota')) as { stats: { throttled: number } | null };
  return answer.stats?.throttled ?? 0;
}

async function control(emulatorUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${emulatorUrl}/_emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`emulator ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}
