import { Pool } from 'undici';

/** Latency percentiles and throughput of one load run. */
export interface LoadResult {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requestsPerSecond: number;
  readonly errors: number;
  /** Requests sent, warm-up included. */
  readonly sent: number;
  /** CPU milliseconds the measured server spent per request sent, when measured. */
  readonly cpuMsPerRequest?: number;
}

/**
 * Sends `requests` POSTs of `body` to `url` with `concurrency` in flight (after a warm-up), and
 * measures each request's latency. Only 2xx answers count as successes.
 */
export async function measureLoad(options: {
  url: string;
  path: string;
  body: string;
  concurrency: number;
  requests: number;
  warmup?: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  const pool = new Pool(options.url, { connections: options.concurrency, pipelining: 1 });
  const send = async (): Promise<number> => {
    const started = performance.now();
    const response = await pool.request({ method: 'POST', path: options.path, headers: { 'content-type': 'application/json', ...options.headers }, body: options.body });
    await response.body.dump();
    if (response.statusCode >= 300) throw new Error(`status ${response.statusCode}`);
    return performance.now() - started;
  };
  const runWorkers = async (total: number, record: (latency: number) => void, onError: () => void) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < total) {
          next++;
          try {
            record(await send());
          } catch {
            onError();
          }
        }
      }),
    );
  };
  const warmup = options.warmup ?? Math.min(200, options.requests);
  await runWorkers(warmup, () => undefined, () => undefined);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await runWorkers(options.requests, (latency) => latencies.push(latency), () => errors++);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const percentile = (fraction: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * fraction))] ?? Number.NaN;
  return { p50Ms: percentile(0.5), p99Ms: percentile(0.99), requestsPerSecond: latencies.length / seconds, errors, sent: warmup + options.requests };
}
