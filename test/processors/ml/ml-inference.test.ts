import { describe, expect, it } from 'vitest';
import type { ModelTensor } from '../../../src/connectors/functions/types.js';
import type { ModelTensors } from '../../../src/connectors/invoke/invoke-connector.js';
import { statusException } from '../../../src/errors/opensearch-error.js';
import { mlInferenceIngestProcessor } from '../../../src/processors/ml/ml-inference-ingest.js';
import type { ModelPredictor } from '../../../src/processors/processor-definition.js';
import {
  buildProcessor,
  caught,
  FakePredictor,
  makeDocument,
  vectorFor,
} from './fake-predictor.js';

/** A remote embedding model: `{"data": vector}` for the `input` parameter, as an ML Commons remote model answers. */
const embeddingModel = (options: { delayMs?: number } = {}) =>
  new FakePredictor({
    ...options,
    remote: (parameters) => [
      {
        output: [{ name: 'response', dataAsMap: { data: vectorFor(parameters['input'] ?? '') } }],
        status_code: 200,
      },
    ],
  });

const answering = (tensors: ModelTensor[]) =>
  new FakePredictor({ remote: (): ModelTensors[] => [{ output: tensors, status_code: 200 }] });

const parametersOf = (predictor: FakePredictor) =>
  predictor.calls.map(({ input }) => (input.kind === 'remote' ? input.parameters : undefined));

async function run(
  config: Record<string, unknown>,
  source: Record<string, unknown>,
  predictor: FakePredictor = embeddingModel(),
) {
  const document = makeDocument(source);
  await buildProcessor(
    mlInferenceIngestProcessor,
    { model_id: 'remote-1', ...config },
    predictor,
  ).execute(document);
  return { document, predictor };
}

describe('ml_inference options', () => {
  it.each([
    ['a missing model_id', {}, 'parse_exception', '[model_id] required property is missing'],
    [
      'a local function_name',
      { model_id: 'm', function_name: 'text_embedding' },
      'illegal_argument_exception',
      'function_name [text_embedding] is not supported: only remote models are available, use function_name remote',
    ],
    [
      'more input maps than max_prediction_tasks',
      { model_id: 'm', max_prediction_tasks: 1, input_map: [{ a: 'a' }, { b: 'b' }] },
      'illegal_argument_exception',
      'The number of prediction task setting in this process is 2. It exceeds the max_prediction_tasks of 1. Please reduce the size of input_map or increase max_prediction_tasks.',
    ],
    [
      'unequal input and output maps',
      { model_id: 'm', input_map: [{ a: 'a' }], output_map: [{ x: 'y' }, { z: 'w' }] },
      'illegal_argument_exception',
      'The length of output_map and the length of input_map do no match.',
    ],
    [
      'a zero max_prediction_tasks',
      { model_id: 'm', max_prediction_tasks: 0 },
      'parse_exception',
      '[max_prediction_tasks] must be >= 1',
    ],
    [
      'an input_map that is not a list',
      { model_id: 'm', input_map: { a: 'b' } },
      'parse_exception',
      "[input_map] property isn't a list, but of type [java.util.LinkedHashMap]",
    ],
    [
      'a non-string input field',
      { model_id: 'm', input_map: [{ a: 1 }] },
      'parse_exception',
      "[input_map.0.a] property isn't a string, but of type [java.lang.Integer]",
    ],
    [
      'an unknown option',
      { model_id: 'm', inputs: [] },
      'parse_exception',
      "processor [ml_inference] doesn't support one or more provided configuration parameters [inputs]",
    ],
  ])('refuses %s', async (_case, config, type, reason) => {
    const error = await caught(() => buildProcessor(mlInferenceIngestProcessor, config));
    expect(error.status).toBe(400);
    expect(error.type).toBe(type);
    expect(error.reason).toBe(reason);
  });

  it('accepts function_name REMOTE in any case', () => {
    expect(
      buildProcessor(mlInferenceIngestProcessor, { model_id: 'm', function_name: 'Remote' }).type,
    ).toBe('ml_inference');
  });
});

