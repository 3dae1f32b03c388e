import { Hono } from 'hono';
import type { ConnectorService } from '../connectors/connector-service.js';
import { pathId, readJson } from './request-helpers.js';

/** `/_plugins/_ml/connectors`; every call acts as the authenticated caller. */
export function connectorRoutes(connectors: ConnectorService): Hono {
  const app = new Hono({ strict: false });
  app.post('/_create', async (c) =>
    c.json(await connectors.create(await readJson(c, 'Create Connector request has empty body'), c.get('identity'))),
  );
  app.on(['GET', 'POST'], '/_search', async (c) => c.json(await connectors.search(await readJson(c), c.get('identity'))));
  app.get('/:id', async (c) => c.json(await connectors.get(pathId(c), c.get('identity'))));
  app.put('/:id', async (c) =>
    c.json(
      await connectors.update(pathId(c), await readJson(c, 'Failed to update connector: Request body is empty'), c.get('identity')),
    ),
  );
  app.delete('/:id', async (c) => c.json(await connectors.delete(pathId(c), c.get('identity'))));
  return app;
}
