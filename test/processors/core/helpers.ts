/**
 * Shared helpers for the core processor tests: a fake `ProcessorDeps` (real Painless, a fixed
 * clock, nested processors built from the core registry after validation, as the runner does),
 * and shorthands to build a processor, run it on a document, and capture the error it throws.
 */
import { OpenSearchError } from '../../../src/errors/opensearch-error.js';
import { compilePainlessCached } from '../../../src/painless/index.js';
import { IngestDocument } from '../../../src/pipeline/ingest-document.js';
import { coreIngestProcessors } from '../../../src/processors/core/index.js';
import type {
  IngestProcessor,
  ProcessorDefinition,
  ProcessorDeps,
} from '../../../src/processors/processor-definition.js';
import { validateProcessorConfig } from '../../../src/processors/validate-config.js';
import { systemClock } from '../../../src/util/clock.js';

export type CoreType = keyof typeof coreIngestProcessors;

/** The ingest timestamp every test document carries. */
export const TIMESTAMP = '2024-05-30T15:24:48.064472090Z';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const deps: ProcessorDeps = {
  predictor: {
    predict: () => {
      throw new Error('core processors never call a model');
    },
    isCircuitOpen: () => {
      throw new Error('core processors never call a model');
    },
  },
  compileScript: (source) => compilePainlessCached(source),
  clock: { ...systemClock, now: () => Date.parse(TIMESTAMP) },
  buildIngestProcessor: (config, path) => buildProcessor(config, path),
};

/** Builds `{ "<type>": { ...options } }` the way the runner will: validate, then create. */
export function buildProcessor(config: unknown, path = 'processor'): IngestProcessor {
  if (!isObject(config) || Object.keys(config).length !== 1)
    throw new Error(`[${path}] must hold exactly one processor type`);
  const [type, options] = Object.entries(config)[0]!;
  if (!Object.hasOwn(coreIngestProcessors, type) || !isObject(options))
    throw new Error(`[${path}] unknown processor [${type}]`);
  const definition = coreIngestProcessors[type as CoreType] as ProcessorDefinition<
    unknown,
    'ingest'
  >;
  return definition.create(validateProcessorConfig(definition, options), deps, undefined);
}

/** A processor of a core type. */
export const create = (type: CoreType, options: Record<string, unknown>): IngestProcessor =>
  buildProcessor({ [type]: options });

/** A document with `_index` and `_id` metadata, the fixed timestamp and extra ingest metadata. */
export const ingestDocument = (
  source: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): IngestDocument =>
  IngestDocument.create(
    structuredClone(source),
    { _index: 'my-index', _id: '1', ...metadata },
    TIMESTAMP,
  );

/** Runs one processor on a copy of `source` and returns the resulting source (metadata left out). */
export async function run(
  type: CoreType,
  options: Record<string, unknown>,
  source: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const document = ingestDocument(source);
  const outcome = await create(type, options).execute(document);
  if (outcome === 'drop') throw new Error('the document was dropped');
  return document.source();
}

/** The OpenSearchError `action` throws (sync or async); fails the test when it throws nothing or something else. */
export async function errorOf(action: () => unknown): Promise<OpenSearchError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof OpenSearchError) return error;
    throw new Error(`expected an OpenSearchError, got ${String(error)}`);
  }
  throw new Error('expected an error, but nothing was thrown');
}

/** The error running the processor on `source` throws. */
export const runError = (
  type: CoreType,
  options: Record<string, unknown>,
  source: Record<string, unknown>,
): Promise<OpenSearchError> => errorOf(() => run(type, options, source));

/** The error building the processor from `options` throws (schema validation or create). */
export const configError = (
  type: CoreType,
  options: Record<string, unknown>,
): Promise<OpenSearchError> => errorOf(() => create(type, options));
