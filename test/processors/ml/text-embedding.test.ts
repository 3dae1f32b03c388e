import { describe, expect, it } from 'vitest';
import type { BatchOutcome } from '../../../src/processors/processor-definition.js';
import { textEmbeddingProcessor } from '../../../src/processors/ml/text-embedding.js';
import { OpenSearchError } from '../../../src/errors/opensearch-error.js';
import {
  buildProcessor,
  caught,
  FakePredictor,
  makeDocument,
  vectorFor,
} from './fake-predictor.js';

const knn = (text: string) => ({ knn: vectorFor(text) });

describe('text_embedding options', () => {
  it.each([
    [
      'a missing model_id',
      { field_map: { a: 'b' } },
      'parse_exception',
      '[model_id] required property is missing',
    ],
    [
      'a missing field_map',
      { model_id: 'm' },
      'parse_exception',
      '[field_map] required property is missing',
    ],
    [
      'an unknown option',
      { model_id: 'm', field_map: { a: 'b' }, size: 1 },
      'parse_exception',
      "processor [text_embedding] doesn't support one or more provided configuration parameters [size]",
    ],
    [
      'a zero batch_size',
      { model_id: 'm', field_map: { a: 'b' }, batch_size: 0 },
      'parse_exception',
      '[batch_size] batch_size must be a positive integer',
    ],
    [
      'a text batch_size',
      { model_id: 'm', field_map: { a: 'b' }, batch_size: 'two' },
      'parse_exception',
      "[batch_size] property isn't a integer, but of type [java.lang.String]",
    ],
    [
      'a blank model_id',
      { model_id: ' ', field_map: { a: 'b' } },
      'illegal_argument_exception',
      'model_id is null or empty, cannot process it',
    ],
    [
      'an empty field_map',
      { model_id: 'm', field_map: {} },
      'illegal_argument_exception',
      'Unable to create the processor as field_map has invalid key or value',
    ],
    [
      'a blank target',
      { model_id: 'm', field_map: { a: '' } },
      'illegal_argument_exception',
      'Unable to create the processor as field_map has invalid key or value',
    ],
    [
      'a blank nested target',
      { model_id: 'm', field_map: { a: { b: ' ' } } },
      'illegal_argument_exception',
      'Unable to create the processor as field_map has invalid key or value',
    ],
  ])('refuses %s', async (_case, config, type, reason) => {
    const error = await caught(() => buildProcessor(textEmbeddingProcessor, config));
    expect(error.status).toBe(400);
    expect(error.type).toBe(type);
    expect(error.reason).toBe(reason);
    expect(error.extra['processor_type']).toBe('text_embedding');
  });

  it('accepts skip_existing and batch_size', () => {
    const processor = buildProcessor(textEmbeddingProcessor, {
      model_id: 'm',
      field_map: { a: 'b' },
      skip_existing: true,
      batch_size: 5,
    });
    expect(processor.type).toBe('text_embedding');
    expect(processor.executeBatch).toBeTypeOf('function');
  });
});

