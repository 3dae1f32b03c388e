/**
 * A bare pass-through proxy (node:http + undici, no processing): the limit for any sidecar
 * sharing these cores. `BARE_PROXY_PORT` in, forwards to `BARE_PROXY_TARGET`.
 */
import { createServer } from 'node:http';
import { Agent, request } from 'undici';

const target = process.env['BARE_PROXY_TARGET'] ?? 'http://127.0.0.1:9281';
const agent = new Agent({ connections: 256, pipelining: 1 });

createServer(async (incoming, outgoing) => {
  if (incoming.url === '/' && incoming.method === 'GET') {
    outgoing.writeHead(200).end('{}');
    return;
  }
  try {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers[name] = value;
    }
    const answer = await request(target + incoming.url, {
      method: incoming.method as 'POST',
      headers,
      body: incoming.method === 'GET' ? null : incoming,
      dispatcher: agent,
    });
    const responseHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (typeof value === 'string' && name !== 'connection' && name !== 'transfer-encoding') responseHeaders[name] = value;
    }
    outgoing.writeHead(answer.statusCode, responseHeaders);
    for await (const chunk of answer.body) outgoing.write(chunk);
    outgoing.end();
  } catch (error) {
    outgoing.writeHead(502).end(JSON.stringify({ error: String(error) }));
  }
}).listen(Number(process.env['BARE_PROXY_PORT'] ?? 9290), '127.0.0.1');
