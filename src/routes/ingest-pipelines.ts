import { Hono } from 'hono';
import type { IngestPipelineService } from '../pipeline/ingest-pipeline-service.js';
import { queryFlag, readJson } from './request-helpers.js';

/** `/_ingest/pipeline`: CRUD and `_simulate`. */
export function ingestPipelineRoutes(pipelines: IngestPipelineService): Hono {
  const app = new Hono({ strict: false });
  app.on(['GET', 'POST'], '/_simulate', async (c) =>
    c.json(await pipelines.simulate(await readJson(c, 'request body is required'), { verbose: queryFlag(c, 'verbose') })),
  );
  app.on(['GET', 'POST'], '/:id/_simulate', async (c) =>
    c.json(
      await pipelines.simulate(await readJson(c, 'request body is required'), { id: c.req.param('id'), verbose: queryFlag(c, 'verbose') }),
    ),
  );
  app.get('/', async (c) => c.json(await pipelines.get(undefined)));
  app.get('/:id', async (c) => c.json(await pipelines.get(c.req.param('id'))));
  app.put('/:id', async (c) => c.json(await pipelines.put(c.req.param('id'), await readJson(c, 'request body is required'))));
  app.delete('/:id', async (c) => c.json(await pipelines.delete(c.req.param('id'))));
  return app;
}
