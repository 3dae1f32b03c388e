/**
 * `npm run bench`: the provider emulator, the sidecar (in front of the OpenSearch stand-in), a bare
 * pass-through proxy and the peer script each run in their own process; this driver measures
 * (a) predict overhead (on the embedded store, and on the cluster store: a second sidecar keeping
 * its state in the stand-in, its state round trips counted), (b) bulk ingest through a
 * text_embedding pipeline, (c) the peer script, (d) the sidecar's peak RSS, (e) one large bulk
 * through a pipeline without provider calls, (f) ingest and the peer against a provider quota,
 * prints a table and, last, one JSON line. `BENCH_PARTS` (e.g. `a,f`) runs only some parts;
 * `BENCH_CPU_PROFILE_DIR` profiles the sidecar.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { BULK_CONCURRENCY, BULK_SIZE, ingestBulks, type IngestResult } from './bulk-ingest.js';
import { freePort, SIDECAR_READY_PATH, startChild, type Child } from './child-process.js';
import { measureLargeBulk } from './large-bulk.js';
import { measureLoad, type LoadResult } from './load.js';
import { measureQuota, QUOTA, type QuotaResult } from './quota.js';
import { runPeer } from './run-peer.js';
import { benchTexts } from './texts.js';

const LATENCY_MS = Number(process.env['BENCH_LATENCY_MS'] ?? 50);
const DOCUMENTS = Number(process.env['BENCH_DOCUMENTS'] ?? 20_000);
const CONNECTIONS = 4;
const BATCH = 32;
const DIMENSIONS = 256;
const PREDICT_REQUESTS = Number(process.env['BENCH_PREDICT_REQUESTS'] ?? 2_000);
const LARGE_BULK_ITEMS = Number(process.env['BENCH_LARGE_BULK_ITEMS'] ?? 40_000);
const PARTS = new Set((process.env['BENCH_PARTS'] ?? 'a,b,c,e,f').split(','));
/** `BENCH_CPU_PROFILE_DIR`: the embedded-store sidecar writes a `node --cpu-prof` profile there when it stops. */
const CPU_PROFILE_DIR = process.env['BENCH_CPU_PROFILE_DIR'];
/**
 * The sidecar as `npm start` runs it: compiled by tsc (`npm run bench` builds it first when stale).
 * Under tsx, esbuild's name-keeping wrapper runs for every closure made: CPU a deployed sidecar does not spend.
 */
const SIDECAR_SCRIPT = 'dist/main.js';
/** The cluster-store sidecar's key (a benchmark value, like the emulator's test key). */
const BENCH_MASTER_KEY = Buffer.alloc(32, 42).toString('base64');

const children: Child[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'ml-sidecar-bench-'));

