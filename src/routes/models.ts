import { Hono } from 'hono';
import type { ModelService } from '../models/model-service.js';
import { pathId, queryFlag, readJson } from './request-helpers.js';

/**
 * `/_plugins/_ml/models` (lifecycle; predict is mounted separately), every call as the
 * authenticated caller. Legacy `_upload`, `_load`, `_unload` paths are kept.
 */
export function modelRoutes(models: ModelService): Hono {
  const app = new Hono({ strict: false });
  for (const path of ['/_register', '/_upload']) {
    app.post(path, async (c) =>
      c.json(await models.register(await readJson(c), { deploy: queryFlag(c, 'deploy'), caller: c.get('identity') })),
    );
  }
  app.on(['GET', 'POST'], '/_search', async (c) => c.json(await models.search(await readJson(c), c.get('identity'))));
  for (const path of ['/_undeploy', '/_unload']) {
    app.post(path, async (c) => c.json(await models.deployment.undeployMany(await readJson(c), c.get('identity'))));
  }
  for (const path of ['/:id/_deploy', '/:id/_load']) {
    app.post(path, async (c) =>
      c.json(await models.deployment.deploy(pathId(c), { body: await readJson(c), caller: c.get('identity') })),
    );
  }
  for (const path of ['/:id/_undeploy', '/:id/_unload']) {
    app.post(path, async (c) => c.json(await models.deployment.undeployOne(pathId(c), await readJson(c), c.get('identity'))));
  }
  app.get('/:id', async (c) => c.json(await models.get(pathId(c), c.get('identity'))));
  app.put('/:id', async (c) => c.json(await models.update(pathId(c), await readJson(c), c.get('identity'))));
  app.delete('/:id', async (c) => c.json(await models.delete(pathId(c), c.get('identity'))));
  return app;
}
