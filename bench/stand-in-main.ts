/**
 * The OpenSearch stand-in from the tests, as its own process: `npm run stand-in` (a cluster to try
 * the proxy against, on `STAND_IN_PORT`, default 9200) and the ingest benchmark's cluster. It is a
 * test double answering the part of OpenSearch's REST API the sidecar uses, not OpenSearch. With
 * `STAND_IN_STATS_PORT`, a second listener answers how many requests reached indices whose name
 * contains `?contains=` (the benchmark counts the cluster store's round trips this way).
 */
import { createServer } from 'node:http';
import { startOpenSearchStandIn } from '../test/support/opensearch-stand-in/start-stand-in.js';

const standIn = await startOpenSearchStandIn({ port: Number(process.env['STAND_IN_PORT'] ?? 9200) });
process.stdout.write(`stand-in on ${standIn.url} (the test suite's OpenSearch stand-in, not OpenSearch; in memory, gone at exit)\n`);
const statsPort = process.env['STAND_IN_STATS_PORT'];
const stats = statsPort === undefined
  ? undefined
  : createServer((request, response) => {
      const contains = new URL(request.url ?? '/', 'http://stats').searchParams.get('contains') ?? '';
      const count = standIn.requests.filter((recorded) => `${recorded.path} ${recorded.body}`.includes(contains)).length;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requests: count }));
    }).listen(Number(statsPort), '127.0.0.1');
// Every delivery is handled: npm forwards a terminal's Ctrl-C, so it arrives twice.
let closing: Promise<void> | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stats?.close();
    closing ??= standIn.close().then(() => process.exit(0));
  });
}
