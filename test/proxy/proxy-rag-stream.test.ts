/**
 * A search through the proxy with the RAG processor and `generative_qa_parameters.stream: true`:
 * the search response comes first, then the answer as the LLM produces it, then the ext section
 * (with the memory's new `message_id`), then ML Commons' last frame.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { preciseNow } from '../../fixtures/emulator/request-log.js';
import { openAiChatEmulatorConnector } from '../helpers/emulator-connectors.js';
import { ndjson, send, startProxySetup, type ProxySetup } from '../helpers/proxy-setup.js';
import { answerOf, framesOf } from '../helpers/streaming-connectors.js';

let setup: ProxySetup;

beforeAll(async () => {
  setup = await startProxySetup();
  await setup.test.services.settings.update({ persistent: { 'plugins.ml_commons.stream_enabled': true } });
  const connector = await setup.test.services.connectors.create(openAiChatEmulatorConnector(setup.emulator.url), undefined);
  const chat = await setup.test.services.models.register({ name: 'chat', function_name: 'remote', connector_id: connector.connector_id }, { deploy: true, caller: undefined });
  await send(setup.test, 'PUT', '/_search/pipeline/rag', {
    response_processors: [{ retrieval_augmented_generation: { model_id: chat.model_id, context_field_list: ['text'], llm_model: 'gpt-4o' } }],
  });
  await send(setup.test, 'PUT', '/notes', { mappings: { properties: { text: { type: 'text' } } } });
  const lines = ['Paris is the capital of France.', 'The Seine flows through Paris.'].flatMap((text, id) => [{ index: { _id: String(id) } }, { text }]);
  expect((await send(setup.test, 'POST', '/notes/_bulk?refresh=true', ndjson(...lines))).body.errors).toBe(false);
});
afterAll(async () => setup.close());
afterEach(() => {
  setup.emulator.clearFaults();
  setup.emulator.setStreamDelay(0);
});

const search = (question: string, generative: Record<string, unknown>) =>
  setup.test.app.request('/notes/_search?search_pipeline=rag', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: { match: { text: 'Paris' } }, ext: { generative_qa_parameters: { llm_question: question, ...generative } } }),
  });

describe('streamed RAG search', () => {
  it('should stream the hits, then the answer, then the ext section with the saved turn', async () => {
    const memory = (await send(setup.test, 'POST', '/_plugins/_ml/memory', { name: 'Paris' })).body.memory_id;
    const response = await search('What is the capital of France?', { memory_id: memory, stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const frames = framesOf(await response.text()) as Array<Record<string, any>>;
    expect(frames[0]!['hits']['hits'].map((hit: any) => hit._id).sort()).toEqual(['0', '1']);
    expect(frames[0]!['ext']).toBeUndefined();
    const answer = answerOf(frames.slice(1));
    expect(answer).toMatch(/^Emulated reply to: /);
    const ext = frames.at(-2)!['ext']['retrieval_augmented_generation'];
    expect(ext).toEqual({ answer, message_id: expect.any(String) });
    expect(frames.at(-1)).toEqual({ inference_results: [{ output: [{ name: 'response', dataAsMap: { content: '', is_last: true } }] }] });
    const saved = (await send(setup.test, 'GET', `/_plugins/_ml/memory/message/${ext.message_id}`)).body;
    expect(saved).toMatchObject({ memory_id: memory, input: 'What is the capital of France?', response: answer, origin: 'retrieval_augmented_generation' });
    expect(JSON.parse(setup.cluster.requests.at(-1)!.body).ext).toBeUndefined();

    await (await search('And its river?', { memory_id: memory, stream: true })).text();
    const prompt = (setup.emulator.requests.at(-1)!.body as { messages: Array<{ role: string }>; stream: boolean });
    expect(prompt.stream).toBe(true);
    expect(prompt.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('should send the hits before the LLM has finished its answer', async () => {
    setup.emulator.setStreamDelay(25);
    const started = preciseNow();
    const response = await search('Tell me about Paris __emulator_tokens_40__', { stream: true });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let hitsAt: number | undefined;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += decoder.decode(chunk.value, { stream: true });
      hitsAt ??= text.includes('"hits"') ? preciseNow() : undefined;
    }
    const total = preciseNow() - started;
    expect(total).toBeGreaterThan(1_000);
    expect(hitsAt! - started).toBeLessThan(total / 5);
    expect(answerOf(framesOf(text).slice(1))).toContain(' token40');
  });

  it('should end with an error frame, and save nothing, when the LLM fails mid-answer', async () => {
    const memory = (await send(setup.test, 'POST', '/_plugins/_ml/memory', { name: 'failing' })).body.memory_id;
    setup.emulator.addFault({ effect: 'stream_error', afterFrames: 3, match: { path: 'chat' } });
    const frames = framesOf(await (await search('Q', { memory_id: memory, stream: true })).text());
    expect(frames.at(-1)?.error).toMatch(/^Error from remote service: /);
    expect((await send(setup.test, 'GET', `/_plugins/_ml/memory/${memory}/messages`)).body.messages).toEqual([]);
  });

  it('should answer one JSON body without stream: true', async () => {
    const response = await send(setup.test, 'POST', '/notes/_search?search_pipeline=rag', {
      query: { match: { text: 'Paris' } },
      ext: { generative_qa_parameters: { llm_question: 'Q', stream: false } },
    });
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.body.ext.retrieval_augmented_generation.answer).toMatch(/^Emulated reply to: /);
  });
});
