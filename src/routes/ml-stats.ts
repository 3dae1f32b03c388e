import { Hono, type Context } from 'hono';
import type { MlProfileService } from '../models/stats/ml-profile.js';
import type { MlStatsService } from '../models/stats/ml-stats.js';
import { readJson } from './request-helpers.js';

/** A comma-separated path parameter, as ML Commons splits `nodeId`, `stat`, `model_id` and `task_id`. */
const commaList = (c: Context, name: string): string[] | undefined =>
  c.req.param(name)?.split(',').map((item) => item.trim()).filter((item) => item !== '');

/**
 * ML Commons' stats and profile APIs under `/_plugins/_ml`: mounted after the model routes, so
 * `/models/{id}` keeps its literal segment (OpenSearch's path trie prefers literals to `{nodeId}`).
 */
export function mlStatsRoutes(stats: MlStatsService, profile: MlProfileService): Hono {
  const app = new Hono({ strict: false });
  const answerStats = async (c: Context) => c.json(await stats.stats({ nodeIds: commaList(c, 'nodeId'), stats: commaList(c, 'stat') }));
  app.get('/stats', answerStats);
  app.get('/stats/:stat', answerStats);
  app.get('/:nodeId/stats', answerStats);
  app.get('/:nodeId/stats/:stat', answerStats);

  const answerProfile = (target: 'models' | 'tasks' | 'all') => async (c: Context) =>
    c.json(
      await profile.profile({
        target,
        modelIds: commaList(c, 'modelId'),
        taskIds: commaList(c, 'taskId'),
        body: await readJson(c),
        view: c.req.query('view'),
      }),
    );
  app.get('/profile', answerProfile('all'));
  app.get('/profile/models', answerProfile('models'));
  app.get('/profile/models/:modelId', answerProfile('models'));
  app.get('/profile/tasks', answerProfile('tasks'));
  app.get('/profile/tasks/:taskId', answerProfile('tasks'));
  return app;
}
