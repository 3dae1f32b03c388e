import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SYSTEM_PROMPT } from '../../../src/processors/search/rag-prompts.js';
import { retrievalAugmentedGenerationProcessor } from '../../../src/processors/search/retrieval-augmented-generation.js';
import { build, dataAsMapAnswer, failingPredictor, FakePredictor, responseContext, searchResponse } from './helpers.js';

type Json = Record<string, unknown>;

const hits = [
  { _id: '1', _score: 2, _source: { text: 'Paris is in France.', year: 1900 } },
  { _id: '2', _score: 1, _source: { text: 'Lyon is in France.', year: [1, 2] } },
];

/** An LLM that answers, in its provider's format, the parameters it was sent (as JSON). */
const llm = (format: (echo: string) => Json) =>
  new FakePredictor((_modelId, input) => dataAsMapAnswer(format(JSON.stringify(input.kind === 'remote' ? input.parameters : {}))));

const openAi = () => llm((echo) => ({ choices: [{ message: { role: 'assistant', content: echo } }] }));

const run = async (config: Json, generative: Json, predictor: FakePredictor, pageHits: Json[] = hits) => {
  const context = responseContext({ query: { match_all: {} }, ext: { generative_qa_parameters: generative } }, searchResponse(pageHits));
  await build(retrievalAugmentedGenerationProcessor, { model_id: 'llm', context_field_list: ['text'], ...config }, predictor).processResponse(context);
  return context.response;
};

const sentParameters = (predictor: FakePredictor) => {
  const input = predictor.calls[0]?.input;
  return input?.kind === 'remote' ? input.parameters : undefined;
};

const openAiText = (text: string) => ({ type: 'text', text });

