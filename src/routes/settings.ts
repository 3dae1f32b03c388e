import { Hono } from 'hono';
import { illegalArgument } from '../errors/opensearch-error.js';
import type { SettingsService } from '../settings/settings-service.js';
import { nestSettings } from '../settings/normalize-setting.js';
import { isJsonObject } from '../util/json.js';
import { queryFlag, readJson } from './request-helpers.js';

const UPDATE_FIELDS = new Set(['persistent', 'transient']);

/** `/_cluster/settings`: the `plugins.ml_commons.*` keys. */
export function settingsRoutes(settings: SettingsService): Hono {
  const app = new Hono({ strict: false });
  app.get('/', (c) =>
    c.json(settings.view({ flat: queryFlag(c, 'flat_settings'), includeDefaults: queryFlag(c, 'include_defaults') })),
  );
  app.put('/', async (c) => {
    const body = await readJson(c, 'request body is required');
    if (!isJsonObject(body)) throw illegalArgument('request body must be an object');
    const unknown = Object.keys(body).filter((key) => !UPDATE_FIELDS.has(key));
    if (unknown.length > 0) throw illegalArgument(`request [/_cluster/settings] contains unrecognized parameter: [${unknown[0]}]`);
    if (body['persistent'] === undefined && body['transient'] === undefined) {
      throw illegalArgument('Validation Failed: 1: no settings to update;');
    }
    const applied = await settings.update(body as { persistent?: Record<string, unknown>; transient?: Record<string, unknown> });
    const render = (values: ReadonlyMap<string, unknown>) =>
      queryFlag(c, 'flat_settings') ? Object.fromEntries(values) : nestSettings(values);
    return c.json({ acknowledged: true, persistent: render(applied.persistent), transient: render(applied.transient) });
  });
  return app;
}
