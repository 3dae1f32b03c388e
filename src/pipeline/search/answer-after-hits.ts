/**
 * A search answered as server-sent events (`generative_qa_parameters.stream`): first the search
 * response (hits and whatever the other processors added), then the answer in ML Commons'
 * streaming predict frames as the LLM produces it, then the `ext` section for the whole answer
 * (with its `message_id` when a memory is used), then the last frame (`is_last: true`). A failure
 * ends the stream with an error frame instead.
 */
import { renderError } from '../../errors/render-error.js';
import { contentFrame, errorFrame } from '../../models/stream-frames.js';
import type { DeferredAnswer } from '../../processors/processor-definition.js';

export async function* answerAfterHits(response: Record<string, unknown>, answer: DeferredAnswer): AsyncGenerator<string> {
  yield `data: ${JSON.stringify(response)}\n\n`;
  // The whole answer is kept: it is saved with the conversation turn and sent in the ext section.
  let text = '';
  try {
    for await (const delta of answer.deltas) {
      if ('error' in delta) return yield errorFrame(delta.error);
      if ('done' in delta) break;
      text += delta.text;
      yield contentFrame(delta.text, false);
    }
    const { name, section } = await answer.finish(text);
    yield `data: ${JSON.stringify({ ext: { [name]: section } })}\n\n`;
  } catch (error) {
    return yield errorFrame(renderError(error).body.error.reason);
  }
  yield contentFrame('', true);
}