describe('text_embedding field_map', () => {
  it.each([
    [
      'a flat field',
      { text: 'emb' },
      { text: 'hello' },
      { text: 'hello', emb: vectorFor('hello') },
    ],
    [
      'a dotted source key (target next to the input)',
      { 'obj.text': 'emb' },
      { obj: { text: 'hi' } },
      { obj: { text: 'hi', emb: vectorFor('hi') } },
    ],
    [
      'a nested map',
      { obj: { text: 'emb' } },
      { obj: { text: 'hi' } },
      { obj: { text: 'hi', emb: vectorFor('hi') } },
    ],
    [
      'a deep dotted key',
      { 'a.b.c': 'emb' },
      { a: { b: { c: 'deep' } } },
      { a: { b: { c: 'deep', emb: vectorFor('deep') } } },
    ],
    [
      'a dotted top-level target',
      { text: 'vectors.text' },
      { text: 'hello' },
      { text: 'hello', vectors: { text: vectorFor('hello') } },
    ],
    [
      'a list of strings',
      { texts: 'embs' },
      { texts: ['a', 'bb'] },
      { texts: ['a', 'bb'], embs: [knn('a'), knn('bb')] },
    ],
    [
      'a list with blank strings (skipped)',
      { texts: 'embs' },
      { texts: ['a', ' ', 'c'] },
      { texts: ['a', ' ', 'c'], embs: [knn('a'), knn('c')] },
    ],
    [
      'a list of objects',
      { items: { text: 'emb' } },
      { items: [{ text: 'x' }, { text: 'yy' }, { other: 1 }] },
      {
        items: [
          { text: 'x', emb: vectorFor('x') },
          { text: 'yy', emb: vectorFor('yy') },
          { other: 1 },
        ],
      },
    ],
    [
      'a flattened source field',
      { obj: { text: 'emb' } },
      { 'obj.text': 'flat' },
      { obj: { text: 'flat', emb: vectorFor('flat') } },
    ],
    [
      'a missing field beside a present one',
      { a: 'ea', b: 'eb' },
      { b: 'bee' },
      { b: 'bee', eb: vectorFor('bee') },
    ],
    [
      'a blank field beside a present one',
      { a: 'ea', b: 'eb' },
      { a: '  ', b: 'bee' },
      { a: '  ', b: 'bee', eb: vectorFor('bee') },
    ],
  ])('embeds %s', async (_case, fieldMap, source, expected) => {
    const predictor = new FakePredictor();
    const document = makeDocument(source);
    await buildProcessor(
      textEmbeddingProcessor,
      { model_id: 'm', field_map: fieldMap },
      predictor,
    ).execute(document);
    expect(document.source()).toEqual(expected);
    expect(predictor.calls).toHaveLength(1);
  });

  it('sends every text of a document in one call, in pre-order', async () => {
    const predictor = new FakePredictor();
    const document = makeDocument({ title: 't', body: { parts: ['p1', 'p2'], summary: 's' } });
    const processor = buildProcessor(
      textEmbeddingProcessor,
      { model_id: 'model-1', field_map: { title: 'te', body: { parts: 'pe', summary: 'se' } } },
      predictor,
    );
    await processor.execute(document);
    expect(predictor.calls).toEqual([
      { modelId: 'model-1', input: { kind: 'text_docs', textDocs: ['t', 'p1', 'p2', 's'] } },
    ]);
    expect(document.getField('body.pe')).toEqual([knn('p1'), knn('p2')]);
    expect(document.getField('body.se')).toEqual(vectorFor('s'));
  });

  it.each(['openai', 'bedrock'] as const)('flattens %s-shaped answers in order', async (shape) => {
    const document = makeDocument({ texts: ['one', 'two', 'three'] });
    await buildProcessor(
      textEmbeddingProcessor,
      { model_id: 'm', field_map: { texts: 'embs' } },
      new FakePredictor({ shape }),
    ).execute(document);
    expect(document.getField('embs')).toEqual([knn('one'), knn('two'), knn('three')]);
  });

  it.each([
    ['a missing field', { other: 'x' }],
    ['a blank string', { text: '   ' }],
    ['an empty list', { text: [] }],
  ])('makes no call for %s', async (_case, source) => {
    const predictor = new FakePredictor();
    const document = makeDocument(source);
    await buildProcessor(
      textEmbeddingProcessor,
      { model_id: 'm', field_map: { text: 'emb' } },
      predictor,
    ).execute(document);
    expect(predictor.calls).toHaveLength(0);
    expect(document.source()).toEqual(source);
  });

  it.each([
    [
      'a number',
      { text: 5 },
      'map type field [text] is neither string nor nested type, cannot process it',
    ],
    [
      'a list with a number',
      { text: ['a', 1] },
      'list type field [text] has non string value, cannot process it',
    ],
    [
      'a list with null',
      { text: ['a', null] },
      'list type field [text] has null, cannot process it',
    ],
    [
      'a nested list',
      { text: [['a']] },
      'list type field [text] is nested list type, cannot process it',
    ],
    [
      'an object for a string mapping',
      { text: { a: 'b' } },
      "[text] configuration doesn't match actual value type, configuration type is: java.lang.String, actual value type is: java.util.LinkedHashMap",
    ],
  ])('refuses %s before calling the model', async (_case, source, reason) => {
    const predictor = new FakePredictor();
    const error = await caught(() =>
      buildProcessor(
        textEmbeddingProcessor,
        { model_id: 'm', field_map: { text: 'emb' } },
        predictor,
      ).execute(makeDocument(source)),
    );
    expect(error.type).toBe('illegal_argument_exception');
    expect(error.reason).toBe(reason);
    expect(predictor.calls).toHaveLength(0);
  });
});

