import { describe, expect, it } from 'vitest';
import type { ModelPredictor } from '../../../src/processors/processor-definition.js';
import { inputDigest } from '../../../src/processors/ml/provenance.js';
import { sparseEncodingProcessor } from '../../../src/processors/ml/sparse-encoding.js';
import { textEmbeddingProcessor } from '../../../src/processors/ml/text-embedding.js';
import { buildProcessor, FakePredictor, makeDocument, vectorFor, weightsFor } from './fake-predictor.js';

/** A predictor whose `name:` references resolve to whatever `current` says now. */
class ResolvingPredictor extends FakePredictor implements ModelPredictor {
  current = 'model-1';
  async resolveModelId(reference: string): Promise<string> {
    return reference.startsWith('name:') ? this.current : reference;
  }
}

const embed = (config: Record<string, unknown>, predictor: FakePredictor) =>
  buildProcessor(textEmbeddingProcessor, { model_id: 'name:embedder', skip_existing: true, ...config }, predictor);

async function runBatch(processor: ReturnType<typeof embed>, sources: Array<Record<string, unknown>>) {
  const documents = sources.map((source, index) => makeDocument(source, String(index)));
  const outcomes = await processor.executeBatch!(documents);
  expect(outcomes.every((outcome) => outcome.status === 'ok')).toBe(true);
  return documents.map((document) => document.source());
}

const entry = (field: string, texts: string[], modelId = 'model-1', type = 'text_embedding') => ({
  field,
  model_id: modelId,
  input_sha256: inputDigest(type, texts),
});

