/**
 * Conversational RAG end to end: a memory, a search pipeline with the RAG processor, and three
 * questions. Each prompt the provider receives carries the earlier turns; each turn is saved in
 * the memory with its search results, and its id is answered as `message_id`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { openAiChatEmulatorConnector } from '../helpers/emulator-connectors.js';
import { buildTestApp, errorReason, type TestApp } from '../helpers/test-app.js';

let emulator: Emulator;
let test: TestApp;
let modelId: string;

beforeAll(async () => {
  emulator = await startEmulator();
  test = await buildTestApp();
  await test.call('PUT', '/_cluster/settings', EMULATOR_SETTINGS);
  const connector = (await test.call('POST', '/_plugins/_ml/connectors/_create', openAiChatEmulatorConnector(emulator.url))).body.connector_id;
  modelId = (await test.call('POST', '/_plugins/_ml/models/_register?deploy=true', { name: 'chat', function_name: 'remote', connector_id: connector })).body.model_id;
  await test.call('PUT', '/_search/pipeline/rag', {
    response_processors: [{ retrieval_augmented_generation: { model_id: modelId, context_field_list: ['text'], llm_model: 'gpt-4o' } }],
  });
});
afterAll(async () => emulator.close());

const searchResponse = {
  took: 1,
  timed_out: false,
  hits: { total: { value: 1, relation: 'eq' }, max_score: 1, hits: [{ _index: 'docs', _id: '1', _score: 1, _source: { text: 'Paris is the capital of France.' } }] },
};

const ask = (question: string, generative: Record<string, unknown>) =>
  test.call('POST', '/_search/pipeline/rag/_simulate', {
    request: { query: { match: { text: question } }, ext: { generative_qa_parameters: { llm_question: question, ...generative } } },
    response: searchResponse,
  });

describe('conversational RAG', () => {
  it('should send each question with the conversation so far and remember every turn', async () => {
    const memory = (await test.call('POST', '/_plugins/_ml/memory', { name: 'France' })).body.memory_id;
    const questions = ['What is the capital of France?', 'How big is it?', 'What river crosses it?'];
    const answered: Array<{ answer: string; message_id: string }> = [];
    emulator.clearRequests();
    for (const question of questions) {
      const response = await ask(question, { memory_id: memory });
      expect(response.status).toBe(200);
      answered.push(response.body.response.ext.retrieval_augmented_generation);
    }
    const prompts = emulator.requests.map((request) => (request.body as { messages: Array<{ role: string; content: Array<{ text: string }> }> }).messages);
    expect(prompts.map((messages) => messages.map((message) => message.role))).toEqual([
      ['user'],
      ['user', 'assistant', 'user'],
      ['user', 'assistant', 'user', 'assistant', 'user'],
    ]);
    const third = prompts[2]!;
    expect(third[0]!.content.at(-1)!.text).toBe(questions[0]);
    expect(third[1]!.content[0]!.text).toBe(answered[0]!.answer);
    expect(third[2]!.content[0]!.text).toBe(questions[1]);
    expect(third[3]!.content[0]!.text).toBe(answered[1]!.answer);
    expect(third[4]!.content.map((content) => content.text)).toEqual([`QUESTION: ${questions[2]}\n`, 'ANSWER:']);

    const messages = (await test.call('GET', `/_plugins/_ml/memory/${memory}/messages`)).body.messages;
    expect(messages.map((message: any) => [message.message_id, message.input, message.response])).toEqual(
      answered.map((turn, index) => [turn.message_id, questions[index], turn.answer]),
    );
    expect(messages[0]).toMatchObject({
      origin: 'retrieval_augmented_generation',
      prompt_template: '[]',
      additional_info: { metadata: '["Paris is the capital of France."]' },
    });
  });

  it('should refuse a memory that does not exist and save nothing without one', async () => {
    const missing = await ask('Q', { memory_id: 'no-such-memory' });
    expect(missing.status).toBe(404);
    expect(errorReason(missing.body)).toBe('Conversation [no-such-memory] not found');
    const plain = await ask('Q', {});
    expect(plain.body.response.ext.retrieval_augmented_generation).not.toHaveProperty('message_id');
  });
});