describe('ml_inference input', () => {
  it('predicts with the default model input and writes the output field (documentation example A)', async () => {
    const { document, predictor } = await run(
      { input_map: [{ input: 'passage_text' }], output_map: [{ passage_embedding: 'data' }] },
      { passage_text: 'hello world' },
    );
    expect(predictor.calls).toEqual([
      { modelId: 'remote-1', input: { kind: 'remote', parameters: { input: 'hello world' } } },
    ]);
    expect(document.getField('passage_embedding')).toEqual(vectorFor('hello world'));
  });

  it.each([
    ['a string, raw', { v: 'text' }, 'v', 'text'],
    ['a number, as JSON', { v: 5 }, 'v', '5'],
    ['a list, as JSON', { v: ['a', 'b'] }, 'v', '["a","b"]'],
    [
      'an object, as JSON (HTML characters escaped as Gson does)',
      { v: { k: 'a<b' } },
      'v',
      '{"k":"a\\u003cb"}',
    ],
    ['a nested dot path', { book: { title: 'T' } }, 'book.title', 'T'],
    ['a list element by dot path', { items: ['x', 'y'] }, 'items.1', 'y'],
    [
      'a JSONPath over lists',
      {
        book: [
          { chunk: { text: [{ context: 'a' }, { context: 'b' }] } },
          { chunk: { text: [{ context: 'c' }] } },
        ],
      },
      'book.*.chunk.text.*.context',
      '["a","b","c"]',
    ],
    [
      'a $-rooted JSONPath',
      { items: [{ name: 'n1' }, { name: 'n2' }] },
      '$.items[*].name',
      '["n1","n2"]',
    ],
    ['metadata', {}, '_id', '1'],
  ])('reads %s', async (_case, source, path, expected) => {
    const { predictor } = await run(
      { input_map: [{ input: path }], output_map: [{ out: 'data' }] },
      source,
    );
    expect(parametersOf(predictor)).toEqual([{ input: expected }]);
  });

  it('reads _ingest._value inside foreach', async () => {
    const document = makeDocument({ chunks: [{ text: 'c1' }] });
    document.ingestMetadata['_value'] = { text: 'c1' };
    const predictor = embeddingModel();
    await buildProcessor(
      mlInferenceIngestProcessor,
      {
        model_id: 'm',
        input_map: [{ input: '_ingest._value.text' }],
        output_map: [{ '_ingest._value.embedding': 'data' }],
      },
      predictor,
    ).execute(document);
    expect(parametersOf(predictor)).toEqual([{ input: 'c1' }]);
    expect(document.getField('_ingest._value.embedding')).toEqual(vectorFor('c1'));
  });

  it('fails on a missing input field without ignore_missing', async () => {
    const error = await caught(() => run({ input_map: [{ input: 'absent' }] }, { present: 'x' }));
    expect(error.type).toBe('illegal_argument_exception');
    expect(error.reason).toBe('Cannot find field name defined from input map: absent');
  });

  it.each([
    ['the default model input', {}],
    ['a model_input that needs the field', { model_input: '{ "parameters": { "input": ${input_map.input} } }' }],
    ['an output_map', { output_map: [{ out: 'data' }] }],
  ])(
    'passes a document with none of the input fields unchanged and calls no model with ignore_missing (%s)',
    async (_case, extra) => {
      const source = { unrelated: 'x', nested: { other: 1 } };
      const { document, predictor } = await run(
        { input_map: [{ input: 'absent', other: 'nested.absent' }], ignore_missing: true, ...extra },
        structuredClone(source),
      );
      expect(predictor.calls).toEqual([]);
      expect(document.source()).toEqual(source);
    },
  );

  it('skips only the input_map entries whose fields are all missing', async () => {
    const { document, predictor } = await run(
      {
        input_map: [{ input: 'title' }, { input: 'body' }],
        output_map: [{ title_embedding: 'data' }, { body_embedding: 'data' }],
        ignore_missing: true,
      },
      { title: 'T' },
    );
    expect(parametersOf(predictor)).toEqual([{ input: 'T' }]);
    expect(document.source()).toEqual({ title: 'T', title_embedding: vectorFor('T') });
  });

  it('sends the fields present when only some are missing, with ignore_missing', async () => {
    const { predictor } = await run(
      { input_map: [{ input: 'absent', other: 'present' }], ignore_missing: true },
      { present: 'x' },
    );
    expect(parametersOf(predictor)).toEqual([{ other: 'x' }]);
  });

  it('fails, calling no model, when model_input needs a field that only some documents lack', async () => {
    const predictor = embeddingModel();
    const error = await caught(() =>
      run(
        {
          input_map: [{ question: 'q', context: 'body' }],
          model_input: '{ "parameters": { "input": "${input_map.question} ${input_map.context}" } }',
          ignore_missing: true,
        },
        { q: 'why' },
        predictor,
      ),
    );
    expect(error.status).toBe(400);
    expect(error.reason).toBe('Cannot find field name defined from input map: body');
    expect(predictor.calls).toEqual([]);
  });

  it('sends every top-level field without input_map', async () => {
    const { predictor } = await run({}, { a: 'x', n: 2 });
    expect(parametersOf(predictor)).toEqual([{ a: 'x', n: '2', _index: 'my-index', _id: '1' }]);
  });

  it('adds model_config to the parameters, stringified', async () => {
    const { predictor } = await run(
      {
        input_map: [{ input: 't' }],
        model_config: { dimensions: 256, model: 'small', options: { a: true } },
      },
      { t: 'x' },
    );
    expect(parametersOf(predictor)).toEqual([
      { dimensions: '256', model: 'small', options: '{"a":true}', input: 'x' },
    ]);
  });

  it('fills a model_input template', async () => {
    const { predictor } = await run(
      {
        input_map: [{ texts: 'chunks', question: 'q' }],
        model_config: { top: 3 },
        model_input:
          '{ "parameters": { "texts": ${input_map.texts}, "question": "${input_map.question}", "k": ${model_config.top}, "all": ${ml_inference.parameters} } }',
      },
      { chunks: ['a', 'b'], q: 'why' },
    );
    expect(parametersOf(predictor)).toEqual([
      {
        texts: '["a","b"]',
        question: 'why',
        k: '3',
        all: '{"top":"3","texts":"[\\"a\\",\\"b\\"]","question":"why"}',
      },
    ]);
  });

  it('refuses a model_input that does not render to JSON', async () => {
    const error = await caught(() =>
      run(
        { input_map: [{ input: 't' }], model_input: '{ "parameters": ${input_map.missing} }' },
        { t: 'x' },
      ),
    );
    expect(error.reason).toBe('Invalid payload: { "parameters": ${input_map.missing} }');
  });

  it('runs one prediction per input_map entry', async () => {
    const { document, predictor } = await run(
      {
        input_map: [{ input: 'title' }, { input: 'body' }],
        output_map: [{ title_embedding: 'data' }, { body_embedding: 'data' }],
      },
      { title: 'T', body: 'B' },
    );
    expect(parametersOf(predictor)).toEqual([{ input: 'T' }, { input: 'B' }]);
    expect(document.getField('title_embedding')).toEqual(vectorFor('T'));
    expect(document.getField('body_embedding')).toEqual(vectorFor('B'));
  });
});

