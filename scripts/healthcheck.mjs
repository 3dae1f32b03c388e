/**
 * The container's HEALTHCHECK: exits 0 when `GET /_sidecar/health` (liveness) answers 200 on this
 * container's own port, 1 otherwise. With TLS (`TLS_CERT_FILE`) it speaks HTTPS and does not verify
 * the certificate: it talks to the process next to it, by its loopback address. Plain JavaScript,
 * run by node (the image has no curl).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const HEALTH_PATH = '/_sidecar/health';
const request = process.env['TLS_CERT_FILE'] ? httpsRequest : httpRequest;
const port = Number(process.env['PORT'] || 9280);

const probe = request({ host: '127.0.0.1', port, path: HEALTH_PATH, rejectUnauthorized: false, timeout: 2_000 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
probe.on('timeout', () => probe.destroy(new Error('timed out')));
probe.on('error', () => process.exit(1));
probe.end();