describe('text_embedding model answers', () => {
  it('fails clearly when the model answers the wrong number of vectors', async () => {
    const document = makeDocument({ texts: ['a', 'b'] });
    const error = await caught(() =>
      buildProcessor(
        textEmbeddingProcessor,
        { model_id: 'm', field_map: { texts: 'embs' } },
        new FakePredictor({ dropResults: 1 }),
      ).execute(document),
    );
    expect(error.status).toBe(502);
    expect(error.reason).toBe('model [m] returned 1 inference results for 2 input texts');
    expect(document.hasField('embs')).toBe(false);
  });

  it('keeps the model error status (429 stays 429)', async () => {
    const predictor = new FakePredictor({ failMarker: 'x', failStatus: 429 });
    const error = await caught(() =>
      buildProcessor(
        textEmbeddingProcessor,
        { model_id: 'm', field_map: { t: 'e' } },
        predictor,
      ).execute(makeDocument({ t: 'x' })),
    );
    expect(error.status).toBe(429);
    expect(error.reason).toContain('Error from remote service');
  });
});

const okCount = (outcomes: BatchOutcome[]) =>
  outcomes.filter((outcome) => outcome.status === 'ok').length;
const documents = (
  count: number,
  text: (index: number) => unknown = (index) => `text number ${index}`,
) => Array.from({ length: count }, (_, index) => makeDocument({ t: text(index) }, String(index)));

