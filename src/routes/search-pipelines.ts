import { Hono, type Context } from 'hono';
import type { SearchPipelineService } from '../pipeline/search/search-pipeline-service.js';
import { queryFlag, readJson } from './request-helpers.js';

/** `/_search/pipeline`: CRUD and this service's `_simulate`. */
export function searchPipelineRoutes(pipelines: SearchPipelineService): Hono {
  const app = new Hono({ strict: false });
  const verbose = (c: Context) => queryFlag(c, 'verbose') || queryFlag(c, 'verbose_pipeline');
  app.post('/_simulate', async (c) => c.json(await pipelines.simulate(await readJson(c, 'request body is required'), { verbose: verbose(c) })));
  app.post('/:id/_simulate', async (c) =>
    c.json(await pipelines.simulate(await readJson(c, 'request body is required'), { id: c.req.param('id'), verbose: verbose(c) })),
  );
  app.get('/', async (c) => c.json(await pipelines.get(undefined)));
  app.get('/:id', async (c) => c.json(await pipelines.get(c.req.param('id'))));
  app.put('/:id', async (c) => c.json(await pipelines.put(c.req.param('id'), await readJson(c, 'request body is required'))));
  app.delete('/:id', async (c) => c.json(await pipelines.delete(c.req.param('id'))));
  return app;
}
