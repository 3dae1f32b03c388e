import type { ErrorObject, ValidateFunction } from 'ajv';
import { OpenSearchError } from '../errors/opensearch-error.js';
import { javaTypeName } from '../pipeline/ingest-document.js';
import { compileSchema } from '../schemas/ajv.js';
import type { ProcessorDefinition } from './processor-definition.js';

const compiled = new WeakMap<object, ValidateFunction>();

/** OpenSearch's processor configuration error (ConfigurationUtils.newConfigurationException). */
export function processorConfigError(type: string, tag: string | undefined, property: string | undefined, reason: string): OpenSearchError {
  return new OpenSearchError({
    status: 400,
    type: 'parse_exception',
    reason,
    extra: {
      ...(property === undefined ? {} : { property_name: property }),
      processor_type: type,
      ...(tag === undefined ? {} : { processor_tag: tag }),
    },
  });
}

/**
 * Validates a processor's own options (common options already removed) against its schema and
 * returns them with defaults applied. Unknown options are reported first, so a misspelt required
 * option (`field_mapp`) is named as unknown rather than reported as the option it should have been.
 * Failures use OpenSearch's wording: `processor [type] doesn't support one or more provided
 * configuration parameters [x]` (search processors: `processor [type:tag] ... parameters: [x]`),
 * `[field] required property is missing`, `[field] property isn't a string, but of type [...]`.
 */
export function validateProcessorConfig<Config>(
  definition: Pick<ProcessorDefinition, 'type' | 'kind' | 'configSchema'>,
  config: Record<string, unknown>,
  tag?: string,
): Config {
  const unknown = unknownOptions(definition.configSchema, config);
  if (unknown.length > 0) throw unsupportedOptionsError(definition, tag, unknown);
  let validate = compiled.get(definition.configSchema);
  if (!validate) {
    validate = compileSchema(definition.configSchema);
    compiled.set(definition.configSchema, validate);
  }
  const copy = structuredClone(config);
  if (validate(copy)) return copy as Config;
  throw describe(definition.type, tag, validate.errors?.[0], copy);
}

/**
 * OpenSearch's message for options a processor does not know: ingest's
 * `ConfigurationUtils.readProcessor` names the type, search's `Pipeline.readProcessors` the
 * `type:tag` and puts a colon before the list.
 */
export function unsupportedOptionsError(
  definition: Pick<ProcessorDefinition, 'type' | 'kind'>,
  tag: string | undefined,
  names: readonly string[],
): OpenSearchError {
  const list = `[${names.join(', ')}]`;
  const reason =
    definition.kind === 'ingest'
      ? `processor [${definition.type}] doesn't support one or more provided configuration parameters ${list}`
      : `processor [${definition.type}${tag === undefined ? '' : `:${tag}`}] doesn't support one or more provided configuration parameters: ${list}`;
  return processorConfigError(definition.type, tag, undefined, reason);
}

/** Top-level options the (closed) schema does not list. */
function unknownOptions(schema: object, config: Record<string, unknown>): string[] {
  const known = (schema as { properties?: Record<string, unknown> }).properties ?? {};
  return Object.keys(config).filter((name) => !Object.hasOwn(known, name));
}

function describe(type: string, tag: string | undefined, error: ErrorObject | undefined, config: unknown): OpenSearchError {
  if (!error) return processorConfigError(type, tag, undefined, `invalid configuration for processor [${type}]`);
  const path = error.instancePath.slice(1).replaceAll('/', '.');
  switch (error.keyword) {
    case 'required': {
      const missing = [path, String(error.params['missingProperty'])].filter(Boolean).join('.');
      return processorConfigError(type, tag, missing, `[${missing}] required property is missing`);
    }
    case 'type': {
      const expected = String(error.params['type']).split(',')[0];
      const actual = javaTypeName(valueAt(config, error.instancePath));
      return processorConfigError(type, tag, path, `[${path}] property isn't a ${expected === 'array' ? 'list' : expected === 'object' ? 'map' : expected}, but of type [${actual}]`);
    }
    case 'additionalProperties':
      return processorConfigError(type, tag, path, `[${path}] doesn't support the parameter [${String(error.params['additionalProperty'])}]`);
    case 'enum':
      return processorConfigError(type, tag, path, `[${path}] must be one of [${(error.params['allowedValues'] as unknown[]).join(', ')}]`);
    default:
      return processorConfigError(type, tag, path || undefined, `[${path || type}] ${error.message ?? 'is invalid'}`);
  }
}

function valueAt(value: unknown, pointer: string): unknown {
  let current = value;
  for (const segment of pointer.split('/').slice(1)) {
    current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[segment] : undefined;
  }
  return current;
}