describe('text_embedding batches', () => {
  it.each([
    [10, 1, 10],
    [10, 3, 4],
    [10, 10, 1],
    [7, 100, 1],
    [1000, 64, 16],
  ])('sends %i documents with batch_size %i in %i calls', async (count, batchSize, calls) => {
    const predictor = new FakePredictor();
    const batch = documents(count);
    const outcomes = await buildProcessor(
      textEmbeddingProcessor,
      { model_id: 'm', field_map: { t: 'e' }, batch_size: batchSize },
      predictor,
    ).executeBatch!(batch);
    expect(predictor.calls).toHaveLength(calls);
    expect(okCount(outcomes)).toBe(count);
    batch.forEach((document, index) =>
      expect(document.getField('e')).toEqual(vectorFor(`text number ${index}`)),
    );
  });

  it.each([
    ['a batch_size the user sets bounds every provider call', { batch_size: 4 }, 10, [4, 4, 4]],
    ['without batch_size, one document per predict and the model’s own limits', {}, 2, [undefined, undefined]],
  ])('%s', async (_case, options, count, bounds) => {
    const predictor = new FakePredictor();
    const batch = documents(count);
    await buildProcessor(
      textEmbeddingProcessor,
      { model_id: 'm', field_map: { t: 'e' }, ...options },
      predictor,
    ).executeBatch!(batch);
    expect(predictor.textBounds).toEqual(bounds);
  });

  it('sends the texts of a sub-batch shortest first and maps them back', async () => {
    const predictor = new FakePredictor();
    const batch = [
      makeDocument({ t: 'long text' }),
      makeDocument({ t: 'mid' }),
      makeDocument({ t: ['xx', 'y'] }),
    ];
    await buildProcessor(
      textEmbeddingProcessor,
      { model_id: 'm', field_map: { t: 'e' }, batch_size: 3 },
      predictor,
    ).executeBatch!(batch);
    expect(predictor.textCalls).toEqual([['y', 'xx', 'mid', 'long text']]);
    expect(batch.map((document) => document.getField('e'))).toEqual([
      vectorFor('long text'),
      vectorFor('mid'),
      [knn('xx'), knn('y')],
    ]);
  });

  it('fails only the document whose validation fails', async () => {
    const predictor = new FakePredictor();
    const batch = documents(5, (index) => (index === 2 ? 42 : `t${index}`));
    const outcomes = await buildProcessor(
      textEmbeddingProcessor,
      { model_id: 'm', field_map: { t: 'e' }, batch_size: 5 },
      predictor,
    ).executeBatch!(batch);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['ok', 'ok', 'failed', 'ok', 'ok']);
    expect((outcomes[2] as { error: OpenSearchError }).error.reason).toBe(
      'map type field [t] is neither string nor nested type, cannot process it',
    );
    expect(predictor.textCalls).toEqual([['t0', 't1', 't3', 't4']]);
  });

  it.each([
    ['an input error (400)', 400],
    ['a provider 500', 500],
  ])('isolates one bad document among 1,000 by splitting the call that failed with %s', async (_case, status) => {
    const predictor = new FakePredictor({ failMarker: 'BAD', failStatus: status });
    const batch = documents(1000, (index) =>
      index === 613 ? 'BAD input' : `text number ${index}`,
    );
    const outcomes = await buildProcessor(
      textEmbeddingProcessor,
      { model_id: 'm', field_map: { t: 'e' }, batch_size: 1000 },
      predictor,
    ).executeBatch!(batch);
    expect(okCount(outcomes)).toBe(999);
    const failure = outcomes[613] as { status: string; error: OpenSearchError };
    expect(failure.status).toBe('failed');
    expect(failure.error.status).toBe(status);
    batch.forEach((document, index) => {
      if (index !== 613) expect(document.getField('e')).toEqual(vectorFor(`text number ${index}`));
    });
    expect(batch[613]!.hasField('e')).toBe(false);
    // One call, then two per halving: about 2·log2(1000).
    expect(predictor.calls.length).toBeLessThanOrEqual(1 + 2 * 10);
  });

  it.each([
    ['429', 429, {}],
    ['401', 401, {}],
    ['404', 404, {}],
    ['SageMaker’s ThrottlingException 400', 400, { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/' }],
  ])('does not split a sub-batch that fails with %s', async (_case, status, failHeaders) => {
    const predictor = new FakePredictor({ failMarker: 'BAD', failStatus: status, failHeaders });
    const batch = documents(8, (index) => (index === 3 ? 'BAD' : `t${index}`));
    const outcomes = await buildProcessor(
      textEmbeddingProcessor,
      { model_id: 'm', field_map: { t: 'e' }, batch_size: 4 },
      predictor,
    ).executeBatch!(batch);
    expect(predictor.calls).toHaveLength(2);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'failed',
      'failed',
      'failed',
      'failed',
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    expect((outcomes[0] as { error: OpenSearchError }).error.status).toBe(status);
  });

  it('bounds the retries when every document is refused', async () => {
    const predictor = new FakePredictor({ failMarker: 'text', failStatus: 400 });
    const outcomes = await buildProcessor(
      textEmbeddingProcessor,
      { model_id: 'm', field_map: { t: 'e' }, batch_size: 1000 },
      predictor,
    ).executeBatch!(documents(1000));
    expect(okCount(outcomes)).toBe(0);
    expect(predictor.calls.length).toBeLessThanOrEqual(1 + 4 * 10);
  });

  it('fails the documents of a sub-batch whose answer has the wrong number of vectors', async () => {
    let call = 0;
    const predictor = new FakePredictor();
    const shortOnce = {
      predict: (modelId: string, input: Parameters<FakePredictor['predict']>[1]) =>
        (call++ === 0 ? new FakePredictor({ dropResults: 1 }) : predictor).predict(modelId, input),
      isCircuitOpen: async () => false,
    };
    const batch = documents(4);
    const outcomes = await buildProcessor(
      textEmbeddingProcessor,
      { model_id: 'm', field_map: { t: 'e' }, batch_size: 2 },
      shortOnce,
    ).executeBatch!(batch);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'failed', 'ok', 'ok']);
    expect((outcomes[0] as { error: OpenSearchError }).error.reason).toBe(
      'model [m] returned 1 inference results for 2 input texts',
    );
    expect(batch[0]!.hasField('e')).toBe(false);
  });
});
