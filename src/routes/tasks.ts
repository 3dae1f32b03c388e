import { Hono } from 'hono';
import type { TaskService } from '../tasks/task-service.js';
import { pathId, readJson } from './request-helpers.js';

/** `/_plugins/_ml/tasks`. */
export function taskRoutes(tasks: TaskService): Hono {
  const app = new Hono({ strict: false });
  app.on(['GET', 'POST'], '/_search', async (c) => c.json(await tasks.search(await readJson(c))));
  app.get('/:id', async (c) => c.json(await tasks.get(pathId(c))));
  app.delete('/:id', async (c) => c.json(await tasks.delete(pathId(c))));
  return app;
}
