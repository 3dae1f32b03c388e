import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { authenticateRequests } from '../../../src/routes/authenticate.js';
import { hashApiKey } from '../../../src/security/identity/api-key-hash.js';
import { loadTlsOptions, summarizeCertificate } from '../../../src/security/identity/tls.js';
import { fromDocument } from '../../../src/security/identity/users-file-authenticator.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures-tls/', import.meta.url));
const certFile = join(FIXTURES, 'cert.pem');
const keyFile = join(FIXTURES, 'key.pem');
const ca = readFileSync(certFile);
const directory = mkdtempSync(join(tmpdir(), 'sidecar-tls-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const fileWith = (name: string, content: string) => {
  const file = join(directory, name);
  writeFileSync(file, content);
  return file;
};

/** GETs `path` over HTTPS trusting only the fixture certificate. */
function httpsGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port, path, ca, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    call.on('error', reject);
    call.end();
  });
}

describe('loadTlsOptions', () => {
  it('should load the fixture certificate and key as PEM buffers', () => {
    const options = loadTlsOptions({ certFile, keyFile });
    expect(Object.keys(options).sort()).toEqual(['cert', 'key']);
    expect(options.cert.toString()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const summary = summarizeCertificate(options.cert, new Date('2030-01-01'));
    expect(summary).toMatchObject({ subject: 'CN=localhost', expired: false });
    expect(summary.subjectAltName).toMatch(/IP Address:127\.0\.0\.1/);
    expect(summarizeCertificate(options.cert, new Date('2060-01-01')).expired).toBe(true);
  });

  const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
  const encryptedKey = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: {
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'pass-phrase',
    },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;

  it.each<[string, () => { certFile: string; keyFile: string }, RegExp]>([
    [
      'a missing certificate',
      () => ({ certFile: join(directory, 'none.pem'), keyFile }),
      /TLS_CERT_FILE \[.*none\.pem\] cannot be read \(ENOENT\)/,
    ],
    [
      'a missing key',
      () => ({ certFile, keyFile: join(directory, 'none.pem') }),
      /TLS_KEY_FILE \[.*none\.pem\] cannot be read \(ENOENT\)/,
    ],
    [
      'a certificate that is not PEM',
      () => ({ certFile: fileWith('junk-cert.pem', 'hello'), keyFile }),
      /TLS_CERT_FILE \[.*\] is not a PEM certificate/,
    ],
    [
      'the key given as certificate',
      () => ({ certFile: keyFile, keyFile }),
      /TLS_CERT_FILE \[.*\] is not a PEM certificate/,
    ],
    [
      'a key that is not PEM',
      () => ({ certFile, keyFile: fileWith('junk-key.pem', 'hello') }),
      /TLS_KEY_FILE \[.*\] is not an unencrypted PEM private key/,
    ],
    [
      'an encrypted key',
      () => ({ certFile, keyFile: fileWith('encrypted.pem', encryptedKey) }),
      /is not an unencrypted PEM private key/,
    ],
    [
      'the key of another certificate',
      () => ({ certFile, keyFile: fileWith('other.pem', otherKey) }),
      /does not belong to the certificate/,
    ],
  ])('should refuse %s with a message naming the file', (_label, files, message) => {
    expect(() => loadTlsOptions(files())).toThrow(message);
  });
});

describe('HTTPS with the fixture certificate', () => {
  it('should serve a real round trip to a client trusting the certificate', async () => {
    const server = createServer(loadTlsOptions({ certFile, keyFile }), (_request, response) =>
      response.end('hello over tls'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await httpsGet(port, '/')).toEqual({ status: 200, body: 'hello over tls' });
      // A client that does not trust the certificate is refused by the handshake.
      await expect(
        new Promise((resolve, reject) =>
          request({ host: '127.0.0.1', port, path: '/' }, resolve).on('error', reject).end(),
        ),
      ).rejects.toThrow(/self[- ]signed/i);
    } finally {
      server.close();
    }
  });

  it('should serve the app over TLS only, with authentication, through @hono/node-server', async () => {
    const key = 'tls-api-key-0123456789abcdef';
    const app = new Hono();
    app.use(
      authenticateRequests(
        fromDocument({
          users: [
            { name: 'bot', api_key_hashes: [hashApiKey(key)], backend_roles: [], admin: false },
          ],
        }),
      ),
    );
    app.get('/', (c) => c.json({ ok: true }));
    app.get('/who', (c) => c.json({ who: c.get('identity')?.name }));
    app.onError((_error, c) => c.json({ status: 401 }, 401));
    let server: ServerType | undefined;
    const port = await new Promise<number>((resolve) => {
      const serverOptions = loadTlsOptions({ certFile, keyFile });
      server = serve(
        { fetch: app.fetch, port: 0, hostname: '127.0.0.1', createServer, serverOptions },
        (info) => resolve(info.port),
      );
    });
    try {
      expect(await httpsGet(port, '/')).toEqual({ status: 200, body: '{"ok":true}' });
      expect(await httpsGet(port, '/who', { authorization: `Bearer ${key}` })).toEqual({
        status: 200,
        body: '{"who":"bot"}',
      });
      expect((await httpsGet(port, '/who')).status).toBe(401);
      // Plain HTTP to the TLS port gets no HTTP answer.
      await expect(
        new Promise((resolve, reject) => {
          const call = httpGet({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, resolve);
          call.on('timeout', () => call.destroy(new Error('timeout')));
          call.on('error', reject);
        }),
      ).rejects.toThrow(/socket hang up|ECONNRESET|timeout/);
    } finally {
      server?.close();
    }
  });
});
