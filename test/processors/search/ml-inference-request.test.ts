import { describe, expect, it } from 'vitest';
import { mlInferenceRequestProcessor } from '../../../src/processors/search/ml-inference-request.js';
import { build, dataAsMapAnswer, embeddingAnswer, failingPredictor, FakePredictor, requestContext } from './helpers.js';

type Json = Record<string, unknown>;

/** A sentiment model: answers `{label, score}` and records what it was sent. */
const sentimentModel = () =>
  new FakePredictor((_modelId, input) => {
    if (input.kind !== 'remote') throw new Error('remote input expected');
    const text = input.parameters['inputs'] ?? '';
    return dataAsMapAnswer({ label: text.includes('happy') ? 'POSITIVE' : 'NEGATIVE', score: '0.948', echo: input.parameters });
  });

const processor = (options: Json, predictor: FakePredictor = sentimentModel()) =>
  ({ predictor, processor: build(mlInferenceRequestProcessor, { model_id: 'model-1', ...options }, predictor) });

const TERM_REWRITE = { input_map: [{ inputs: 'query.term.label.value' }], output_map: [{ 'query.term.label.value': 'label' }] };

describe('ml_inference search request processor', () => {
  it.each<[string, Json]>([
    ['the long form', { query: { term: { label: { value: 'happy moments', boost: 1 } } } }],
    ['the short form the user sent', { query: { term: { label: 'happy moments' } } }],
  ])('should rewrite a term value given in %s (the documented example)', async (_name, body) => {
    const { predictor, processor: requestProcessor } = processor(TERM_REWRITE);
    const context = requestContext(body);
    await requestProcessor.processRequest(context);
    expect(predictor.calls).toEqual([{ modelId: 'model-1', input: { kind: 'remote', parameters: { inputs: 'happy moments' } } }]);
    expect(context.body).toEqual({ query: { term: { label: { value: 'POSITIVE', boost: 1 } } } });
    expect(context.attributes.get('query.term.label.value')).toBe('POSITIVE');
  });

  it('should apply every mapping cumulatively (ML Commons keeps only one)', async () => {
    const { predictor, processor: requestProcessor } = processor({
      input_map: [{ inputs: 'query.bool.must[0].term.a.value' }, { inputs: 'query.bool.must[1].term.b.value' }],
      output_map: [{ 'query.bool.must[0].term.a.value': 'label' }, { 'query.bool.must[1].term.b.value': 'label' }],
    });
    const context = requestContext({ query: { bool: { must: [{ term: { a: 'happy' } }, { term: { b: 'sad' } }] } } });
    await requestProcessor.processRequest(context);
    expect(predictor.calls).toHaveLength(2);
    const must = (context.body['query'] as { bool: { must: Json[] } }).bool.must;
    expect(must).toEqual([{ term: { a: { value: 'POSITIVE', boost: 1 } } }, { term: { b: { value: 'NEGATIVE', boost: 1 } } }]);
  });

  it('should build a new body from query_template, substituting the model output', async () => {
    const predictor = new FakePredictor(() => dataAsMapAnswer({ data: [0.5, -1.25] }));
    const { processor: requestProcessor } = processor(
      {
        query_template: '{"size": 2, "query": {"knn": {"emb": {"vector": ${vector}, "k": 5}}}, "ext": {"label": "${label_text}"}}',
        input_map: [{ inputs: 'query.match.text.query' }, { inputs: 'query.match.text.query' }],
        output_map: [{ vector: 'data' }, { label_text: '$.data[0]' }],
      },
      predictor,
    );
    const context = requestContext({ query: { match: { text: 'sunny day' } } });
    await requestProcessor.processRequest(context);
    expect(context.body).toEqual({ size: 2, query: { knn: { emb: { vector: [0.5, -1.25], k: 5 } } }, ext: { label: '0.5' } });
    expect(context.attributes.get('vector')).toEqual([0.5, -1.25]);
  });

  it('should refuse a query_template that does not render JSON', async () => {
    const predictor = new FakePredictor(() => dataAsMapAnswer({ word: 'plain' }));
    const { processor: requestProcessor } = processor({ query_template: '{"query": ${word}}', input_map: [{ inputs: 'query.term.a.value' }], output_map: [{ word: 'word' }] }, predictor);
    await expect(requestProcessor.processRequest(requestContext({ query: { term: { a: 'x' } } }))).rejects.toMatchObject({ status: 400, type: 'json_parse_exception' });
  });

  it('should read ext.ml_inference inputs, create ext outputs, and store ext parameters as attributes', async () => {
    const { predictor, processor: requestProcessor } = processor({
      input_map: [{ inputs: 'ext.ml_inference.question' }],
      output_map: [{ 'ext.ml_inference.sentiment': 'label', 'ext.rewritten.score': 'score' }],
    });
    const context = requestContext({ query: { match_all: {} }, ext: { ml_inference: { question: 'so happy' }, generative_qa_parameters: { llm_question: 'q' } } });
    await requestProcessor.processRequest(context);
    expect(predictor.calls[0]?.input).toEqual({ kind: 'remote', parameters: { inputs: 'so happy' } });
    expect(context.body['ext']).toEqual({ ml_inference: { question: 'so happy', sentiment: 'POSITIVE' }, generative_qa_parameters: { llm_question: 'q' }, rewritten: { score: '0.948' } });
    expect(context.attributes.get('ext.ml_inference.question')).toBe('so happy');
    expect(context.attributes.get('ext.generative_qa_parameters.llm_question')).toBe('q');
    expect(context.attributes.get('ext.ml_inference.sentiment')).toBe('POSITIVE');
  });

  it('should merge model_config under the inputs and substitute a custom model_input', async () => {
    const predictor = new FakePredictor((_modelId, input) => dataAsMapAnswer({ echo: input.kind === 'remote' ? input.parameters : {} }));
    const { processor: requestProcessor } = processor(
      {
        model_config: { temperature: 0.2, inputs: 'overridden', tags: ['a'] },
        model_input: '{"parameters": {"prompt": "${model_config.temperature}/${input_map.text}", "all": ${ml_inference.parameters}}}',
        input_map: [{ text: 'query.term.a.value', inputs: 'query.term.a.value' }],
        output_map: [{ 'ext.sent': 'echo' }],
      },
      predictor,
    );
    const context = requestContext({ query: { term: { a: 'hi' } } });
    await requestProcessor.processRequest(context);
    expect(predictor.calls[0]?.input).toEqual({
      kind: 'remote',
      parameters: {
        prompt: '0.2/hi',
        all: JSON.stringify({ temperature: '0.2', inputs: 'hi', tags: '["a"]', text: 'hi' }),
      },
    });
  });

  it('should read the whole answer with full_response_path', async () => {
    const { processor: requestProcessor } = processor({
      full_response_path: true,
      input_map: [{ inputs: 'query.term.label.value' }],
      output_map: [{ 'query.term.label.value': '$.inference_results[0].output[0].dataAsMap.label' }],
    });
    const context = requestContext({ query: { term: { label: 'happy' } } });
    await requestProcessor.processRequest(context);
    expect(context.body).toEqual({ query: { term: { label: { value: 'POSITIVE', boost: 1 } } } });
  });

  it.each<[string, Json, Json, string]>([
    ['an input path', TERM_REWRITE, { query: { term: { other: 'x' } } }, 'cannot find field: query.term.label.value in query string: '],
    ['a query output path', { input_map: [{ inputs: 'query.term.a.value' }], output_map: [{ 'query.term.b.value': 'label' }] }, { query: { term: { a: 'x' } } }, 'cannot find field: query.term.b.value in query string: '],
  ])('should fail on a missing %s, and skip the processor with ignore_missing', async (_name, mappings, body, reason) => {
    const failing = processor(mappings);
    await expect(failing.processor.processRequest(requestContext(body))).rejects.toMatchObject({ status: 400, reason: expect.stringContaining(reason) });
    const ignoring = processor({ ...mappings, ignore_missing: true });
    const context = requestContext(body);
    await ignoring.processor.processRequest(context);
    expect(context.body).toEqual(body);
    expect(ignoring.predictor.calls).toEqual([]);
  });

  it('should skip a missing optional input', async () => {
    const { predictor, processor: requestProcessor } = processor({
      input_map: [{ inputs: 'query.term.a.value' }],
      optional_input_map: [{ extra: 'ext.ml_inference.absent' }],
      output_map: [{ 'ext.label': 'label' }],
    });
    await requestProcessor.processRequest(requestContext({ query: { term: { a: 'happy' } } }));
    expect(predictor.calls[0]?.input).toEqual({ kind: 'remote', parameters: { inputs: 'happy' } });
  });

  it('should fail on a missing output field, and write the whole output with ignore_missing', async () => {
    const mappings = { input_map: [{ inputs: 'query.term.a.value' }], output_map: [{ 'ext.out': 'nope' }] };
    await expect(processor(mappings).processor.processRequest(requestContext({ query: { term: { a: 'x' } } }))).rejects.toMatchObject({
      reason: 'model inference output cannot find field name: nope',
    });
    const context = requestContext({ query: { term: { a: 'x' } } });
    await processor({ ...mappings, ignore_missing: true }).processor.processRequest(context);
    expect(context.body['ext']).toEqual({ out: { label: 'NEGATIVE', score: '0.948', echo: { inputs: 'x' } } });
  });

  it('should give an embedding tensor without dataAsMap as its data', async () => {
    const predictor = new FakePredictor(() => embeddingAnswer([1, 2]));
    const { processor: requestProcessor } = processor({ input_map: [{ inputs: 'query.term.a.value' }], output_map: [{ 'ext.vector': 'ignored' }] }, predictor);
    const context = requestContext({ query: { term: { a: 'x' } } });
    await requestProcessor.processRequest(context);
    expect(context.body['ext']).toEqual({ vector: [1, 2] });
  });

  it('should keep a model failure status', async () => {
    const { processor: requestProcessor } = processor(TERM_REWRITE, failingPredictor(401, 'Error from remote service: unauthorized'));
    await expect(requestProcessor.processRequest(requestContext({ query: { term: { label: 'x' } } }))).rejects.toMatchObject({
      status: 401,
      reason: 'Error from remote service: unauthorized',
    });
  });

  it('should refuse a model_input that is not JSON after substitution', async () => {
    const { processor: requestProcessor } = processor({ ...TERM_REWRITE, model_input: '{"parameters": ${input_map.inputs}}' });
    await expect(requestProcessor.processRequest(requestContext({ query: { term: { label: 'two words' } } }))).rejects.toMatchObject({
      reason: 'Invalid payload: {"parameters": two words}',
    });
  });

  it.each<[string, Json, Json]>([
    ['no model_id', { model_id: undefined }, { type: 'parse_exception', reason: '[model_id] required property is missing' }],
    ['no input_map', { input_map: [] }, { type: 'illegal_argument_exception', reason: 'Please provide at least one non-empty input_map or optional_input_map for ML Inference Search Request Processor' }],
    ['no output_map', { output_map: undefined }, { type: 'illegal_argument_exception', reason: 'Please provide at least one non-empty output_map or optional_output_map for ML Inference Search Request Processor' }],
    ['a local function', { function_name: 'text_embedding' }, { type: 'parse_exception', reason: '[function_name] only remote models are supported, not [text_embedding]' }],
    [
      'more predictions than max_prediction_tasks',
      { max_prediction_tasks: 0 },
      { reason: 'The number of prediction task setting in this process is 1. It exceeds the max_prediction_tasks of 0. Please reduce the size of input_map or optional_input_map or increase max_prediction_tasks.' },
    ],
    [
      'mappings of different lengths',
      { output_map: [{ a: 'b' }, { c: 'd' }] },
      { reason: 'when output_maps/optional_output_maps and input_maps/optional_input_maps are provided, their length needs to match. The input is in length of 1, while output_maps is in the length of 2. Please adjust mappings.' },
    ],
    ['a non-string mapping value', { input_map: [{ inputs: 3 }] }, { type: 'parse_exception', reason: "[input_map.0.inputs] property isn't a string, but of type [java.lang.Integer]" }],
  ])('should refuse %s', (_name, override, error) => {
    const options = { model_id: 'm', ...TERM_REWRITE, ...override } as Json;
    for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
    expect(() => build(mlInferenceRequestProcessor, options)).toThrow(expect.objectContaining({ status: 400, ...error }));
  });

  it('should accept REMOTE in any case', () => {
    expect(() => build(mlInferenceRequestProcessor, { model_id: 'm', function_name: 'REMOTE', ...TERM_REWRITE })).not.toThrow();
  });
});
