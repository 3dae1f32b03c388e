import { OpenSearchError } from '../errors/opensearch-error.js';
import { ingestProcessorDefinitions } from '../processors/index.js';
import type { IngestProcessor, ProcessorDefinition, ProcessorDeps } from '../processors/processor-definition.js';
import { processorConfigError, validateProcessorConfig } from '../processors/validate-config.js';
import { compileSchema, validateOrThrow } from '../schemas/ajv.js';
import { ingestPipelineSchema } from '../schemas/pipeline-schemas.js';
import { isJsonObject } from '../util/json.js';
import type { CompiledIngestPipeline, CompiledStep } from './compiled-pipeline.js';
import { runStepOnDocument } from './run-ingest.js';

const validatePipeline = compileSchema<{ processors: unknown[]; on_failure?: unknown[] }>(ingestPipelineSchema);
const COMMON_OPTIONS = ['tag', 'description', 'if', 'ignore_failure', 'on_failure'] as const;

/** The services a pipeline's processors are built with, minus the self-reference the builder adds. */
export type PipelineBuildDeps = Omit<ProcessorDeps, 'buildIngestProcessor'>;

/**
 * Validates a pipeline body and builds every processor, as OpenSearch does when a pipeline is
 * stored: an unknown processor type, an unknown option or a bad value is a 400 naming it.
 */
export function buildIngestPipeline(id: string, body: unknown, deps: PipelineBuildDeps): CompiledIngestPipeline {
  const pipeline = validateOrThrow(validatePipeline, body, {
    what: 'pipeline',
    // ConfigurationUtils.readList: an absent list is refused, an empty one passes documents through.
    messages: { '/processors': '[processors] required property is missing' },
    toError: parseException,
  });
  const fullDeps: ProcessorDeps = { ...deps, buildIngestProcessor: (config, path) => stepAsProcessor(buildStep(config, path, fullDeps)) };
  return {
    id,
    steps: pipeline.processors.map((config, index) => buildStep(config, `processors[${index}]`, fullDeps)),
    onFailure: (pipeline.on_failure ?? []).map((config, index) => buildStep(config, `on_failure[${index}]`, fullDeps)),
  };
}

function buildStep(config: unknown, path: string, deps: ProcessorDeps): CompiledStep {
  if (!isJsonObject(config) || Object.keys(config).length !== 1) {
    throw parseException(`[${path}] must be an object with exactly one processor type as its key`);
  }
  const [type, value] = Object.entries(config)[0]!;
  // OpenSearch accepts `{"script": "<source>"}` as the inline form of the script processor.
  const rawOptions = type === 'script' && typeof value === 'string' ? { source: value } : value;
  if (!Object.hasOwn(ingestProcessorDefinitions, type)) {
    throw parseException(
      `No processor type exists with name [${type}]; known: [${Object.keys(ingestProcessorDefinitions).sort().join(', ')}]`,
      { processor_type: type },
    );
  }
  const definition = (ingestProcessorDefinitions as Record<string, ProcessorDefinition<unknown, 'ingest'>>)[type]!;
  if (!isJsonObject(rawOptions)) throw processorConfigError(type, undefined, undefined, `[${path}.${type}] must be an object`);
  const { common, own } = splitOptions(type, rawOptions);
  const options = validateProcessorConfig<Record<string, unknown>>(definition, own, common.tag);
  const processor = definition.create(options, deps, common.tag);
  return {
    type,
    tag: common.tag,
    description: common.description,
    processor,
    condition: common.condition === undefined ? undefined : { source: common.condition, script: deps.compileScript(common.condition) },
    ignoreFailure: common.ignoreFailure,
    onFailure: common.onFailure.map((handler, index) => buildStep(handler, `${path}.${type}.on_failure[${index}]`, deps)),
  };
}

/** A nested processor (inside `foreach`) keeps its own `if`, `ignore_failure` and `on_failure`. */
function stepAsProcessor(step: CompiledStep): IngestProcessor {
  return {
    type: step.type,
    execute: async (document) => ((await runStepOnDocument(step, document, undefined)) === 'dropped' ? 'drop' : undefined),
  };
}

interface CommonOptions {
  tag: string | undefined;
  description: string | undefined;
  condition: string | undefined;
  ignoreFailure: boolean;
  onFailure: unknown[];
}

function splitOptions(type: string, options: Record<string, unknown>): { common: CommonOptions; own: Record<string, unknown> } {
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (!(COMMON_OPTIONS as readonly string[]).includes(key)) own[key] = value;
  const tag = optionalString(type, options, 'tag');
  const condition = options['if'];
  let conditionSource: string | undefined;
  if (typeof condition === 'string') conditionSource = condition;
  else if (isJsonObject(condition) && typeof condition['source'] === 'string') conditionSource = condition['source'];
  else if (condition !== undefined) throw processorConfigError(type, tag, 'if', '[if] must be a Painless script source or {"source": ...}');
  const ignoreFailure = options['ignore_failure'] ?? false;
  if (typeof ignoreFailure !== 'boolean') throw processorConfigError(type, tag, 'ignore_failure', `[ignore_failure] property isn't a boolean`);
  const onFailure = options['on_failure'] ?? [];
  if (!Array.isArray(onFailure) || (options['on_failure'] !== undefined && onFailure.length === 0)) {
    throw processorConfigError(type, tag, 'on_failure', '[on_failure] processors list cannot be empty');
  }
  return {
    common: { tag, description: optionalString(type, options, 'description'), condition: conditionSource, ignoreFailure, onFailure },
    own,
  };
}

function optionalString(type: string, options: Record<string, unknown>, key: string): string | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw processorConfigError(type, undefined, key, `[${key}] property isn't a string`);
  return value;
}

function parseException(reason: string, extra: Record<string, unknown> = {}): OpenSearchError {
  return new OpenSearchError({ status: 400, type: 'parse_exception', reason, extra });
}