describe('ml_inference output', () => {
  it.each([
    ['a key of dataAsMap', [{ dataAsMap: { data: [1, 2] } }], {}, 'data', [1, 2]],
    [
      'a JSONPath inside dataAsMap',
      [{ dataAsMap: { data: [{ embedding: [1, 2] }] } }],
      {},
      '$.data[0].embedding',
      [1, 2],
    ],
    [
      'a wildcard JSONPath inside dataAsMap',
      [{ dataAsMap: { data: [{ embedding: [1] }, { embedding: [2] }] } }],
      {},
      'data[*].embedding',
      [[1], [2]],
    ],
    [
      'typed data of a tensor',
      [{ name: 'sentence_embedding', data_type: 'INT32', data: [1.7, 2.2] }],
      {},
      'anything',
      [1, 2],
    ],
    [
      'several tensors, as a list',
      [{ dataAsMap: { data: [1] } }, { dataAsMap: { data: [2] } }],
      {},
      'data',
      [[1], [2]],
    ],
    [
      'the whole answer with full_response_path',
      [{ dataAsMap: { data: [3] } }],
      { full_response_path: true },
      '$.inference_results[0].output[0].dataAsMap.data',
      [3],
    ],
    [
      'mean pooling',
      [
        {
          dataAsMap: {
            data: [
              [1, 4],
              [3, 8],
            ],
          },
        },
      ],
      {},
      'data.meanPooling()',
      [2, 6],
    ],
    [
      'max pooling',
      [
        {
          dataAsMap: {
            data: [
              [1, 9],
              [3, 8],
            ],
          },
        },
      ],
      {},
      'data.maxPooling()',
      [3, 9],
    ],
  ] as const)('reads %s', async (_case, tensors, options, locator, expected) => {
    const { document } = await run(
      { input_map: [{ input: 't' }], output_map: [{ out: locator }], ...options },
      { t: 'x' },
      answering([...tensors] as ModelTensor[]),
    );
    expect(document.getField('out')).toEqual(expected);
  });

  it('writes dataAsMap to inference_results without output_map', async () => {
    const { document } = await run(
      { input_map: [{ input: 't' }] },
      { t: 'x' },
      answering([{ name: 'response', dataAsMap: { data: [1], usage: 2 } }]),
    );
    expect(document.getField('inference_results')).toEqual({ data: [1], usage: 2 });
  });

  it('fails on a missing output field, or writes the whole output with ignore_missing', async () => {
    const model = () => answering([{ dataAsMap: { data: [1] } }]);
    const error = await caught(() =>
      run({ input_map: [{ input: 't' }], output_map: [{ out: 'embedding' }] }, { t: 'x' }, model()),
    );
    expect(error.reason).toBe('model inference output cannot find field name: embedding');
    const fullPathError = await caught(() =>
      run(
        {
          input_map: [{ input: 't' }],
          output_map: [{ out: '$.nothing' }],
          full_response_path: true,
        },
        { t: 'x' },
        model(),
      ),
    );
    expect(fullPathError.reason).toBe(
      'model inference output cannot find such json path: $.nothing',
    );
    const { document } = await run(
      { input_map: [{ input: 't' }], output_map: [{ out: 'embedding' }], ignore_missing: true },
      { t: 'x' },
      model(),
    );
    expect(document.getField('out')).toEqual({ data: [1] });
  });

  it('writes a list element-wise through a wildcard output field (documentation example B)', async () => {
    const source = {
      book: [
        { chunk: { text: [{ context: 'a' }, { context: 'b' }] } },
        { chunk: { text: [{ context: 'c' }] } },
      ],
    };
    const model = new FakePredictor({
      remote: (parameters) => [
        {
          output: [
            { dataAsMap: { data: (JSON.parse(parameters['texts']!) as string[]).map(vectorFor) } },
          ],
          status_code: 200,
        },
      ],
    });
    const { document } = await run(
      {
        input_map: [{ texts: 'book.*.chunk.text.*.context' }],
        output_map: [{ 'book.*.chunk.text.*.context_embedding': 'data' }],
      },
      source,
      model,
    );
    expect(document.getField('book.0.chunk.text.1.context_embedding')).toEqual(vectorFor('b'));
    expect(document.getField('book.1.chunk.text.0.context_embedding')).toEqual(vectorFor('c'));
  });

  it.each([
    [
      'a list of another length',
      { data: [[1], [2]] },
      'the prediction field: data is an array in size of 2 but the document field array from field items.*.embedding is in size of 3',
    ],
    [
      'a value that is not a list',
      { data: 'scalar' },
      'Model output is not an array, cannot assign to array in documents.',
    ],
  ])('refuses %s for a wildcard output field', async (_case, dataAsMap, reason) => {
    const error = await caught(() =>
      run(
        { input_map: [{ input: 't' }], output_map: [{ 'items.*.embedding': 'data' }] },
        { t: 'x', items: [{}, {}, {}] },
        answering([{ dataAsMap }]),
      ),
    );
    expect(error.reason).toBe(reason);
  });

  it.each([
    ['override false, every output present', false, { t: 'x', out: 'old' }, 0, 'old'],
    ['override true, every output present', true, { t: 'x', out: 'old' }, 1, vectorFor('x')],
    ['override false, output missing', false, { t: 'x' }, 1, vectorFor('x')],
  ])('with %s', async (_case, override, source, calls, expected) => {
    const { document, predictor } = await run(
      { input_map: [{ input: 't' }], output_map: [{ out: 'data' }], override },
      source,
    );
    expect(predictor.calls).toHaveLength(calls);
    expect(document.getField('out')).toEqual(expected);
  });

  it('keeps existing outputs and fills only the missing ones when override is false', async () => {
    const { document, predictor } = await run(
      { input_map: [{ input: 't' }], output_map: [{ a: 'data', b: 'data' }] },
      { t: 'x', a: 'kept' },
    );
    expect(predictor.calls).toHaveLength(1);
    expect(document.getField('a')).toBe('kept');
    expect(document.getField('b')).toEqual(vectorFor('x'));
  });

  it('keeps the model error status (429 stays 429)', async () => {
    const throttled: ModelPredictor = {
      predict: async () =>
        Promise.reject(statusException(429, 'Error from remote service: throttled')),
      isCircuitOpen: async () => false,
    };
    const error = await caught(() =>
      buildProcessor(
        mlInferenceIngestProcessor,
        { model_id: 'm', input_map: [{ input: 't' }] },
        throttled,
      ).execute(makeDocument({ t: 'x' })),
    );
    expect(error.status).toBe(429);
  });
});

