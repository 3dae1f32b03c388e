import { illegalArgument } from '../errors/opensearch-error.js';
import { SETTING_PREFIX } from '../settings/definitions.js';
import { flattenSettings, nestSettings } from '../settings/normalize-setting.js';
import { isJsonObject } from '../util/json.js';
import type { ProxiedRequest, ProxyAnswer, ProxyContext } from './proxy-context.js';

const SCOPES = ['persistent', 'transient'] as const;

/** `GET /_cluster/settings`: the cluster's settings, with the sidecar's own `plugins.ml_commons.*` keys. */
export async function getClusterSettings(context: ProxyContext, request: ProxiedRequest): Promise<ProxyAnswer> {
  const answer = await context.cluster.call({ method: 'GET', path: '/_cluster/settings', querystring: { ...request.query, flat_settings: 'true' }, authorization: request.authorization });
  if (answer.status !== 200 || !isJsonObject(answer.body)) return answer;
  const flat = request.query['flat_settings'] === 'true' || request.query['flat_settings'] === '';
  const ours = context.settings.view({ flat: true, includeDefaults: request.query['include_defaults'] === 'true' });
  const merged: Record<string, unknown> = {};
  for (const [scope, values] of Object.entries(answer.body)) {
    if (!isJsonObject(values)) continue;
    const combined = new Map(Object.entries(values).filter(([key]) => !key.startsWith(SETTING_PREFIX)));
    for (const [key, value] of Object.entries((ours[scope] as Record<string, unknown> | undefined) ?? {})) combined.set(key, value);
    merged[scope] = flat ? Object.fromEntries(combined) : nestSettings(combined);
  }
  return { status: 200, body: merged };
}

/**
 * `PUT /_cluster/settings`: the `plugins.ml_commons.*` keys stay here (validated first, so a bad
 * one changes nothing anywhere), the rest goes to the cluster; the answers are merged.
 */
export async function putClusterSettings(context: ProxyContext, request: ProxiedRequest & { readonly body: unknown }): Promise<ProxyAnswer> {
  if (!isJsonObject(request.body)) throw illegalArgument('request body is required');
  const ours: Record<string, Record<string, unknown>> = {};
  const theirs: Record<string, Record<string, unknown>> = {};
  for (const scope of SCOPES) {
    const values = request.body[scope];
    if (values === undefined || values === null) continue;
    if (!isJsonObject(values)) throw illegalArgument(`[${scope}] must be an object`);
    for (const [key, value] of flattenSettings(values)) {
      const target = key.startsWith(SETTING_PREFIX) ? ours : theirs;
      (target[scope] ??= {})[key] = value;
    }
  }
  context.settings.check(ours);
  const flat = request.query['flat_settings'] === 'true';
  let clusterBody: Record<string, unknown> = { acknowledged: true, persistent: {}, transient: {} };
  if (Object.keys(theirs).length > 0) {
    const answer = await context.cluster.call({ method: 'PUT', path: '/_cluster/settings', querystring: { ...request.query, flat_settings: 'true' }, body: theirs, authorization: request.authorization });
    if (answer.status !== 200 || !isJsonObject(answer.body)) return answer;
    clusterBody = answer.body;
  }
  const applied = Object.keys(ours).length > 0 ? await context.settings.update(ours) : { persistent: new Map(), transient: new Map() };
  const body: Record<string, unknown> = { acknowledged: clusterBody['acknowledged'] ?? true };
  for (const scope of SCOPES) {
    const combined = new Map(Object.entries(isJsonObject(clusterBody[scope]) ? (clusterBody[scope] as Record<string, unknown>) : {}));
    for (const [key, value] of applied[scope]) combined.set(key, value);
    body[scope] = flat ? Object.fromEntries(combined) : nestSettings(combined);
  }
  return { status: 200, body };
}
