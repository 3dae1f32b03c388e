import { describe, expect, it } from 'vitest';
import { mlInferenceResponseProcessor } from '../../../src/processors/search/ml-inference-response.js';
import { build, dataAsMapAnswer, echoPredictor, failingPredictor, FakePredictor, hitsOf, responseContext, searchResponse } from './helpers.js';

type Json = Record<string, unknown>;

const hits = [
  { _id: '1', _score: 3, _source: { text: 'I hate you', lang: 'en' } },
  { _id: '2', _score: 2, _source: { text: 'I love you', lang: 'en' } },
];

const run = async (options: Json, predictor: FakePredictor, pageHits: Json[] = hits, request: Json = { query: { match_all: {} } }) => {
  const context = responseContext(request, searchResponse(pageHits));
  await build(mlInferenceResponseProcessor, { model_id: 'm', ...options }, predictor).processResponse(context);
  return context.response;
};

/** An embedding model that takes `input` (a JSON list of texts) and answers one vector per text. */
const pageEmbedder = () =>
  new FakePredictor((_modelId, input) => {
    const texts = JSON.parse(input.kind === 'remote' ? (input.parameters['input'] ?? '[]') : '[]') as string[];
    return dataAsMapAnswer({ data: texts.map((text) => [text.length, 0]) });
  });

