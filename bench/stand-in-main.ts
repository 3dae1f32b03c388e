/** The OpenSearch stand-in from the tests, as its own process (the ingest benchmark's cluster). */
import { startOpenSearchStandIn } from '../test/support/opensearch-stand-in/start-stand-in.js';

const standIn = await startOpenSearchStandIn({ port: Number(process.env['STAND_IN_PORT'] ?? 9200) });
process.stdout.write(`stand-in on ${standIn.url}\n`);
process.once('SIGTERM', () => void standIn.close().then(() => process.exit(0)));
