/** `retrieval_augmented_generation` with `stream: true`: the answer deferred to the stream, completed as the search's caller. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StreamDelta } from '../../../src/connectors/streaming/index.js';
import type { ConversationMemory, SearchResponseContext } from '../../../src/processors/processor-definition.js';
import { retrievalAugmentedGenerationProcessor } from '../../../src/processors/search/retrieval-augmented-generation.js';
import { validateProcessorConfig } from '../../../src/processors/validate-config.js';
import { currentCaller, runAsCaller, type CallerIdentity } from '../../../src/security/identity/index.js';
import { dataAsMapAnswer, FakePredictor, responseContext, searchResponse, testDeps } from './helpers.js';

const alice: CallerIdentity = { name: 'alice', backendRoles: [], roles: [], isAdmin: false };

/** A predictor that streams `deltas` (and answers plain predicts in full). */
function streamingPredictor(deltas: () => AsyncIterable<StreamDelta>) {
  const predictor = Object.assign(new FakePredictor(() => dataAsMapAnswer({ choices: [{ message: { content: 'whole' } }] })), {
    streamed: [] as Array<Record<string, string>>,
    cancelled: 0,
    async predictStream(_modelId: string, input: { kind: string; parameters?: Record<string, string> }) {
      predictor.streamed.push(input.parameters ?? {});
      return { deltas: deltas(), cancel: () => void predictor.cancelled++ };
    },
  });
  return predictor;
}

async function* pieces(...texts: string[]): AsyncGenerator<StreamDelta> {
  for (const text of texts) yield { text };
  yield { done: true };
}

function run(predictor: ReturnType<typeof streamingPredictor>, generative: Record<string, unknown>, streaming: boolean, conversations?: ConversationMemory) {
  const config = validateProcessorConfig<never>(retrievalAugmentedGenerationProcessor, { model_id: 'llm', context_field_list: ['text'] });
  const processor = retrievalAugmentedGenerationProcessor.create(config, { ...testDeps(predictor), ...(conversations ? { conversations } : {}) }, undefined);
  const base = responseContext({ ext: { generative_qa_parameters: { llm_question: 'Q', llm_model: 'gpt-4o', ...generative } } }, searchResponse([{ _id: '1', _source: { text: 'T' } }]));
  const context: SearchResponseContext = { ...base, streaming };
  return { context, done: processor.processResponse(context) };
}

describe('retrieval_augmented_generation with stream: true', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('should defer the answer to the stream only where the search can be streamed', async () => {
    const predictor = streamingPredictor(() => pieces('Hel', 'lo'));
    const streamed = run(predictor, { stream: true }, true);
    await streamed.done;
    expect(streamed.context.response['ext']).toBeUndefined();
    const received = [];
    for await (const delta of streamed.context.deferredAnswer!.deltas) received.push(delta);
    expect(received).toEqual([{ text: 'Hel' }, { text: 'lo' }, { done: true }]);
    expect(await streamed.context.deferredAnswer!.finish('Hello')).toEqual({ name: 'retrieval_augmented_generation', section: { answer: 'Hello' } });
    expect(Object.keys(predictor.streamed[0]!)).toEqual(['model', 'messages']);

    const simulated = run(predictor, { stream: true }, false);
    await simulated.done;
    expect(simulated.context.deferredAnswer).toBeUndefined();
    expect(simulated.context.response['ext']).toEqual({ retrieval_augmented_generation: { answer: 'whole' } });
  });

  it('should save the turn as the search\'s caller once the whole answer went out', async () => {
    const savers: Array<string | undefined> = [];
    const memory: ConversationMemory = {
      recentTurns: async () => [],
      saveTurn: async (_memoryId, turn) => {
        savers.push(currentCaller()?.name);
        return `saved:${turn.response}`;
      },
    };
    const { context, done } = runAsCaller(alice, () => run(streamingPredictor(() => pieces('A')), { stream: true, memory_id: 'm' }, true, memory));
    await done;
    // The stream completes outside the request's async context (the server reads it later).
    const section = await runAsCaller(undefined, () => context.deferredAnswer!.finish('A'));
    expect(section.section).toEqual({ answer: 'A', message_id: 'saved:A' });
    expect(savers).toEqual(['alice']);
  });

  it('should end the call with an error when the first piece takes longer than the timeout', async () => {
    vi.useFakeTimers();
    const predictor = streamingPredictor(() => (async function* () { await new Promise(() => undefined); yield { text: 'never' } as StreamDelta; })());
    const { context, done } = run(predictor, { stream: true, timeout: 2 }, true);
    await done;
    const first = context.deferredAnswer!.deltas[Symbol.asyncIterator]().next();
    await vi.advanceTimersByTimeAsync(2_000);
    expect((await first).value).toEqual({ error: 'The LLM did not answer within the 2 second timeout.' });
    expect(predictor.cancelled).toBe(1);
  });

  it('should refuse a stream flag that is not a boolean', async () => {
    await expect(run(streamingPredictor(() => pieces()), { stream: 'yes' }, true).done).rejects.toMatchObject({
      status: 400,
      reason: '[generative_qa_parameters] failed to parse field [stream]: expected a boolean',
    });
  });
});
