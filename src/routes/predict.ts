import { Hono } from 'hono';
import type { PredictService } from '../models/predict-service.js';
import { parsePredictBody } from '../models/predict-input.js';
import { pathId, readJson } from './request-helpers.js';

/** `POST /_plugins/_ml/models/{id}/_predict` and `POST /_plugins/_ml/_predict/{algorithm}/{id}`, as the authenticated caller. */
export function predictRoutes(predictor: PredictService): Hono {
  const app = new Hono({ strict: false });
  app.post('/models/:id/_predict', async (c) => {
    const input = parsePredictBody(await readJson(c), c.req.query('algorithm') ?? 'remote');
    return c.json(await predictor.predict(pathId(c), input, c.get('identity')));
  });
  app.post('/_predict/:algorithm/:id', async (c) => {
    const input = parsePredictBody(await readJson(c), c.req.param('algorithm'));
    return c.json(await predictor.predict(pathId(c), input, c.get('identity')));
  });
  return app;
}
