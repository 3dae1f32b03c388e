import { renderError } from '../errors/render-error.js';
import { illegalArgument } from '../errors/opensearch-error.js';
import { isJsonObject, parseJsonBody } from '../util/json.js';
import { queryWithout, type ProxiedRequest, type ProxyAnswer, type ProxyContext } from './proxy-context.js';
import { handleSearch } from './search-handler.js';

/**
 * `_msearch`: when any of its searches needs the sidecar (a sidecar pipeline or a `neural`
 * clause), each search is run as its own search (so each gets its pipeline), and the answers are
 * assembled in order as `_msearch` answers them; otherwise undefined, and the request is streamed.
 */
export async function handleMultiSearch(
  context: ProxyContext,
  request: ProxiedRequest & { readonly text: string; readonly pathIndex: string | undefined },
): Promise<ProxyAnswer | undefined> {
  const searches = parseMultiSearch(request.text, request.pathIndex);
  const started = context.clock.now();
  const answers = await Promise.all(
    searches.map(async ({ index, header, body }) => {
      const query = { ...queryWithout(request.query, 'search_pipeline'), ...headerQuery(header) };
      try {
        const handled = await handleSearch(context, { method: 'POST', query, authorization: request.authorization, index, body });
        return { handled, index, query, body };
      } catch (error) {
        const rendered = renderError(error);
        return { handled: { status: rendered.status, body: { error: rendered.body.error, status: rendered.status } }, index, query, body };
      }
    }),
  );
  if (answers.every((answer) => answer.handled === undefined)) return undefined;
  const responses = await Promise.all(
    answers.map(async ({ handled, index, query, body }) => {
      const answer = handled ?? (await context.cluster.call({
        method: 'POST',
        path: index === undefined ? '/_search' : `/${encodeURIComponent(index)}/_search`,
        querystring: query,
        body,
        authorization: request.authorization,
      }));
      const responseBody = isJsonObject(answer.body) ? answer.body : {};
      return { ...responseBody, status: answer.status };
    }),
  );
  return { status: 200, body: { took: context.clock.now() - started, responses } };
}

function parseMultiSearch(text: string, pathIndex: string | undefined) {
  const lines = text.split('\n').flatMap((line, index) => (line.trim() === '' ? [] : [{ text: line, number: index + 1 }]));
  if (lines.length % 2 !== 0) throw illegalArgument('The msearch request must contain a header and a body line for every search');
  const searches: Array<{ index: string | undefined; header: Record<string, unknown>; body: Record<string, unknown> }> = [];
  for (let line = 0; line < lines.length; line += 2) {
    const headerLine = lines[line]!;
    const header = parseJsonBody(headerLine.text, { firstLine: headerLine.number });
    const bodyLine = lines[line + 1]!;
    const body = parseJsonBody(bodyLine.text, { firstLine: bodyLine.number });
    if (!isJsonObject(header) || !isJsonObject(body)) throw illegalArgument(`msearch line [${headerLine.number}] must be a JSON object`);
    const index = typeof header['index'] === 'string' ? header['index'] : Array.isArray(header['index']) ? header['index'].join(',') : pathIndex;
    searches.push({ index, header, body });
  }
  return searches;
}

/** Header keys that are search parameters (`search_pipeline`, `routing`, `preference`, ...). */
function headerQuery(header: Record<string, unknown>): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(header)) {
    if (key === 'index') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') query[key] = String(value);
  }
  return query;
}
