import { Hono } from 'hono';
import type { PredictService } from '../models/predict-service.js';
import { parsePredictBody } from '../models/predict-input.js';
import { predictFrames } from '../models/stream-frames.js';
import { eventStreamResponse } from './event-stream.js';
import { pathId, readJson } from './request-helpers.js';

/** `POST /_plugins/_ml/models/{id}/_predict` (and `/stream`) and `POST /_plugins/_ml/_predict/{algorithm}/{id}`, as the authenticated caller. */
export function predictRoutes(predictor: PredictService): Hono {
  const app = new Hono({ strict: false });
  app.post('/models/:id/_predict', async (c) => {
    const input = parsePredictBody(await readJson(c), c.req.query('algorithm') ?? 'remote');
    return c.json(await predictor.predict(pathId(c), input, c.get('identity')));
  });
  // Errors before the answer starts are ordinary error responses; later ones are an error frame.
  app.post('/models/:id/_predict/stream', async (c) => {
    const input = parsePredictBody(await readJson(c), 'remote');
    const call = new AbortController();
    c.req.raw.signal.addEventListener('abort', () => call.abort(), { once: true });
    const stream = await predictor.predictStream(pathId(c), input, c.get('identity'), { signal: call.signal });
    return eventStreamResponse(predictFrames(stream.deltas), () => {
      call.abort();
      stream.cancel();
    });
  });
  app.post('/_predict/:algorithm/:id', async (c) => {
    const input = parsePredictBody(await readJson(c), c.req.param('algorithm'));
    return c.json(await predictor.predict(pathId(c), input, c.get('identity')));
  });
  return app;
}