async function main(): Promise<void> {
  const [emulatorPort, standInPort, statsPort, sidecarPort, clusterSidecarPort, bareProxyPort] = (await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  )) as [number, number, number, number, number, number];
  const emulator = await start('fixtures/emulator/main.ts', { EMULATOR_PORT: String(emulatorPort), EMULATOR_LATENCY_MS: '0' }, emulatorPort, '/_emulator/health');
  const standIn = await start('bench/stand-in-main.ts', { STAND_IN_PORT: String(standInPort), STAND_IN_STATS_PORT: String(statsPort) }, standInPort);
  const sidecar = await start(
    SIDECAR_SCRIPT,
    { PORT: String(sidecarPort), DATA_DIR: dataDir, OPENSEARCH_URL: standIn.url, STATE_STORE: 'sqlite', LOG_LEVEL: 'warn' },
    sidecarPort,
    SIDECAR_READY_PATH,
    CPU_PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`],
  );
  const clusterSidecar = await start(
    SIDECAR_SCRIPT,
    { PORT: String(clusterSidecarPort), OPENSEARCH_URL: standIn.url, STATE_STORE: 'cluster', MASTER_KEY: BENCH_MASTER_KEY, LOG_LEVEL: 'warn' },
    clusterSidecarPort,
    SIDECAR_READY_PATH,
  );
  const bareProxy = await start('bench/bare-proxy.ts', { BARE_PROXY_PORT: String(bareProxyPort), BARE_PROXY_TARGET: emulator.url }, bareProxyPort);
  const stateRequests = async () =>
    ((await (await fetch(`http://127.0.0.1:${statsPort}/?contains=.ml-sidecar-`)).json()) as { requests: number }).requests;

  const call = caller(sidecar.url);
  const modelId = await registerBenchModel(call, emulator.url, { batch_max_inputs: BATCH, batch_linger_ms: 2 });
  // Every predict its own provider call, on as many connections as the bare proxy uses at
  // concurrency 64: what the sidecar costs when neither coalescing nor fewer sockets can help.
  const uncoalescedModelId = await registerBenchModel(call, emulator.url, { batch_linger_ms: 0, max_connection: 64 });
  const quotaModelId = await registerBenchModel(call, emulator.url, {});
  const clusterModelId = await registerBenchModel(caller(clusterSidecar.url), emulator.url, { batch_max_inputs: BATCH, batch_linger_ms: 2 });

  // (a) predict overhead, provider latency 0; the cluster-store sidecar's state round trips counted.
  const predictBody = JSON.stringify({ text_docs: ['what is the meaning of life'] });
  const directBody = JSON.stringify({ input: ['what is the meaning of life'], model: 'text-embedding-3-small', dimensions: DIMENSIONS });
  const overhead: Record<string, Record<number, LoadResult>> = { direct: {}, bare_proxy: {}, sidecar: {}, sidecar_uncoalesced: {}, sidecar_cluster_store: {} };
  let clusterStoreRequests = 0;
  let clusterStorePredicts = 0;
  for (const concurrency of PARTS.has('a') ? [1, 64] : []) {
    const requests = concurrency === 1 ? PREDICT_REQUESTS : PREDICT_REQUESTS * 4;
    const headers = { authorization: 'Bearer test-key' };
    overhead['direct']![concurrency] = await measureLoad({ url: emulator.url, path: '/v1/embeddings', body: directBody, concurrency, requests, headers });
    overhead['bare_proxy']![concurrency] = await withCpu(bareProxy, () => measureLoad({ url: bareProxy.url, path: '/v1/embeddings', body: directBody, concurrency, requests, headers }));
    overhead['sidecar']![concurrency] = await withCpu(sidecar, () => measureLoad({
      url: sidecar.url, path: `/_plugins/_ml/_predict/text_embedding/${modelId}`, body: predictBody, concurrency, requests,
    }));
    overhead['sidecar_uncoalesced']![concurrency] = await withCpu(sidecar, () => measureLoad({
      url: sidecar.url, path: `/_plugins/_ml/_predict/text_embedding/${uncoalescedModelId}`, body: predictBody, concurrency, requests,
    }));
    const before = await stateRequests();
    overhead['sidecar_cluster_store']![concurrency] = await measureLoad({
      url: clusterSidecar.url, path: `/_plugins/_ml/_predict/text_embedding/${clusterModelId}`, body: predictBody, concurrency, requests,
    });
    clusterStoreRequests += (await stateRequests()) - before;
    clusterStorePredicts += requests;
  }
  // The rest measures the embedded-store sidecar alone.
  await clusterSidecar.stop();

  // (f) ingest and the peer against a provider quota; first after (a), so the stand-in's indices
  // are still small and the provider's quota, not the cluster, bounds the run.
  const quota: QuotaResult | undefined = PARTS.has('f')
    ? await measureQuota({ call, emulatorUrl: emulator.url, modelId: quotaModelId, documents: DOCUMENTS, connections: CONNECTIONS, peerBatch: BATCH, dimensions: DIMENSIONS })
    : undefined;

  // (b) bulk ingest through a text_embedding pipeline into the stand-in, provider latency 50 ms.
  const texts = benchTexts(DOCUMENTS);
  let ingest: IngestResult = { indexed: 0, failed: 0, seconds: Number.NaN };
  if (PARTS.has('b')) {
    await fetch(`${emulator.url}/_emulator/latency`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: LATENCY_MS }) });
    await call('PUT', '/_ingest/pipeline/bench-embed', {
      processors: [{ text_embedding: { model_id: modelId, field_map: { text: 'text_embedding' }, batch_size: BATCH } }],
    });
    await call('PUT', '/bench-corpus', {
      settings: { index: { default_pipeline: 'bench-embed', knn: true } },
      mappings: { properties: { text_embedding: { type: 'knn_vector', dimension: DIMENSIONS } } },
    });
    ingest = await ingestBulks(call, 'bench-corpus', texts);
  }
  const ingestDocsPerSecond = ingest.indexed / ingest.seconds;
  const bound = (CONNECTIONS * BATCH) / (LATENCY_MS / 1000);

  // (c) the peer script, same emulator latency, connections and batch size.
  let peerDocsPerSecond = Number.NaN;
  if (PARTS.has('c')) {
    const peer = await runPeer({ emulatorUrl: emulator.url, documents: DOCUMENTS, concurrency: CONNECTIONS, batch: BATCH, dimensions: DIMENSIONS });
    peerDocsPerSecond = peer.docs_per_s ?? Number.NaN;
  }

  // (e) one large bulk, no provider calls; before (d) so its memory counts too.
  const largeBulk = PARTS.has('e')
    ? await measureLargeBulk({ call, clusterUrl: standIn.url, items: LARGE_BULK_ITEMS })
    : { items: 0, seconds: Number.NaN, clusterSeconds: Number.NaN, failed: 0 };

  // (d) the sidecar's peak RSS.
  const peakRss = sidecar.peakRssMb();

  const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
  const c1 = (name: string) => overhead[name]![1] ?? NO_LOAD;
  const c64 = (name: string) => overhead[name]![64] ?? NO_LOAD;
  const summary = {
    ingest_docs_per_s: round(ingestDocsPerSecond, 1),
    ingest_bound_docs_per_s: round(bound, 1),
    ingest_ratio_to_bound: round(ingestDocsPerSecond / bound, 3),
    peer_docs_per_s: round(peerDocsPerSecond, 1),
    ratio_to_peer: round(ingestDocsPerSecond / peerDocsPerSecond, 3),
    added_p50_ms_c1: round(c1('sidecar').p50Ms - c1('direct').p50Ms, 3),
    bare_proxy_added_p50_ms_c1: round(c1('bare_proxy').p50Ms - c1('direct').p50Ms, 3),
    throughput_c64: round(c64('sidecar').requestsPerSecond, 1),
    bare_proxy_throughput_c64: round(c64('bare_proxy').requestsPerSecond, 1),
    ratio_to_bare_proxy_c64: round(c64('sidecar').requestsPerSecond / c64('bare_proxy').requestsPerSecond, 3),
    uncoalesced_throughput_c64: round(c64('sidecar_uncoalesced').requestsPerSecond, 1),
    uncoalesced_ratio_to_bare_proxy_c64: round(c64('sidecar_uncoalesced').requestsPerSecond / c64('bare_proxy').requestsPerSecond, 3),
    uncoalesced_cpu_ms_per_request_c64: round(c64('sidecar_uncoalesced').cpuMsPerRequest ?? Number.NaN, 3),
    bare_proxy_cpu_ms_per_request_c64: round(c64('bare_proxy').cpuMsPerRequest ?? Number.NaN, 3),
    cluster_store_added_p50_ms_c1: round(c1('sidecar_cluster_store').p50Ms - c1('direct').p50Ms, 3),
    cluster_store_throughput_c64: round(c64('sidecar_cluster_store').requestsPerSecond, 1),
    cluster_store_state_requests_per_predict: round(clusterStoreRequests / clusterStorePredicts, 4),
    large_bulk_s: round(largeBulk.seconds, 3),
    large_bulk_cluster_s: round(largeBulk.clusterSeconds, 3),
    quota_docs_per_s: round(quota?.sidecar.docsPerSecond ?? Number.NaN, 1),
    quota_bound_docs_per_s: round(quota?.boundDocsPerSecond ?? Number.NaN, 1),
    quota_ratio: round((quota?.sidecar.docsPerSecond ?? Number.NaN) / (quota?.boundDocsPerSecond ?? Number.NaN), 3),
    quota_429s: quota?.sidecar.throttled ?? null,
    quota_failed: quota?.sidecar.failed ?? null,
    peer_quota_docs_per_s: round(quota?.peer.docsPerSecond ?? Number.NaN, 1),
    peer_quota_429s: quota?.peer.throttled ?? null,
    peer_quota_failed: quota?.peer.failed ?? null,
    peak_rss_mb: peakRss,
  };

  const lines = [
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`,
    '',
    '(a) predict overhead, provider latency 0 ms (sidecar_uncoalesced: every predict its own provider call, max_connection 64)',
    '| path | c | p50 ms | p99 ms | req/s | errors | proxy CPU ms/request |',
    '|---|---|---|---|---|---|---|',
    ...Object.keys(overhead).flatMap((name) =>
      Object.entries(overhead[name]!).map(([concurrency, result]) =>
        `| ${name} | ${concurrency} | ${round(result.p50Ms, 3)} | ${round(result.p99Ms, 3)} | ${round(result.requestsPerSecond, 1)} | ${result.errors} | ${result.cpuMsPerRequest === undefined ? '' : round(result.cpuMsPerRequest, 3)} |`,
      ),
    ),
    `   sidecar_cluster_store keeps its state in the stand-in: ${clusterStoreRequests} requests reached the state indices during its ${clusterStorePredicts} predicts (generation polls and heartbeats included), ${summary.cluster_store_state_requests_per_predict} per predict`,
    '',
    `(b) ingest: ${DOCUMENTS} documents, ${DOCUMENTS / BULK_SIZE} bulks of ${BULK_SIZE} (${BULK_CONCURRENCY} at a time) through text_embedding, latency ${LATENCY_MS} ms, C=${CONNECTIONS}, B=${BATCH}, ${DIMENSIONS} dimensions`,
    `   indexed ${ingest.indexed}, failed ${ingest.failed}, ${round(ingest.seconds, 2)} s → ${summary.ingest_docs_per_s} docs/s; bound C·B/latency = ${summary.ingest_bound_docs_per_s} docs/s (ratio ${summary.ingest_ratio_to_bound})`,
    `(c) peer (openai SDK + p-limit, same C and B): ${summary.peer_docs_per_s} docs/s; sidecar/peer = ${summary.ratio_to_peer}`,
    `(d) sidecar peak RSS: ${peakRss} MB`,
    `(e) one bulk of ${largeBulk.items} items (half through set + lowercase, half _none): ${summary.large_bulk_s} s, failed ${largeBulk.failed}; the same bulk sent straight to the stand-in: ${summary.large_bulk_cluster_s} s`,
    ...(quota === undefined
      ? []
      : [
          `(f) quota: ${QUOTA.requestsPerMinute} requests and ${QUOTA.tokensPerMinute} tokens a minute (bucket ${QUOTA.burstSeconds} s), latency 50 ms + 0.2 ms an input, C=${CONNECTIONS}; bound ${summary.quota_bound_docs_per_s} docs/s`,
          `   sidecar (text_embedding, its own batch sizes): ${quota.sidecar.documents} indexed, ${quota.sidecar.failed} failed, ${round(quota.sidecar.seconds, 2)} s → ${summary.quota_docs_per_s} docs/s (ratio ${summary.quota_ratio}), ${quota.sidecar.throttled} 429s`,
          `   peer (openai SDK, B=${BATCH}): ${quota.peer.documents} embedded, ${quota.peer.failed} failed, ${round(quota.peer.seconds, 2)} s → ${summary.peer_quota_docs_per_s} docs/s, ${quota.peer.throttled} 429s`,
        ]),
  ];
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(summary)}\n`);
}

