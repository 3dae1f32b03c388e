/**
 * `retrieval_augmented_generation` with a `memory_id`: the memory's last `message_size` turns go
 * into the prompt in each provider's format (PromptUtil), and the new turn is saved with the
 * question, the answer, the prompt template and the search results used.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationMemory, ConversationTurn, NewConversationTurn } from '../../../src/processors/processor-definition.js';
import { DEFAULT_SYSTEM_PROMPT } from '../../../src/processors/search/rag-prompts.js';
import { retrievalAugmentedGenerationProcessor } from '../../../src/processors/search/retrieval-augmented-generation.js';
import { validateProcessorConfig } from '../../../src/processors/validate-config.js';
import { dataAsMapAnswer, FakePredictor, responseContext, searchResponse, testDeps } from './helpers.js';

type Json = Record<string, unknown>;

/** A memory of turns, oldest first, that records what is saved. */
class FakeMemory implements ConversationMemory {
  readonly saved: Array<{ memoryId: string; turn: NewConversationTurn }> = [];
  readonly asked: Array<{ memoryId: string; count: number }> = [];
  constructor(readonly turns: ConversationTurn[] = []) {}
  async recentTurns(memoryId: string, count: number): Promise<ConversationTurn[]> {
    this.asked.push({ memoryId, count });
    return this.turns.slice(-count);
  }
  async saveTurn(memoryId: string, turn: NewConversationTurn): Promise<string> {
    this.saved.push({ memoryId, turn });
    this.turns.push({ input: turn.input, response: turn.response });
    return `message-${this.saved.length}`;
  }
}

const hits = [{ _id: '1', _score: 1, _source: { text: 'Paris is in France.' } }];
const openAiAnswer = (text: string) => new FakePredictor(() => dataAsMapAnswer({ choices: [{ message: { role: 'assistant', content: text } }] }));

async function ask(memory: FakeMemory, predictor: FakePredictor, generative: Json, config: Json = {}) {
  const options = validateProcessorConfig<never>(retrievalAugmentedGenerationProcessor, { model_id: 'llm', context_field_list: ['text'], ...config });
  const processor = retrievalAugmentedGenerationProcessor.create(options, { ...testDeps(predictor), conversations: memory }, undefined);
  const context = responseContext({ ext: { generative_qa_parameters: { llm_model: 'gpt-4o', memory_id: 'mem', ...generative } } }, searchResponse(hits));
  await processor.processResponse(context);
  return context.response['ext'] as Json;
}

const sent = (predictor: FakePredictor, call = 0) => {
  const input = predictor.calls[call]?.input;
  return input?.kind === 'remote' ? input.parameters : {};
};
const text = (value: string | null) => ({ type: 'text', text: value });

