import type { PredictInput } from '../../../src/connectors/functions/types.js';
import { statusException } from '../../../src/errors/opensearch-error.js';
import type {
  ModelPredictor,
  ProcessorByKind,
  ProcessorDefinition,
  ProcessorDeps,
  SearchRequestContext,
  SearchResponseContext,
} from '../../../src/processors/processor-definition.js';
import { validateProcessorConfig } from '../../../src/processors/validate-config.js';
import { systemClock } from '../../../src/util/clock.js';

/** What a predict call answers (`inference_results`). */
export type PredictAnswer = Awaited<ReturnType<ModelPredictor['predict']>>;

export type PredictHandler = (modelId: string, input: PredictInput) => PredictAnswer | Promise<PredictAnswer>;

/** A ModelPredictor that records every call and answers with `handler`. */
export class FakePredictor implements ModelPredictor {
  readonly calls: Array<{ modelId: string; input: PredictInput }> = [];

  constructor(private readonly handler: PredictHandler) {}

  async predict(modelId: string, input: PredictInput): Promise<PredictAnswer> {
    this.calls.push({ modelId, input });
    return this.handler(modelId, input);
  }

  /** Search processors never split batches, so the circuit is never asked. */
  async isCircuitOpen(): Promise<boolean> {
    throw new Error('search processors never split a failed call');
  }
}

/** A deterministic 3-dimensional vector for a text. */
export function vectorFor(text: string): number[] {
  const codes = [...text].map((character) => character.charCodeAt(0));
  return [text.length, codes.reduce((sum, code) => sum + code, 0) % 101, (codes[0] ?? 0) / 10];
}

export const embeddingAnswer = (vector: number[]): PredictAnswer => ({
  inference_results: [{ output: [{ name: 'sentence_embedding', data_type: 'FLOAT32', shape: [vector.length], data: vector }], status_code: 200 }],
});

export const dataAsMapAnswer = (dataAsMap: Record<string, unknown>): PredictAnswer => ({
  inference_results: [{ output: [{ name: 'response', dataAsMap }], status_code: 200 }],
});

/** Embeds `<model id>:<docs joined by |>` so tests can tell models and texts apart. */
export const embeddingPredictor = () =>
  new FakePredictor((modelId, input) => {
    if (input.kind !== 'text_docs') throw new Error(`unexpected ${input.kind} input`);
    return embeddingAnswer(vectorFor(`${modelId}:${input.textDocs.join('|')}`));
  });

/** Answers every remote call with its own parameters, so tests can assert what was sent. */
export const echoPredictor = () =>
  new FakePredictor((_modelId, input) => {
    if (input.kind !== 'remote') throw new Error(`unexpected ${input.kind} input`);
    return dataAsMapAnswer({ ...input.parameters });
  });

/** Fails every call the way the model layer reports a remote error. */
export const failingPredictor = (status: number, reason: string) =>
  new FakePredictor(() => {
    throw statusException(status, reason);
  });

export function testDeps(predictor: ModelPredictor): ProcessorDeps {
  return {
    predictor,
    compileScript: () => {
      throw new Error('no scripts in search processors');
    },
    clock: { ...systemClock, now: () => 0 },
    buildIngestProcessor: () => {
      throw new Error('no ingest processors here');
    },
  };
}

/** Validates options as the runtime does, then creates the processor. */
export function build<Kind extends 'search_request' | 'search_response' | 'search_phase_results'>(
  definition: ProcessorDefinition<never, Kind>,
  options: Record<string, unknown>,
  predictor: ModelPredictor = new FakePredictor(() => {
    throw new Error('no model call expected');
  }),
  tag?: string,
): ProcessorByKind[Kind] {
  const config = validateProcessorConfig<never>(definition, options, tag);
  return definition.create(config, testDeps(predictor), tag);
}

export const requestContext = (body: Record<string, unknown>): SearchRequestContext => ({ body: structuredClone(body), attributes: new Map() });

export const responseContext = (requestBody: Record<string, unknown>, response: Record<string, unknown>): SearchResponseContext => ({
  request: requestContext(requestBody),
  response: structuredClone(response),
});

/** A search response around `hits`. */
export function searchResponse(hits: Array<Record<string, unknown>>, total = hits.length): Record<string, unknown> {
  const scores = hits.map((hit) => hit['_score']).filter((score): score is number => typeof score === 'number');
  return {
    took: 3,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: { total: { value: total, relation: 'eq' }, max_score: scores.length ? Math.max(...scores) : null, hits },
  };
}

export const hitsOf = (response: Record<string, unknown>) => (response['hits'] as { hits: Array<Record<string, unknown>> }).hits;