const NO_LOAD: LoadResult = { p50Ms: Number.NaN, p99Ms: Number.NaN, requestsPerSecond: Number.NaN, errors: 0, sent: 0 };

/** A load run with the CPU milliseconds `child` spent per request (its warm-up included, so a little high). */
async function withCpu(child: Child, run: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = child.cpuSeconds();
  const result = await run();
  return { ...result, cpuMsPerRequest: ((child.cpuSeconds() - before) * 1000) / result.sent };
}

/** JSON calls to one sidecar; a non-2xx answer throws. */
function caller(base: string): (method: string, path: string, body?: unknown) => Promise<Record<string, any>> {
  return async (method, path, body) => {
    const response = await fetch(base + path, {
      method,
      headers: { 'content-type': body === undefined || typeof body === 'object' ? 'application/json' : 'application/x-ndjson' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, any>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
}

/** The benchmark's settings, embedding connector and model on one sidecar; the model id. */
async function registerBenchModel(call: ReturnType<typeof caller>, emulatorUrl: string, clientConfig: Record<string, number>): Promise<string> {
  await call('PUT', '/_cluster/settings', {
    persistent: {
      'plugins.ml_commons.trusted_connector_endpoints_regex': ['^http://127\\.0\\.0\\.1:[0-9]+/.*$'],
      'plugins.ml_commons.connector.private_ip_enabled': true,
    },
  });
  const connector = await call('POST', '/_plugins/_ml/connectors/_create', {
    name: 'bench embeddings',
    version: '1',
    protocol: 'http',
    parameters: { model: 'text-embedding-3-small', dimensions: DIMENSIONS },
    credential: { openAI_key: 'test-key' },
    client_config: { max_connection: CONNECTIONS, max_retry_times: 3, ...clientConfig },
    actions: [
      {
        action_type: 'predict',
        method: 'POST',
        url: `${emulatorUrl}/v1/embeddings`,
        headers: { Authorization: 'Bearer ${credential.openAI_key}' },
        request_body: '{ "input": ${parameters.input}, "model": "${parameters.model}", "dimensions": ${parameters.dimensions} }',
        pre_process_function: 'connector.pre_process.openai.embedding',
        post_process_function: 'connector.post_process.openai.embedding',
      },
    ],
  });
  const model = await call('POST', '/_plugins/_ml/models/_register?deploy=true', {
    name: 'bench-embedding', function_name: 'remote', connector_id: connector['connector_id'],
  });
  return model['model_id'] as string;
}

async function start(script: string, env: Record<string, string>, port: number, readyPath = '/', nodeArguments: string[] = []): Promise<Child> {
  const child = await startChild(script, env, port, readyPath, nodeArguments);
  children.push(child);
  return child;
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  for (const child of children) process.stderr.write(child.output().slice(-2000));
  process.exitCode = 1;
} finally {
  await Promise.all(children.map((child) => child.stop()));
  rmSync(dataDir, { recursive: true, force: true });
}