describe('skip_existing: provenance beside the output', () => {
  it('records the resolved model and the input digest of each output', async () => {
    const predictor = new ResolvingPredictor();
    const [enriched] = await runBatch(embed({ field_map: { title: 'title_v', body: 'body_v' } }, predictor), [
      { title: 'a title', body: 'a body' },
    ]);
    expect(enriched).toEqual({
      title: 'a title',
      body: 'a body',
      title_v: vectorFor('a title'),
      body_v: vectorFor('a body'),
      ml_sidecar: { inference: [entry('title_v', ['a title']), entry('body_v', ['a body'])] },
    });
  });

  it('writes no provenance without skip_existing', async () => {
    const processor = buildProcessor(textEmbeddingProcessor, { model_id: 'm', field_map: { text: 'v' } });
    const [enriched] = await runBatch(processor, [{ text: 'hello' }]);
    expect(enriched).toEqual({ text: 'hello', v: vectorFor('hello') });
  });

  it('sends nothing for a document whose outputs come from the same model and inputs', async () => {
    const predictor = new ResolvingPredictor();
    const processor = embed({ field_map: { text: 'v' } }, predictor);
    const [once] = await runBatch(processor, [{ text: 'hello' }]);
    predictor.calls.length = 0;
    const [twice] = await runBatch(processor, [once!]);
    expect(predictor.calls).toEqual([]);
    expect(twice).toEqual(once);
  });

  it.each([
    ['the text changed', (source: Record<string, unknown>) => ({ ...source, text: 'changed' }), 'model-1', ['changed']],
    ['the model changed', (source: Record<string, unknown>) => source, 'model-2', ['hello']],
    [
      'the output is gone',
      (source: Record<string, unknown>) => {
        const { v: _v, ...rest } = source;
        return rest;
      },
      'model-1',
      ['hello'],
    ],
  ])('infers again when %s', async (_case, change, model, expectedTexts) => {
    const predictor = new ResolvingPredictor();
    const processor = embed({ field_map: { text: 'v' } }, predictor);
    const [once] = await runBatch(processor, [{ text: 'hello' }]);
    predictor.calls.length = 0;
    predictor.current = model;
    const [again] = await runBatch(processor, [change(once!)]);
    expect(predictor.textCalls).toEqual([expectedTexts]);
    expect(again!['v']).toEqual(vectorFor(expectedTexts[0]!));
    expect(again!['ml_sidecar']).toEqual({ inference: [entry('v', expectedTexts, model)] });
  });

  it('keeps the outputs of unchanged elements of a list and infers only the changed one', async () => {
    const predictor = new ResolvingPredictor();
    const processor = embed({ field_map: { chunks: { text: 'v' } } }, predictor);
    const [once] = await runBatch(processor, [{ chunks: [{ text: 'one' }, { text: 'two' }] }]);
    expect((once!['ml_sidecar'] as { inference: unknown[] }).inference).toEqual([
      entry('chunks.0.v', ['one']),
      entry('chunks.1.v', ['two']),
    ]);
    predictor.calls.length = 0;
    const changed = structuredClone(once!) as { chunks: Array<Record<string, unknown>> };
    changed.chunks[1]!['text'] = 'deux';
    const [again] = await runBatch(processor, [changed]);
    expect(predictor.textCalls).toEqual([['deux']]);
    expect((again!['chunks'] as Array<Record<string, unknown>>).map((chunk) => chunk['v'])).toEqual([
      vectorFor('one'),
      vectorFor('deux'),
    ]);
  });

  it('reuses per output: a document with one changed field sends only that field', async () => {
    const predictor = new ResolvingPredictor();
    const processor = embed({ field_map: { title: 'title_v', body: 'body_v' } }, predictor);
    const [once] = await runBatch(processor, [{ title: 't', body: 'b' }]);
    predictor.calls.length = 0;
    await runBatch(processor, [{ ...once!, body: 'b2' }]);
    expect(predictor.textCalls).toEqual([['b2']]);
  });

  it('works the same for sparse_encoding, whose digests differ from a dense output of the same text', async () => {
    const predictor = new ResolvingPredictor({ output: 'sparse' });
    const processor = buildProcessor(
      sparseEncodingProcessor,
      { model_id: 'm', field_map: { text: 'w' }, skip_existing: true },
      predictor,
    );
    const [once] = await runBatch(processor, [{ text: 'hello world' }]);
    expect(once!['w']).toEqual(weightsFor('hello world'));
    expect(once!['ml_sidecar']).toEqual({ inference: [entry('w', ['hello world'], 'm', 'sparse_encoding')] });
    predictor.calls.length = 0;
    await runBatch(processor, [once!]);
    expect(predictor.calls).toEqual([]);
  });

  describe('with the stored document of a rerun', () => {
    async function stored(predictor: ResolvingPredictor, source: Record<string, unknown>) {
      const [enriched] = await runBatch(embed({ field_map: { text: 'v', title: 't' } }, predictor), [source]);
      predictor.calls.length = 0;
      return enriched!;
    }

    async function rerun(predictor: ResolvingPredictor, source: Record<string, unknown>, storedSource: Record<string, unknown>) {
      const document = makeDocument(source);
      document.storedSource = storedSource;
      const [outcome] = await embed({ field_map: { text: 'v', title: 't' } }, predictor).executeBatch!([document]);
      expect(outcome).toEqual({ status: 'ok' });
      return document.source();
    }

    it('takes the stored outputs whose inputs and model are unchanged, infers the others', async () => {
      const predictor = new ResolvingPredictor();
      const before = await stored(predictor, { text: 'body', title: 'old title' });
      const after = await rerun(predictor, { text: 'body', title: 'new title' }, before);
      expect(predictor.textCalls).toEqual([['new title']]);
      expect(after).toEqual({
        text: 'body',
        title: 'new title',
        v: vectorFor('body'),
        t: vectorFor('new title'),
        ml_sidecar: { inference: [entry('v', ['body']), entry('t', ['new title'])] },
      });
    });

    it('carries nothing for an input the document no longer has', async () => {
      const predictor = new ResolvingPredictor();
      const before = await stored(predictor, { text: 'body', title: 'title' });
      const after = await rerun(predictor, { text: 'body' }, before);
      expect(predictor.calls).toEqual([]);
      expect(after).toEqual({ text: 'body', v: vectorFor('body'), ml_sidecar: { inference: [entry('v', ['body'])] } });
    });

    it('infers everything again after a model change', async () => {
      const predictor = new ResolvingPredictor();
      const before = await stored(predictor, { text: 'body', title: 'title' });
      predictor.current = 'model-2';
      await rerun(predictor, { text: 'body', title: 'title' }, before);
      expect(predictor.textCalls.flat().sort()).toEqual(['body', 'title']);
    });
  });

  it('says it reuses outputs, so a backfill carries stored outputs over', () => {
    expect(embed({ field_map: { text: 'v' } }, new FakePredictor()).reusesOutputs).toBe(true);
    const plain = buildProcessor(textEmbeddingProcessor, { model_id: 'm', field_map: { text: 'v' } });
    expect(plain.reusesOutputs).toBeUndefined();
  });

  it('takes the reference itself as the model id when the predictor cannot resolve it', async () => {
    const [enriched] = await runBatch(embed({ model_id: 'abc', field_map: { text: 'v' } }, new FakePredictor()), [
      { text: 'x' },
    ]);
    expect(enriched!['ml_sidecar']).toEqual({ inference: [entry('v', ['x'], 'abc')] });
  });
});
