import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OPENAI_KEY, openAiChatConnector } from './helpers/connector-bodies.js';
import { freePort, startServerProcess, type ServerProcess } from './helpers/server-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sidecar-server-'));
const running: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((server) => server.stop('SIGKILL')));
  rmSync(dataDir, { recursive: true, force: true });
});

/** fetch refuses GET with a body; OpenSearch clients and curl send one, so test it with node:http. */
function getWithBody(url: string, body: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
    const request = httpRequest(url, { method: 'GET', headers }, (response) => {
      let answer = '';
      response.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      response.on('end', () => resolve(JSON.parse(answer)));
    });
    request.on('error', reject);
    request.end(text);
  });
}

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as any });

describe('the listening server (npm start)', () => {
  let connectorId = '';

  it('should answer GET and HEAD / like OpenSearch', async () => {
    const server = await startServerProcess({ DATA_DIR: dataDir });
    running.push(server);
    const root = await json(await fetch(`${server.url}/`));
    expect(root.status).toBe(200);
    expect(root.body).toMatchObject({
      name: expect.any(String),
      cluster_name: expect.any(String),
      cluster_uuid: expect.any(String),
      version: { distribution: 'opensearch', number: expect.stringMatching(/^\d+\.\d+\.\d+$/) },
      tagline: 'The OpenSearch Project: https://opensearch.org/',
    });
    const head = await fetch(`${server.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    const created = await json(
      await fetch(`${server.url}/_plugins/_ml/connectors/_create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(openAiChatConnector()),
      }),
    );
    expect(created.status).toBe(200);
    connectorId = created.body.connector_id;
    await fetch(`${server.url}/_cluster/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persistent: { 'plugins.ml_commons.connector.private_ip_enabled': true } }),
    });
    expect(statSync(join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(await server.stop()).toBe(0);
    expect(server.output()).not.toContain(OPENAI_KEY);
    expect(server.output()).toContain('"route":"/_plugins/_ml/connectors/_create"');
  });

  it('should find everything written before a restart', async () => {
    const server = await startServerProcess({ DATA_DIR: dataDir });
    running.push(server);
    const fetched = await json(await fetch(`${server.url}/_plugins/_ml/connectors/${connectorId}`));
    expect(fetched.status).toBe(200);
    expect(fetched.body.name).toBe('OpenAI Chat Connector');
    const searched = await getWithBody(`${server.url}/_plugins/_ml/connectors/_search`, { query: { ids: { values: [connectorId] } } });
    expect(searched.hits.total.value).toBe(1);
    const settings = await json(await fetch(`${server.url}/_cluster/settings?flat_settings=true`));
    expect(settings.body.persistent).toEqual({ 'plugins.ml_commons.connector.private_ip_enabled': 'true' });
  });

  it('should refuse a bad environment with a clear message', async () => {
    await expect(startServerProcess({ DATA_DIR: dataDir, MASTER_KEY: 'short' })).rejects.toThrow(/32 bytes/);
    await expect(startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'loud' })).rejects.toThrow(/LOG_LEVEL/);
  });
});

describe('identity and TLS at start (npm start)', () => {
  it('should refuse to bind a non-loopback address without authentication, and say why', async () => {
    await expect(startServerProcess({ DATA_DIR: dataDir, HOST: '0.0.0.0' })).rejects.toThrow(/ALLOW_INSECURE_BIND/);
  });

  it('should serve HTTPS only, authenticate from the users file, and keep GET / open', async () => {
    const { hashPassword, serializeUsersDocument } = await import('../src/security/identity/index.js');
    const { writeFileSync } = await import('node:fs');
    const usersFile = join(dataDir, 'users.json');
    writeFileSync(
      usersFile,
      serializeUsersDocument({ users: [{ name: 'alice', password_hash: await hashPassword('s3cret-pw'), backend_roles: ['ml'], admin: false }] }),
    );
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'src/main.ts')], {
      env: {
        ...process.env, PORT: String(port), DATA_DIR: dataDir, USERS_FILE: usersFile, HOST: '0.0.0.0',
        TLS_CERT_FILE: join(process.cwd(), 'test/fixtures-tls/cert.pem'), TLS_KEY_FILE: join(process.cwd(), 'test/fixtures-tls/key.pem'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const ca = readFileSync(join(process.cwd(), 'test/fixtures-tls/cert.pem'));
      const get = (path: string, headers: Record<string, string> = {}) =>
        new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
          const request = httpsRequest({ host: '127.0.0.1', port, path, ca, servername: 'localhost', headers }, (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
          });
          request.on('error', reject);
          request.end();
        });
      const deadline = Date.now() + 15_000;
      let root = await get('/').catch(() => undefined);
      while (!root && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        root = await get('/').catch(() => undefined);
      }
      expect(root?.status, output).toBe(200);
      const anonymous = await get('/_plugins/_ml/models/_search');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['www-authenticate']).toBe('Basic realm="OpenSearch Security"');
      const authorized = await get('/_plugins/_ml/models/_search', { authorization: `Basic ${Buffer.from('alice:s3cret-pw').toString('base64')}` });
      expect(authorized.status).toBe(200);
      const plain = await fetch(`http://127.0.0.1:${port}/`).then((response) => response.status, () => 'refused');
      expect(plain).not.toBe(200);
      expect(output).not.toContain('s3cret-pw');
      expect(output).not.toContain('password_hash');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