describe('retrieval_augmented_generation', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('should ask OpenAI with the default prompt as instructions and answer in ext', async () => {
    const predictor = openAi();
    const response = await run({}, { llm_question: 'Where is Paris?', llm_model: 'gpt-4o' }, predictor);
    const messages = JSON.stringify([
      {
        role: 'user',
        content: [
          openAiText(DEFAULT_SYSTEM_PROMPT),
          openAiText('SEARCH RESULT 1: Paris is in France.'),
          openAiText('SEARCH RESULT 2: Lyon is in France.'),
          openAiText('QUESTION: Where is Paris?\n'),
          openAiText('ANSWER:'),
        ],
      },
    ]);
    expect(sentParameters(predictor)).toEqual({ model: 'gpt-4o', messages });
    expect(predictor.calls[0]?.modelId).toBe('llm');
    expect(response['ext']).toEqual({ retrieval_augmented_generation: { answer: JSON.stringify({ model: 'gpt-4o', messages }) } });
    expect(response['hits']).toEqual(searchResponse(hits)['hits']);
  });

  it('should put the system prompt in its own message and the instructions first in the user message', async () => {
    const predictor = openAi();
    await run({ system_prompt: 'Be brief.', user_instructions: 'Use the results.', llm_model: 'gpt-4o-mini' }, { llm_question: 'Q', context_size: 1 }, predictor);
    expect(JSON.parse(sentParameters(predictor)?.['messages'] ?? '')).toEqual([
      { role: 'system', content: [openAiText('Be brief.')] },
      { role: 'user', content: [openAiText('Use the results.'), openAiText('SEARCH RESULT 1: Paris is in France.'), openAiText('QUESTION: Q\n'), openAiText('ANSWER:')] },
    ]);
  });

  it('should let the request override the prompts and print non-string context values as Java does', async () => {
    const predictor = llm((echo) => ({ completion: echo }));
    await run(
      { system_prompt: 'config system', context_field_list: ['year'] },
      { llm_question: 'Q', llm_model: 'bedrock/anthropic.claude-v2', system_prompt: 'request system', user_instructions: 'request instructions' },
      predictor,
    );
    expect(sentParameters(predictor)).toEqual({ inputs: 'request system\\nrequest instructions\\nSEARCH RESULT 1: 1900\\nSEARCH RESULT 2: [1, 2]\\nQUESTION: Q\\n' });
  });

  it.each<[string, string, Json, (echo: string) => Json, (parameters: Record<string, string>) => void]>([
    [
      'bedrock/ (legacy completion)',
      'bedrock/anthropic.claude-v2',
      {},
      (echo) => ({ completion: echo }),
      (parameters) => expect(parameters).toEqual({ inputs: `${DEFAULT_SYSTEM_PROMPT}\\nSEARCH RESULT 1: Paris is in France.\\nSEARCH RESULT 2: Lyon is in France.\\nQUESTION: Q\\n` }),
    ],
    [
      'bedrock/ (content blocks)',
      'bedrock/anthropic.claude-3',
      { user_instructions: 'Answer.' },
      (echo) => ({ content: [{ type: 'text', text: echo }] }),
      (parameters) => expect(parameters).toEqual({ inputs: 'Answer.\\nSEARCH RESULT 1: Paris is in France.\\nSEARCH RESULT 2: Lyon is in France.\\nQUESTION: Q\\n' }),
    ],
    [
      'cohere/',
      'cohere/command',
      { system_prompt: 'S' },
      (echo) => ({ text: echo }),
      (parameters) => expect(parameters).toEqual({ inputs: 'S\\nSEARCH RESULT 1: Paris is in France.\\nSEARCH RESULT 2: Lyon is in France.\\nQUESTION: Q\\n' }),
    ],
    [
      'bedrock-converse/ (system prompt left to the connector)',
      'bedrock-converse/anthropic.claude-3-sonnet',
      { system_prompt: 'S', user_instructions: 'I' },
      (echo) => ({ output: { message: { role: 'assistant', content: [{ text: echo }] } } }),
      (parameters) =>
        expect(JSON.parse(parameters['messages'] ?? '')).toEqual([
          { role: 'user', content: [{ text: 'I' }, { text: 'SEARCH RESULT 1: Paris is in France.' }, { text: 'SEARCH RESULT 2: Lyon is in France.' }, { text: 'QUESTION: Q\n' }, { text: 'ANSWER:' }] },
        ]),
    ],
  ])('should build the %s prompt and read its answer', async (_name, llmModel, config, format, check) => {
    const predictor = llm(format);
    const response = await run(config, { llm_question: 'Q', llm_model: llmModel }, predictor);
    const parameters = sentParameters(predictor) ?? {};
    check(parameters);
    expect(response['ext']).toEqual({ retrieval_augmented_generation: { answer: JSON.stringify(parameters) } });
  });

  it('should send a single-string prompt and read the llm_response_field', async () => {
    const predictor = llm((echo) => ({ generated: echo, choices: 'ignored' }));
    const response = await run({ llm_model: 'gpt-4o' }, { llm_question: 'Q', llm_response_field: 'generated' }, predictor);
    expect(Object.keys(sentParameters(predictor) ?? {})).toEqual(['inputs']);
    expect((response['ext'] as Json)['retrieval_augmented_generation']).toEqual({ answer: JSON.stringify(sentParameters(predictor)) });
  });

  it.each<[string, string, Json, string]>([
    ['an OpenAI error', 'gpt-4o', { error: { message: 'quota exceeded', type: 'insufficient_quota' } }, 'quota exceeded'],
    ['a Cohere answer without text', 'cohere/command', { message: 'odd' }, 'Unknown error or response.'],
    ['a Bedrock Converse error', 'bedrock-converse/x', { output: { error: { message: 'throttled' } } }, 'throttled'],
    ['a Bedrock answer of neither format', 'bedrock/x', { foo: 1 }, 'Unsupported Bedrock response format: [foo]'],
  ])('should report %s in ext with the search still answered', async (_name, llmModel, dataAsMap, error) => {
    const response = await run({}, { llm_question: 'Q', llm_model: llmModel }, new FakePredictor(() => dataAsMapAnswer(dataAsMap)));
    expect(response['ext']).toEqual({ retrieval_augmented_generation: { error } });
    expect(response['hits']).toEqual(searchResponse(hits)['hits']);
  });

  it('should keep other ext sections and use the config llm_model', async () => {
    const predictor = openAi();
    const context = responseContext(
      { ext: { generative_qa_parameters: { llm_question: 'Q' } } },
      { ...searchResponse(hits), ext: { ml_inference: { x: 1 } } },
    );
    await build(retrievalAugmentedGenerationProcessor, { model_id: 'llm', context_field_list: ['text'], llm_model: 'gpt-x' }, predictor).processResponse(context);
    expect(sentParameters(predictor)?.['model']).toBe('gpt-x');
    expect(Object.keys(context.response['ext'] as Json)).toEqual(['ml_inference', 'retrieval_augmented_generation']);
    expect((context.response['ext'] as Json)['retrieval_augmented_generation']).not.toHaveProperty('message_id');
  });

  it.each<[number | undefined, number]>([
    [undefined, 30_000],
    [2, 2_000],
  ])('should answer with an error when the LLM takes longer than the timeout (%s s)', async (timeout, milliseconds) => {
    vi.useFakeTimers();
    const predictor = new FakePredictor(() => new Promise(() => undefined));
    const outcome = run({}, { llm_question: 'Q', llm_model: 'gpt-4o', ...(timeout === undefined ? {} : { timeout }) }, predictor);
    let settled = false;
    void outcome.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(milliseconds - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const response = await outcome;
    expect(response['ext']).toEqual({ retrieval_augmented_generation: { error: `The LLM did not answer within the ${milliseconds / 1000} second timeout.` } });
  });

  it('should fail the search when the model call fails, with its status', async () => {
    await expect(run({}, { llm_question: 'Q', llm_model: 'gpt-4o' }, failingPredictor(429, 'Request is throttled at model level.'))).rejects.toMatchObject({
      status: 429,
      reason: 'Request is throttled at model level.',
    });
  });

  it('should fail when a used hit lacks a context field, but only look at context_size hits', async () => {
    const partial = [hits[0]!, { _id: '3', _source: { other: 1 } }];
    await expect(run({}, { llm_question: 'Q', llm_model: 'gpt-4o' }, openAi(), partial)).rejects.toMatchObject({
      status: 500,
      type: 'runtime_exception',
      reason: expect.stringMatching(/^Context text not found in search hit \{"_id":"3"/),
    });
    await expect(run({}, { llm_question: 'Q', llm_model: 'gpt-4o', context_size: 1 }, openAi(), partial)).resolves.toBeDefined();
  });

  it.each<[string, Json, Json, string]>([
    ['no llm_question', {}, { llm_model: 'gpt-4o' }, 'At least one of llm_question or llm_messages must be provided.'],
    ['no llm_model anywhere', {}, { llm_question: 'Q' }, 'llm_model cannot be null.'],
    ['a blank memory_id', {}, { llm_question: 'Q', llm_model: 'gpt-4o', memory_id: ' ' }, 'Empty conversation_id is not allowed.'],
  ])('should refuse a request with %s', async (_name, config, generative, reason) => {
    const predictor = openAi();
    await expect(run(config, generative, predictor)).rejects.toMatchObject({ status: 400, type: 'illegal_argument_exception', reason });
    expect(predictor.calls).toEqual([]);
  });

  it.each<[string, Json, string]>([
    ['an empty context_field_list', { model_id: 'm', context_field_list: [] }, "[context_field_list] required property can't be empty."],
    ['no context_field_list', { model_id: 'm' }, '[context_field_list] required property is missing'],
    ['no model_id', { context_field_list: ['a'] }, '[model_id] required property is missing'],
    ['a context field that is not a string', { model_id: 'm', context_field_list: [1] }, "[context_field_list.0] property isn't a string, but of type [java.lang.Integer]"],
  ])('should refuse %s', (_name, options, reason) => {
    expect(() => build(retrievalAugmentedGenerationProcessor, options)).toThrow(expect.objectContaining({ status: 400, type: 'parse_exception', reason }));
  });
});