describe('ml_inference search response processor', () => {
  it('should make one prediction for the page and spread a list of one value per hit', async () => {
    const predictor = pageEmbedder();
    const response = await run({ input_map: [{ input: 'text' }], output_map: [{ text_embedding: 'data' }] }, predictor);
    expect(predictor.calls).toEqual([{ modelId: 'm', input: { kind: 'remote', parameters: { input: '["I hate you","I love you"]' } } }]);
    expect(hitsOf(response).map((hit) => hit['_source'])).toEqual([
      { text: 'I hate you', lang: 'en', text_embedding: [10, 0] },
      { text: 'I love you', lang: 'en', text_embedding: [10, 0] },
    ]);
  });

  it('should copy any other value to every hit, and write ext.ml_inference outputs to the response', async () => {
    const predictor = new FakePredictor(() => dataAsMapAnswer({ response: 'a summary', tags: ['x', 'y', 'z'] }));
    const response = await run(
      {
        model_config: { prompt: 'Summarise ${parameters.context.toString()}' },
        input_map: [{ context: 'text' }],
        output_map: [{ 'ext.ml_inference.llm_response': 'response', tags: 'tags' }],
      },
      predictor,
    );
    expect(predictor.calls[0]?.input).toEqual({
      kind: 'remote',
      parameters: { prompt: 'Summarise ${parameters.context.toString()}', context: '["I hate you","I love you"]' },
    });
    expect(response['ext']).toEqual({ ml_inference: { llm_response: 'a summary' } });
    expect(hitsOf(response).map((hit) => (hit['_source'] as Json)['tags'])).toEqual([['x', 'y', 'z'], ['x', 'y', 'z']]);
  });

  it('should predict once per hit with one_to_one, read _request paths, and keep the hits in score order', async () => {
    // The first hit's prediction finishes last.
    const predictor = new FakePredictor(async (_modelId, input) => {
      const parameters = input.kind === 'remote' ? input.parameters : {};
      if (parameters['text'] === 'I hate you') await new Promise((resolve) => setTimeout(resolve, 20));
      return dataAsMapAnswer({ score: parameters['text'] === 'I hate you' ? 0.1 : 0.9, seen: parameters });
    });
    const response = await run(
      {
        one_to_one: true,
        model_input: '{"parameters": {"text": "${input_map.text}", "text_pair": "${input_map.text_pair}"}}',
        input_map: [{ text: 'text', text_pair: '$._request.query.term.diary.value' }],
        output_map: [{ rank_score: '$.score' }],
      },
      predictor,
      hits,
      { query: { term: { diary: 'today' } } },
    );
    expect(predictor.calls.map((call) => call.input)).toEqual([
      { kind: 'remote', parameters: { text: 'I hate you', text_pair: 'today' } },
      { kind: 'remote', parameters: { text: 'I love you', text_pair: 'today' } },
    ]);
    expect(hitsOf(response).map((hit) => [hit['_id'], (hit['_source'] as Json)['rank_score']])).toEqual([
      ['1', 0.1],
      ['2', 0.9],
    ]);
  });

  it('should read _request. paths in the short form too', async () => {
    const predictor = echoPredictor();
    const response = await run({ input_map: [{ question: '_request.ext.query_context.query_text' }], output_map: [{ 'ext.ml_inference.sent': 'question' }] }, predictor, hits, {
      query: { match_all: {} },
      ext: { query_context: { query_text: 'why?' } },
    });
    expect(response['ext']).toEqual({ ml_inference: { sent: '["why?","why?"]' } });
  });

  it('should leave hits without _source alone and skip a page without hits', async () => {
    const predictor = pageEmbedder();
    const response = await run({ input_map: [{ input: 'text' }], output_map: [{ text_embedding: 'data' }] }, predictor, [{ _id: '0', _score: 9 }, ...hits]);
    expect(hitsOf(response)[0]).toEqual({ _id: '0', _score: 9 });
    expect(predictor.calls[0]?.input).toEqual({ kind: 'remote', parameters: { input: '["I hate you","I love you"]' } });
    const empty = pageEmbedder();
    await run({ input_map: [{ input: 'text' }] }, empty, []);
    expect(empty.calls).toEqual([]);
  });

  it('should fail on a hit missing an input, and leave it out with ignore_missing', async () => {
    const pageHits = [{ _id: '1', _source: { text: 'abc' } }, { _id: '2', _source: { other: 1 } }, { _id: '3', _source: { text: 'de' } }];
    const options = { input_map: [{ input: 'text' }], output_map: [{ text_embedding: 'data' }] };
    await expect(run(options, pageEmbedder(), pageHits)).rejects.toMatchObject({
      status: 400,
      reason: expect.stringContaining('cannot find all required input fields: [text] in hit:{"_id":"2"'),
    });
    const response = await run({ ...options, ignore_missing: true }, pageEmbedder(), pageHits);
    expect(hitsOf(response).map((hit) => (hit['_source'] as Json)['text_embedding'])).toEqual([[3, 0], undefined, [2, 0]]);
  });

  it.each<[boolean, string]>([
    [false, 'I hate you'],
    [true, 'NEW'],
  ])('should overwrite an existing _source field only with override (override: %s)', async (override, expected) => {
    const predictor = new FakePredictor(() => dataAsMapAnswer({ out: 'NEW' }));
    const response = await run({ override, input_map: [{ input: 'lang' }], output_map: [{ text: 'out' }] }, predictor);
    expect((hitsOf(response)[0]?.['_source'] as Json)['text']).toBe(expected);
  });

  it('should send every _source field and write inference_results without mappings', async () => {
    const predictor = echoPredictor();
    const response = await run({}, predictor, [hits[0]!]);
    expect(predictor.calls[0]?.input).toEqual({ kind: 'remote', parameters: { text: '["I hate you"]', lang: '["en"]' } });
    expect((hitsOf(response)[0]?.['_source'] as Json)['inference_results']).toEqual({ text: '["I hate you"]', lang: '["en"]' });
  });

  it('should keep a model failure status', async () => {
    await expect(run({ one_to_one: true, input_map: [{ input: 'text' }] }, failingPredictor(503, 'Error from remote service: busy'))).rejects.toMatchObject({
      status: 503,
      reason: 'Error from remote service: busy',
    });
  });

  it.each<[string, Json, string]>([
    ['ext outputs with one_to_one', { one_to_one: true, input_map: [{ a: 'text' }], output_map: [{ 'ext.ml_inference.x': 'y' }] }, 'Write model response to search extension is not supported when one_to_one is true'],
    [
      'mappings of different lengths',
      { input_map: [{ a: 'text' }], output_map: [{ b: 'c' }, { d: 'e' }] },
      'when output_maps and input_maps are provided, their length needs to match. The input_maps is in length of 1, while output_maps is in the length of 2. Please adjust mappings.',
    ],
    [
      'more predictions than max_prediction_tasks',
      { max_prediction_tasks: 1, input_map: [{ a: 'text' }, { b: 'text' }] },
      'The number of prediction task setting in this process is 2. It exceeds the max_prediction_tasks of 1. Please reduce the size of input_map or increase max_prediction_tasks.',
    ],
    ['a local function', { function_name: 'sparse_encoding' }, '[function_name] only remote models are supported, not [sparse_encoding]'],
    ['an unknown option', { query_template: '{}' }, "processor [ml_inference] doesn't support one or more provided configuration parameters: [query_template]"],
  ])('should refuse %s', (_name, options, reason) => {
    expect(() => build(mlInferenceResponseProcessor, { model_id: 'm', ...options })).toThrow(expect.objectContaining({ status: 400, reason }));
  });
});