describe('ml_inference concurrency', () => {
  const documents = (count: number) =>
    Array.from({ length: count }, (_, index) =>
      makeDocument({ title: `t${index}`, body: `b${index}` }, String(index)),
    );
  const twoPredictions = {
    input_map: [{ input: 'title' }, { input: 'body' }],
    output_map: [{ te: 'data' }, { be: 'data' }],
  };

  it.each([2, 3, 10])(
    'never runs more than max_prediction_tasks = %i predictions at once across documents',
    async (maxTasks) => {
      const predictor = embeddingModel({ delayMs: 2 });
      const batch = documents(20);
      const outcomes = await buildProcessor(
        mlInferenceIngestProcessor,
        { model_id: 'm', ...twoPredictions, max_prediction_tasks: maxTasks },
        predictor,
      ).executeBatch!(batch);
      expect(outcomes.every((outcome) => outcome.status === 'ok')).toBe(true);
      expect(predictor.calls).toHaveLength(40);
      expect(predictor.peak).toBe(maxTasks);
      expect(batch[7]!.getField('be')).toEqual(vectorFor('b7'));
    },
  );

  it('defaults max_prediction_tasks to 10', async () => {
    const predictor = embeddingModel({ delayMs: 2 });
    await buildProcessor(
      mlInferenceIngestProcessor,
      { model_id: 'm', ...twoPredictions },
      predictor,
    ).executeBatch!(documents(20));
    expect(predictor.peak).toBe(10);
  });

  it('fails only the documents whose prediction fails in a batch', async () => {
    const batch = [
      makeDocument({ t: 'ok' }, 'a'),
      makeDocument({}, 'b'),
      makeDocument({ t: 'fine' }, 'c'),
    ];
    const outcomes = await buildProcessor(
      mlInferenceIngestProcessor,
      { model_id: 'm', input_map: [{ input: 't' }], output_map: [{ e: 'data' }] },
      embeddingModel(),
    ).executeBatch!(batch);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['ok', 'failed', 'ok']);
    expect(batch[2]!.getField('e')).toEqual(vectorFor('fine'));
  });
});
