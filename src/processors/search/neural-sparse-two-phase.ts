import { illegalArgument } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import { parsePruneSettings, type PruneSettings } from '../ml/sparse-prune.js';
import { defineProcessor } from '../processor-definition.js';

/**
 * The request attribute under which `neural_sparse_two_phase_processor` leaves its settings
 * (`TwoPhaseSettings`) for the final `neural_sparse` rewrite, which encodes the queries.
 */
export const NEURAL_SPARSE_TWO_PHASE_ATTRIBUTE = 'neural_sparse_two_phase.settings';

/** How `neural_sparse` queries are split into a fast first phase and a rescore. */
export interface TwoPhaseSettings {
  readonly prune: PruneSettings;
  /** The rescore window: the request's `size` (10 when unset) times `expansion_rate`. */
  readonly windowSize: number;
}

export interface TwoPhaseConfig {
  enabled: boolean;
  two_phase_parameter?: { prune_ratio?: number; prune_type?: string; expansion_rate?: number; max_window_size?: number };
}

const TYPE = 'neural_sparse_two_phase_processor';
const DEFAULT_BASE_QUERY_SIZE = 10;

/**
 * `neural_sparse_two_phase_processor` (neural-search NeuralSparseTwoPhaseProcessor): each
 * `neural_sparse` query (at the top, or in `bool.should` clauses) runs with its heavy tokens only
 * (those pruning keeps, by default `max_ratio` 0.4); its light tokens score the top
 * `size × expansion_rate` hits in a rescore, so they end with the full dot product.
 */
export const neuralSparseTwoPhaseProcessor = defineProcessor({
  type: TYPE,
  kind: 'search_request',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      enabled: { type: 'boolean', default: true, description: 'Whether queries are split (default true).' },
      two_phase_parameter: {
        type: 'object',
        additionalProperties: false,
        description: 'How queries are split and how large the rescore window is.',
        properties: {
          prune_ratio: { type: 'number', description: 'The prune parameter of `prune_type` (default 0.4).' },
          prune_type: { type: 'string', description: 'max_ratio (default), top_k, alpha_mass, abs_value or none.' },
          expansion_rate: { type: 'number', description: 'The rescore window as a multiple of `size` (default 5.0, at least 1.0).' },
          max_window_size: { type: 'integer', description: 'The largest rescore window (default 10000, at least 50).' },
        },
      },
    },
  },
  create(config: TwoPhaseConfig) {
    const parameters = config.two_phase_parameter ?? {};
    const pruneType = parameters.prune_type ?? 'max_ratio';
    const pruneRatio = parameters.prune_ratio ?? 0.4;
    const prune = parsePruneSettings(pruneType, pruneType === 'none' ? undefined : pruneRatio, {
      invalid: (reason) => illegalArgument(reason),
      missingRatio: () => illegalArgument('prune_ratio is required'),
    });
    const expansion = Math.fround(parameters.expansion_rate ?? 5);
    if (expansion < 1) throw illegalArgument(`The two_phase_parameter.expansion_rate must >= 1.0. Received: ${expansion.toFixed(6)}`);
    const maxWindowSize = parameters.max_window_size ?? 10_000;
    // neural-search's format string has `%n` (a line break) where the number belongs.
    if (maxWindowSize < 50) throw illegalArgument(`The two_phase_parameter.max_window_size must >= 50. Received: \n${maxWindowSize}`);
    const active = config.enabled && pruneRatio !== 0;
    return {
      type: TYPE,
      async processRequest(context) {
        if (!active) return;
        const size = typeof context.body['size'] === 'number' ? context.body['size'] : DEFAULT_BASE_QUERY_SIZE;
        const windowSize = Math.trunc(size * expansion);
        if (windowSize > maxWindowSize || windowSize < 0) {
          throw illegalArgument(
            `The two-phase window size of neural_sparse_two_phase_processor should be [0,${maxWindowSize}], but get the value of ${windowSize}`,
          );
        }
        context.attributes.set(NEURAL_SPARSE_TWO_PHASE_ATTRIBUTE, { prune, windowSize } satisfies TwoPhaseSettings);
      },
    };
  },
});

/** The two-phase settings a processor stored in a search's attributes, if any. */
export function twoPhaseSettingsFrom(attributes: ReadonlyMap<string, unknown>): TwoPhaseSettings | undefined {
  const stored = attributes.get(NEURAL_SPARSE_TWO_PHASE_ATTRIBUTE);
  return isJsonObject(stored) ? (stored as unknown as TwoPhaseSettings) : undefined;
}
