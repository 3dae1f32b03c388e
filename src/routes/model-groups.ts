import { Hono } from 'hono';
import type { ModelGroupService } from '../models/model-group-service.js';
import { pathId, readJson } from './request-helpers.js';

/** `/_plugins/_ml/model_groups`; every call acts as the authenticated caller. */
export function modelGroupRoutes(groups: ModelGroupService): Hono {
  const app = new Hono({ strict: false });
  app.post('/_register', async (c) =>
    c.json(await groups.register(await readJson(c, 'Model group request has empty body'), c.get('identity'))),
  );
  app.on(['GET', 'POST'], '/_search', async (c) => c.json(await groups.search(await readJson(c), c.get('identity'))));
  app.get('/:id', async (c) => c.json(await groups.get(pathId(c), c.get('identity'))));
  app.put('/:id', async (c) => c.json(await groups.update(pathId(c), await readJson(c), c.get('identity'))));
  app.delete('/:id', async (c) => c.json(await groups.delete(pathId(c), c.get('identity'))));
  return app;
}
