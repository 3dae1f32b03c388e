import { illegalArgument } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import { defineProcessor } from '../processor-definition.js';
import { findClauses, NEURAL_DEFAULTS_ATTRIBUTE, neuralDefaultsFrom, resolveModelId, type NeuralModelDefaults } from './neural-query.js';

export interface NeuralQueryEnricherConfig {
  default_model_id?: string;
  neural_field_default_id?: Record<string, string>;
}

// neural-search's visitor fills both dense and sparse neural clauses.
const ENRICHED_TYPES = ['neural', 'neural_sparse'];

/**
 * `neural_query_enricher` (neural-search NeuralQueryEnricherProcessor): gives every `neural` and
 * `neural_sparse` clause without a `model_id` its field's default, else the default, and leaves the
 * defaults in the request attributes (`NEURAL_DEFAULTS_ATTRIBUTE`) for the final neural rewrite.
 */
export const neuralQueryEnricherProcessor = defineProcessor({
  type: 'neural_query_enricher',
  kind: 'search_request',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      default_model_id: { type: 'string', description: 'Model id for neural clauses that name none and whose field has no default.' },
      neural_field_default_id: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Model id per vector field, for neural clauses on that field that name none.',
      },
    },
  },
  create(config: NeuralQueryEnricherConfig) {
    if (config.default_model_id === undefined && config.neural_field_default_id === undefined) {
      throw illegalArgument('model Id or neural info map either of them should be provided');
    }
    const defaults: NeuralModelDefaults = {
      ...(config.default_model_id === undefined ? {} : { defaultModelId: config.default_model_id }),
      ...(config.neural_field_default_id === undefined ? {} : { fieldModelIds: { ...config.neural_field_default_id } }),
    };
    return {
      type: 'neural_query_enricher',
      async processRequest(context) {
        for (const type of ENRICHED_TYPES) {
          for (const clause of findClauses(context.body, type)) fillModelId(clause[type], defaults, type === 'neural');
        }
        // A later enricher refines an earlier one, field by field.
        const earlier = neuralDefaultsFrom(context.attributes);
        context.attributes.set(NEURAL_DEFAULTS_ATTRIBUTE, {
          ...earlier,
          ...defaults,
          fieldModelIds: { ...earlier.fieldModelIds, ...defaults.fieldModelIds },
        } satisfies NeuralModelDefaults);
      },
    };
  },
});

/**
 * Sets a clause's model id from the defaults. A `neural` clause without one is refused here, as
 * neural-search refuses it; a `neural_sparse` clause may not need one (`query_tokens`), so the
 * final rewrite decides.
 */
function fillModelId(value: unknown, defaults: NeuralModelDefaults, required: boolean): void {
  if (!isJsonObject(value)) return;
  const [field, parameters] = Object.entries(value)[0] ?? [];
  // A malformed clause is left for the neural rewrite to report with neural-search's message.
  if (field === undefined || !isJsonObject(parameters)) return;
  const explicit = parameters['model_id'];
  if (explicit !== undefined && explicit !== null) return;
  const hasDefault = defaults.defaultModelId !== undefined || Object.hasOwn(defaults.fieldModelIds ?? {}, field);
  if (required || hasDefault) parameters['model_id'] = resolveModelId(field, undefined, defaults);
}
