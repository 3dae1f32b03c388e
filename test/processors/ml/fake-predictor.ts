import { expect } from 'vitest';
import type { ModelTensor, PredictInput } from '../../../src/connectors/functions/types.js';
import type { ModelTensors } from '../../../src/connectors/invoke/invoke-connector.js';
import { OpenSearchError } from '../../../src/errors/opensearch-error.js';
import { ProviderError } from '../../../src/errors/provider-error.js';
import { CallCircuit } from '../../../src/models/isolation/call-circuit.js';
import { IngestDocument } from '../../../src/pipeline/ingest-document.js';
import type {
  IngestProcessor,
  ModelPredictor,
  PredictOptions,
  ProcessorDefinition,
  ProcessorDeps,
} from '../../../src/processors/processor-definition.js';
import { validateProcessorConfig } from '../../../src/processors/validate-config.js';
import { systemClock } from '../../../src/util/clock.js';

/** A deterministic embedding for a text: changes with every character. */
export function vectorFor(text: string): number[] {
  let hash = 7;
  for (const character of text) hash = (hash * 31 + character.codePointAt(0)!) % 100_003;
  return [text.length, hash, hash % 97];
}

/** A deterministic token→weight map for a text: one token per word. */
export function weightsFor(text: string): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const word of text.split(/\s+/).filter(Boolean))
    weights[word.toLowerCase()] = word.length / 10;
  return weights;
}

export interface FakePredictorOptions {
  /** How text-docs answers are shaped: OpenAI (one call, N tensors) or Bedrock (N calls, one tensor). */
  readonly shape?: 'openai' | 'bedrock';
  /** `sparse`: `{"response": [maps]}` in one tensor; `sparse_per_text`: one map per tensor. */
  readonly output?: 'dense' | 'sparse' | 'sparse_per_text';
  /** Texts containing this marker make the whole call fail with `failStatus` (a provider error). */
  readonly failMarker?: string;
  readonly failStatus?: number;
  /** Headers of the failing answer (e.g. AWS's `x-amzn-errortype`). */
  readonly failHeaders?: Record<string, string>;
  /** Answers this many results fewer than asked (wrong count). */
  readonly dropResults?: number;
  /** Answer for remote (`parameters`) calls. */
  readonly remote?: (parameters: Readonly<Record<string, string>>) => ModelTensors[];
  /** Milliseconds each call takes (lets calls overlap, to measure concurrency). */
  readonly delayMs?: number;
}

/**
 * A ModelPredictor double: deterministic answers, counted calls and inputs, peak concurrency, and a
 * real circuit fed with its own calls' outcomes (as the predict service feeds the model's).
 */
export class FakePredictor implements ModelPredictor {
  readonly calls: { modelId: string; input: PredictInput }[] = [];
  /** Each call's `maxTextsPerCall` option, in call order. */
  readonly textBounds: (number | undefined)[] = [];
  readonly circuit = new CallCircuit();
  active = 0;
  peak = 0;

  constructor(private readonly options: FakePredictorOptions = {}) {}

  /** The text lists of every text-docs call, in call order. */
  get textCalls(): string[][] {
    return this.calls.map(({ input }) =>
      input.kind === 'text_docs' ? input.textDocs.map(String) : [],
    );
  }

  async predict(
    modelId: string,
    input: PredictInput,
    options?: PredictOptions,
  ): Promise<{ inference_results: ModelTensors[] }> {
    this.calls.push({ modelId, input });
    this.textBounds.push(options?.maxTextsPerCall);
    this.active += 1;
    this.peak = Math.max(this.peak, this.active);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.options.delayMs ?? 0));
      const inference_results = this.answer(input);
      this.circuit.record();
      return { inference_results };
    } catch (error) {
      this.circuit.record(error);
      throw error;
    } finally {
      this.active -= 1;
    }
  }

  async isCircuitOpen(): Promise<boolean> {
    return this.circuit.isOpen;
  }

  private answer(input: PredictInput): ModelTensors[] {
    if (input.kind === 'remote') {
      if (!this.options.remote) throw new Error('no remote answer configured');
      return this.options.remote(input.parameters);
    }
    if (input.kind !== 'text_docs') throw new Error('unexpected input');
    const texts = input.textDocs.map(String);
    const { failMarker, failStatus = 400, failHeaders = {} } = this.options;
    if (failMarker !== undefined && texts.some((text) => text.includes(failMarker))) {
      throw new ProviderError({
        statusCode: failStatus,
        responseHeaders: failHeaders,
        reason: `Error from remote service: {"message":"cannot process input"}`,
      });
    }
    const answered = texts.slice(0, texts.length - (this.options.dropResults ?? 0));
    const output = this.options.output ?? 'dense';
    if (output === 'sparse')
      return [
        {
          output: [{ name: 'response', dataAsMap: { response: answered.map(weightsFor) } }],
          status_code: 200,
        },
      ];
    const tensors: ModelTensor[] = answered.map((text) =>
      output === 'sparse_per_text'
        ? { name: 'response', dataAsMap: weightsFor(text) }
        : { name: 'sentence_embedding', data_type: 'FLOAT32', shape: [3], data: vectorFor(text) },
    );
    if (this.options.shape === 'bedrock')
      return tensors.map((tensor) => ({ output: [tensor], status_code: 200 }));
    return [{ output: tensors, status_code: 200 }];
  }
}

/** A document as the bulk path creates it. */
export const makeDocument = (source: Record<string, unknown>, id = '1'): IngestDocument =>
  IngestDocument.create(
    structuredClone(source),
    { _index: 'my-index', _id: id },
    '2024-01-01T00:00:00.000Z',
  );

/** Validates options with the runner's validator, then creates the processor. */
export function buildProcessor(
  definition: ProcessorDefinition<any, 'ingest'>,
  config: Record<string, unknown>,
  predictor: ModelPredictor = new FakePredictor(),
): IngestProcessor {
  const deps: ProcessorDeps = {
    predictor,
    compileScript: () => {
      throw new Error('not used');
    },
    clock: { ...systemClock, now: () => 0 },
    buildIngestProcessor: () => {
      throw new Error('not used');
    },
  };
  return definition.create(
    validateProcessorConfig(definition, config),
    deps,
    'my-tag',
  ) as IngestProcessor;
}

/** Runs `action` and returns the OpenSearchError it threw (failing the test otherwise). */
export async function caught(action: () => unknown): Promise<OpenSearchError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(OpenSearchError);
    return error as OpenSearchError;
  }
  throw new Error('expected an OpenSearchError, nothing was thrown');
}
