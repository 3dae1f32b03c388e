import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ProxyAnswer, StreamedProxyAnswer } from '../proxy/proxy-context.js';
import type { IncomingProxyRequest, ProxyService } from '../proxy/proxy-service.js';
import { parseJsonBody } from '../util/json.js';
import { eventStreamResponse } from './event-stream.js';
import { readBodyText } from './request-helpers.js';

/** What the proxy answers before the sidecar's own routes: the cluster's root and the settings split. */
export function proxyOverrideRoutes(proxy: ProxyService): Hono {
  const app = new Hono({ strict: false });
  app.get('/', (c) => proxy.forward(streamed(c)));
  app.get('/_cluster/settings', async (c) => reply(c, await proxy.getSettings(await incoming(c))));
  app.put('/_cluster/settings', async (c) => {
    const request = await incoming(c);
    return reply(c, await proxy.putSettings({ ...request, body: request.text.trim() === '' ? undefined : parseJsonBody(request.text) }));
  });
  return app;
}

/** What the proxy answers after the sidecar's own routes: writes, searches, and everything else forwarded. */
export function proxyRoutes(proxy: ProxyService): Hono {
  const app = new Hono({ strict: false });
  app.on(['POST', 'PUT'], '/_bulk', async (c) => reply(c, await proxy.bulk(await incoming(c), undefined)));
  app.on(['POST', 'PUT'], '/:index/_bulk', async (c) => reply(c, await proxy.bulk(await incoming(c), c.req.param('index'))));
  app.on(['POST', 'PUT'], '/:index/_doc', async (c) =>
    reply(c, await proxy.documentWrite(await incoming(c), { index: c.req.param('index'), id: undefined, endpoint: '_doc' })),
  );
  app.on(['POST', 'PUT'], '/:index/_doc/:id', async (c) =>
    reply(c, await proxy.documentWrite(await incoming(c), { index: c.req.param('index'), id: c.req.param('id'), endpoint: '_doc' })),
  );
  app.on(['POST', 'PUT'], '/:index/_create/:id', async (c) =>
    reply(c, await proxy.documentWrite(await incoming(c), { index: c.req.param('index'), id: c.req.param('id'), endpoint: '_create' })),
  );
  app.on(['GET', 'POST'], '/_search', async (c) => reply(c, await proxy.search(await incoming(c), undefined)));
  app.on(['GET', 'POST'], '/:index/_search', async (c) => reply(c, await proxy.search(await incoming(c), c.req.param('index'))));
  app.on(['GET', 'POST'], '/_msearch', async (c) => reply(c, await proxy.multiSearch(await incoming(c), undefined)));
  app.on(['GET', 'POST'], '/:index/_msearch', async (c) => reply(c, await proxy.multiSearch(await incoming(c), c.req.param('index'))));
  app.all('*', (c) => proxy.forward(streamed(c)));
  return app;
}

/** A request whose body the proxy reads (GET bodies included, which the Fetch API cannot carry). */
async function incoming(c: Context): Promise<IncomingProxyRequest> {
  const url = new URL(c.req.url);
  return {
    method: c.req.method,
    query: c.req.query(),
    authorization: c.req.header('authorization'),
    pathAndQuery: url.pathname + url.search,
    headers: c.req.raw.headers,
    text: await readBodyText(c),
  };
}

function streamed(c: Context) {
  const url = new URL(c.req.url);
  return { method: c.req.method, pathAndQuery: url.pathname + url.search, headers: c.req.raw.headers, body: c.req.raw.body };
}

function reply(c: Context, answer: ProxyAnswer | StreamedProxyAnswer | Response): Response {
  if (answer instanceof Response) return answer;
  if ('frames' in answer) return eventStreamResponse(answer.frames, () => answer.cancel());
  // A client told when to come back (a busy cluster's 429/503) waits instead of retrying at once.
  const retryAfter = answer.headers?.['retry-after'];
  return c.json(answer.body as object, answer.status as ContentfulStatusCode, retryAfter === undefined ? undefined : { 'retry-after': retryAfter });
}
