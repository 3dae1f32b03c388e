import { Hono } from 'hono';
import { parsePage } from '../memory/memory-input.js';
import type { MemoryService } from '../memory/memory-service.js';
import type { MessageService } from '../memory/message-service.js';
import { pathId, readJson } from './request-helpers.js';

/** `/_plugins/_ml/memory`: conversation memories and their messages, as the authenticated caller. */
export function memoryRoutes(memories: MemoryService, messages: MessageService): Hono {
  const app = new Hono({ strict: false });
  app.post('/', async (c) => c.json(await memories.create(await readJson(c), c.get('identity'))));
  app.get('/', async (c) => c.json(await memories.list(parsePage(c.req.query(), 'conversations'), c.get('identity'))));
  app.on(['GET', 'POST'], '/_search', async (c) => c.json(await memories.search(await readJson(c), c.get('identity'))));
  app.get('/message/:id', async (c) => c.json(await messages.get(pathId(c), c.get('identity'))));
  app.put('/message/:id', async (c) => c.json(await messages.update(pathId(c), await readJson(c), c.get('identity'))));
  app.get('/message/:id/traces', async (c) =>
    c.json(await messages.traces(pathId(c), parsePage(c.req.query(), 'interactions'), c.get('identity'))),
  );
  app.post('/:id/messages', async (c) => c.json(await messages.create(pathId(c), await readJson(c), c.get('identity'))));
  app.get('/:id/messages', async (c) =>
    c.json(await messages.list(pathId(c), parsePage(c.req.query(), 'interactions'), c.get('identity'))),
  );
  app.on(['GET', 'POST'], '/:id/_search', async (c) => c.json(await messages.search(pathId(c), await readJson(c), c.get('identity'))));
  app.get('/:id', async (c) => c.json(await memories.get(pathId(c), c.get('identity'))));
  app.put('/:id', async (c) => c.json(await memories.update(pathId(c), await readJson(c), c.get('identity'))));
  app.delete('/:id', async (c) => c.json(await memories.delete(pathId(c), c.get('identity'))));
  return app;
}