describe('retrieval_augmented_generation with conversation memory', () => {
  it('should carry the earlier turns of a three-turn conversation into each prompt and save each turn', async () => {
    const memory = new FakeMemory();
    const answers = ['Paris.', 'About 2 million.', 'The Seine.'];
    let asked = 0;
    const predictor = new FakePredictor(() => dataAsMapAnswer({ choices: [{ message: { role: 'assistant', content: answers[asked++] } }] }));
    const questions = ['What is the capital of France?', 'How many people live there?', 'Which river runs through it?'];
    const exts: Json[] = [];
    for (const question of questions) exts.push(await ask(memory, predictor, { llm_question: question }));

    expect(exts.map((ext) => ext['retrieval_augmented_generation'])).toEqual(answers.map((answer, index) => ({ answer, message_id: `message-${index + 1}` })));
    expect(JSON.parse(sent(predictor, 2)['messages'] ?? '')).toEqual([
      { role: 'user', content: [text(DEFAULT_SYSTEM_PROMPT), text('SEARCH RESULT 1: Paris is in France.'), text(questions[0]!)] },
      { role: 'assistant', content: [text(answers[0]!)] },
      { role: 'user', content: [text(questions[1]!)] },
      { role: 'assistant', content: [text(answers[1]!)] },
      { role: 'user', content: [text(`QUESTION: ${questions[2]}\n`), text('ANSWER:')] },
    ]);
    expect(JSON.parse(sent(predictor, 1)['messages'] ?? '')).toHaveLength(3);
    expect(memory.asked).toEqual(questions.map(() => ({ memoryId: 'mem', count: 10 })));
    expect(memory.saved[2]).toEqual({
      memoryId: 'mem',
      turn: {
        input: questions[2],
        promptTemplate: '[]',
        response: answers[2],
        origin: 'retrieval_augmented_generation',
        additionalInfo: { metadata: '["Paris is in France."]' },
      },
    });
  });

  it('should take only the last message_size turns (interaction_size before 2.12), with a system prompt of its own', async () => {
    const memory = new FakeMemory([
      { input: 'q1', response: 'a1' },
      { input: 'q2', response: 'a2' },
      { input: 'q3', response: 'a3' },
    ]);
    const predictor = openAiAnswer('a4');
    await ask(memory, predictor, { llm_question: 'q4', message_size: 2 }, { system_prompt: 'Be "brief".', user_instructions: 'Cite.' });
    expect(JSON.parse(sent(predictor)['messages'] ?? '')).toEqual([
      { role: 'system', content: [text('Be "brief".')] },
      { role: 'user', content: [text('Cite.'), text('SEARCH RESULT 1: Paris is in France.'), text('q2')] },
      { role: 'assistant', content: [text('a2')] },
      { role: 'user', content: [text('q3')] },
      { role: 'assistant', content: [text('a3')] },
      { role: 'user', content: [text('QUESTION: q4\n'), text('ANSWER:')] },
    ]);
    expect(memory.saved[0]?.turn.promptTemplate).toBe('[{"role":"system","content":"Be \\\\\\"brief\\\\\\"."},{"role":"user","content":"Cite."}]');
    await ask(memory, openAiAnswer('a5'), { llm_question: 'q5', interaction_size: 1 });
    expect(memory.asked.at(-1)).toEqual({ memoryId: 'mem', count: 1 });
  });

  it('should write the conversation into single-string prompts as JSON-escaped user and assistant lines', async () => {
    const memory = new FakeMemory([{ input: 'Say "hi"', response: null }]);
    const predictor = new FakePredictor(() => dataAsMapAnswer({ completion: 'ok' }));
    await ask(memory, predictor, { llm_question: 'Q', llm_model: 'bedrock/anthropic.claude-v2' }, { user_instructions: 'I' });
    expect(sent(predictor)).toEqual({ inputs: 'I\\nSEARCH RESULT 1: Paris is in France.\\nuser: Say \\"hi\\"\\nassistant: null\\nQUESTION: Q\\n' });
  });

  it('should put the conversation into Bedrock Converse content blocks', async () => {
    const memory = new FakeMemory([{ input: 'q1', response: 'a1' }]);
    const predictor = new FakePredictor(() => dataAsMapAnswer({ output: { message: { content: [{ text: 'a2' }] } } }));
    const ext = await ask(memory, predictor, { llm_question: 'q2', llm_model: 'bedrock-converse/claude' });
    expect(JSON.parse(sent(predictor)['messages'] ?? '')).toEqual([
      { role: 'user', content: [{ text: DEFAULT_SYSTEM_PROMPT }, { text: 'SEARCH RESULT 1: Paris is in France.' }, { text: 'q1' }] },
      { role: 'assistant', content: [{ text: 'a1' }] },
      { role: 'user', content: [{ text: 'QUESTION: q2\n' }, { text: 'ANSWER:' }] },
    ]);
    expect(ext['retrieval_augmented_generation']).toEqual({ answer: 'a2', message_id: 'message-1' });
  });

  it('should save nothing when the LLM answers an error', async () => {
    const memory = new FakeMemory();
    const ext = await ask(memory, new FakePredictor(() => dataAsMapAnswer({ error: { message: 'quota exceeded' } })), { llm_question: 'Q' });
    expect(ext['retrieval_augmented_generation']).toEqual({ error: 'quota exceeded' });
    expect(memory.saved).toEqual([]);
  });

  it.each([[0], [-2]])('should refuse message_size %d', async (size) => {
    await expect(ask(new FakeMemory(), openAiAnswer('x'), { llm_question: 'Q', message_size: size })).rejects.toMatchObject({
      status: 400,
      reason: 'message_size must be at least 1.',
    });
  });

  it('should fail the search when the memory cannot be read (missing or someone else\'s)', async () => {
    const memory = new FakeMemory();
    memory.recentTurns = async () => {
      throw Object.assign(new Error('denied'), { status: 403 });
    };
    const predictor = openAiAnswer('x');
    await expect(ask(memory, predictor, { llm_question: 'Q' })).rejects.toMatchObject({ status: 403 });
    expect(predictor.calls).toEqual([]);
  });
});
