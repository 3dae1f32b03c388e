import { describe, expect, it } from 'vitest';
import { CallCircuit } from '../../../src/models/isolation/call-circuit.js';
import type { ConnectorClientConfig, ConnectorDefinition } from '../../../src/connectors/connector-record.js';
import type { ModelTensors } from '../../../src/connectors/invoke/invoke-connector.js';
import { TextDocsBatcher, type TextDocsTarget } from '../../../src/models/batching/text-docs-batcher.js';

/** An OpenAI-style embedding connector: every text in one call, one tensor per text (coalescable). */
const openAiConnector = (clientConfig: ConnectorClientConfig): ConnectorDefinition => ({
  name: 'openai',
  version: '1',
  protocol: 'http',
  parameters: {},
  credential: {},
  client_config: clientConfig,
  actions: [
    {
      action_type: 'PREDICT',
      method: 'POST',
      url: 'https://api.openai.com/v1/embeddings',
      pre_process_function: 'connector.pre_process.openai.embedding',
      post_process_function: 'connector.post_process.openai.embedding',
    },
  ],
});

/** A target whose provider answers each text with a one-number vector, logging every call's texts. */
function recordingTarget(clientConfig: ConnectorClientConfig): { target: TextDocsTarget; calls: string[][] } {
  const calls: string[][] = [];
  const target: TextDocsTarget = {
    modelId: 'm',
    connector: openAiConnector(clientConfig),
    owner: {},
    circuit: new CallCircuit(),
    send: async (textDocs): Promise<ModelTensors[]> => {
      calls.push(textDocs.map(String));
      await new Promise((resolve) => setTimeout(resolve, 5));
      return [{ output: textDocs.map((text) => ({ name: 'sentence_embedding', data: [String(text).length] })), status_code: 200 }];
    },
  };
  return { target, calls };
}

const texts = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${index}`);

describe('TextDocsBatcher with a caller bound (a processor batch_size)', () => {
  it.each([
    ['coalescing on', { batch_linger_ms: 20 }],
    ['coalescing off', { batch_linger_ms: 0 }],
    ['the embedding cache on', { batch_linger_ms: 0, embedding_cache_size: 10 }],
  ])('should cut a lone caller’s texts into calls of at most the bound (%s)', async (_case, clientConfig) => {
    const { target, calls } = recordingTarget(clientConfig);
    const answer = await new TextDocsBatcher().predict(target, texts('t', 5), 2);
    expect(calls).toEqual([['t0', 't1'], ['t2', 't3'], ['t4']]);
    expect(answer.flatMap((result) => result.output.map((tensor) => tensor.data))).toHaveLength(5);
  });

  it('should send without cutting when no bound is given', async () => {
    const { target, calls } = recordingTarget({ batch_linger_ms: 0 });
    await new TextDocsBatcher().predict(target, texts('t', 5));
    expect(calls).toEqual([texts('t', 5)]);
  });

  it('should not let later callers grow a shared call past an earlier member’s bound', async () => {
    const { target, calls } = recordingTarget({ batch_linger_ms: 20 });
    const batcher = new TextDocsBatcher();
    await Promise.all([
      batcher.predict(target, ['bounded'], 3),
      ...texts('free', 4).map((text) => batcher.predict(target, [text])),
    ]);
    expect(calls).toEqual([['bounded', 'free0', 'free1'], ['free2', 'free3']]);
  });

  it('should not join a shared call that already holds more than the newcomer’s bound', async () => {
    const { target, calls } = recordingTarget({ batch_linger_ms: 20 });
    const batcher = new TextDocsBatcher();
    await Promise.all([
      ...texts('free', 2).map((text) => batcher.predict(target, [text])),
      batcher.predict(target, ['b0', 'b1'], 3),
    ]);
    expect(calls).toEqual([['free0', 'free1'], ['b0', 'b1']]);
  });

  it('should merge bounded callers as long as the shared call stays within every bound', async () => {
    const { target, calls } = recordingTarget({ batch_linger_ms: 20 });
    const batcher = new TextDocsBatcher();
    const answers = await Promise.all([batcher.predict(target, ['a0', 'a1'], 4), batcher.predict(target, ['bb0', 'bb1'], 4)]);
    expect(calls).toEqual([['a0', 'a1', 'bb0', 'bb1']]);
    expect(answers.map((answer) => answer[0]!.output.map((tensor) => tensor.data))).toEqual([[[2], [2]], [[3], [3]]]);
  });
});
