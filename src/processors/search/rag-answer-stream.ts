/**
 * The RAG answer streamed (`generative_qa_parameters.stream`, this service's extension): the LLM is
 * called through its provider's streaming API and its pieces follow the search response; once the
 * whole answer has gone out, the conversation turn is saved (with a memory) and the `ext` section
 * completes the stream. `timeout` bounds the wait for the first piece.
 */
import { AsyncResource } from 'node:async_hooks';
import { illegalArgument } from '../../errors/opensearch-error.js';
import type { StreamDelta } from '../../connectors/streaming/index.js';
import type { DeferredAnswer, ModelPredictor } from '../processor-definition.js';

export interface StreamedAnswerOptions {
  readonly predictor: ModelPredictor;
  readonly modelId: string;
  readonly parameters: Record<string, string>;
  readonly timeoutSeconds: number;
  /** The `ext` section for the whole answer (saving the turn when there is a memory). */
  readonly complete: (answer: string) => Promise<Record<string, unknown>>;
}

export async function streamedAnswer(options: StreamedAnswerOptions): Promise<DeferredAnswer> {
  if (options.predictor.predictStream === undefined) throw illegalArgument('Streaming is not available to this pipeline.');
  const stream = await options.predictor.predictStream(options.modelId, { kind: 'remote', parameters: options.parameters });
  return {
    deltas: firstWithin(stream.deltas, options.timeoutSeconds, () => stream.cancel()),
    cancel: () => stream.cancel(),
    // Completed after the last piece, outside the search's own async context: keep the caller it ran as.
    finish: AsyncResource.bind(async (answer: string) => ({ name: 'retrieval_augmented_generation', section: await options.complete(answer) })),
  };
}

/** The deltas, or an error delta (and the call ended) when the first one takes longer than `seconds`. */
async function* firstWithin(deltas: AsyncIterable<StreamDelta>, seconds: number, cancel: () => void): AsyncGenerator<StreamDelta> {
  const iterator = deltas[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed_out'>((resolve) => (timer = setTimeout(() => resolve('timed_out'), seconds * 1000)));
  const first = iterator.next();
  // A failure after the timeout has nobody to report to; observe it so it is not an unhandled rejection.
  first.catch(() => undefined);
  try {
    const outcome = await Promise.race([first, timedOut]);
    if (outcome === 'timed_out') {
      cancel();
      return yield { error: `The LLM did not answer within the ${seconds} second timeout.` };
    }
    if (outcome.done === true) return;
    yield outcome.value;
  } finally {
    clearTimeout(timer);
  }
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
}
