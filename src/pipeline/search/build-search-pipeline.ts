import { OpenSearchError } from '../../errors/opensearch-error.js';
import { searchPhaseResultsProcessors, searchRequestProcessors, searchResponseProcessors } from '../../processors/search/index.js';
import type { ProcessorDefinition, ProcessorDeps } from '../../processors/processor-definition.js';
import { processorConfigError, validateProcessorConfig } from '../../processors/validate-config.js';
import { compileSchema, validateOrThrow } from '../../schemas/ajv.js';
import { searchPipelineSchema } from '../../schemas/pipeline-schemas.js';
import { isJsonObject } from '../../util/json.js';
import type { PipelineBuildDeps } from '../build-ingest-pipeline.js';
import type { CompiledSearchPipeline, CompiledSearchStep } from './compiled-search-pipeline.js';

const validatePipeline = compileSchema<{
  request_processors?: unknown[];
  response_processors?: unknown[];
  phase_results_processors?: unknown[];
}>(searchPipelineSchema);
const COMMON_OPTIONS = ['tag', 'description', 'ignore_failure'];

/**
 * Validates a search pipeline body and builds its processors, as OpenSearch does at PUT: an
 * unknown processor type or option, or a bad value, is a 400 naming it.
 */
export function buildSearchPipeline(id: string, body: unknown, buildDeps: PipelineBuildDeps): CompiledSearchPipeline {
  const deps: ProcessorDeps = {
    ...buildDeps,
    buildIngestProcessor: () => {
      throw parseException('ingest processors cannot be nested in a search pipeline');
    },
  };
  const pipeline = validateOrThrow(validatePipeline, body, { what: 'search_pipeline', toError: parseException });
  const phaseResultsSteps = (pipeline.phase_results_processors ?? []).map((config, index) =>
    buildStep(config, `phase_results_processors[${index}]`, searchPhaseResultsProcessors, 'phase_results', deps),
  );
  if (phaseResultsSteps.length > 1) {
    throw parseException('a search pipeline takes one phase results processor (normalization-processor or score-ranker-processor)');
  }
  return {
    id,
    requestSteps: (pipeline.request_processors ?? []).map((config, index) =>
      buildStep(config, `request_processors[${index}]`, searchRequestProcessors, 'request', deps),
    ),
    ...(phaseResultsSteps[0] === undefined ? {} : { phaseResultsStep: phaseResultsSteps[0] }),
    responseSteps: (pipeline.response_processors ?? []).map((config, index) =>
      buildStep(config, `response_processors[${index}]`, searchResponseProcessors, 'response', deps),
    ),
  };
}

function buildStep<Kind extends 'search_request' | 'search_response' | 'search_phase_results'>(
  config: unknown,
  path: string,
  registry: Readonly<Record<string, ProcessorDefinition<any, Kind>>>,
  phase: 'request' | 'response' | 'phase_results',
  deps: ProcessorDeps,
): CompiledSearchStep<ReturnType<ProcessorDefinition<any, Kind>['create']>> {
  if (!isJsonObject(config) || Object.keys(config).length !== 1) {
    throw parseException(`[${path}] must be an object with exactly one processor type as its key`);
  }
  const [type, rawOptions] = Object.entries(config)[0]!;
  if (!Object.hasOwn(registry, type)) {
    throw parseException(`Invalid processor type [${type}] for ${phase} processors; known: [${Object.keys(registry).sort().join(', ')}]`);
  }
  if (!isJsonObject(rawOptions)) throw processorConfigError(type, undefined, undefined, `[${path}.${type}] must be an object`);
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rawOptions)) if (!COMMON_OPTIONS.includes(key)) own[key] = value;
  const tag = typeof rawOptions['tag'] === 'string' ? rawOptions['tag'] : undefined;
  const ignoreFailure = rawOptions['ignore_failure'] ?? false;
  if (typeof ignoreFailure !== 'boolean') throw processorConfigError(type, tag, 'ignore_failure', "[ignore_failure] property isn't a boolean");
  const definition = registry[type]!;
  const options = validateProcessorConfig(definition, own, tag);
  return {
    type,
    tag,
    description: typeof rawOptions['description'] === 'string' ? rawOptions['description'] : undefined,
    ignoreFailure,
    processor: definition.create(options, deps, tag),
  };
}

function parseException(reason: string): OpenSearchError {
  return new OpenSearchError({ status: 400, type: 'parse_exception', reason });
}
