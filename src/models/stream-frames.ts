/**
 * ML Commons' streaming predict frames (RestMLPredictionStreamAction): server-sent events whose
 * data is `{"inference_results":[{"output":[{"name":"response","dataAsMap":{"content","is_last"}}]}]}`,
 * one per piece of the answer, the last with empty content and `is_last: true`; a failure is one
 * `{"error": "..."}` frame that ends the stream.
 */
import { renderError } from '../errors/render-error.js';
import type { StreamDelta } from '../connectors/streaming/index.js';

/** One answer piece. */
export const contentFrame = (content: string, isLast: boolean): string =>
  `data: ${JSON.stringify({ inference_results: [{ output: [{ name: 'response', dataAsMap: { content, is_last: isLast } }] }] })}\n\n`;

/** The failure that ends a stream. */
export const errorFrame = (message: string): string => `data: ${JSON.stringify({ error: message })}\n\n`;

/**
 * The frames of a provider stream. A stream that ends without its provider's end marker (a clean
 * close) still gets the last frame; one that breaks (reset, timeout, malformed framing) gets the
 * error frame, with the same reason predict would give.
 */
export async function* predictFrames(deltas: AsyncIterable<StreamDelta>): AsyncGenerator<string> {
  try {
    for await (const delta of deltas) {
      if ('text' in delta) yield contentFrame(delta.text, false);
      else if ('error' in delta) return yield errorFrame(delta.error);
      else break;
    }
  } catch (error) {
    return yield errorFrame(renderError(error).body.error.reason);
  }
  yield contentFrame('', true);
}
