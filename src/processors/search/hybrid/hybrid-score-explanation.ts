import { isJsonObject } from '../../../util/json.js';
import { defineProcessor } from '../../processor-definition.js';
import { searchHits } from '../search-hits.js';

/**
 * The request attribute under which a hybrid search with `explain` leaves, per hit (keyed by
 * `hybridHitKey`), how its score was normalized and combined.
 */
export const HYBRID_EXPLANATION_ATTRIBUTE = 'hybrid_score_explanation.details';

/** One hit's hybrid scoring, for its `_explanation`. */
export interface HybridExplanation {
  /** `arithmetic_mean combination of:` */
  readonly description: string;
  /** One entry per sub-query that returned the hit: its normalized score over the sub-query's own explanation. */
  readonly details: ReadonlyArray<{ readonly value: number; readonly description: string; readonly details: readonly unknown[] }>;
}

/** The key of a hit among the hybrid results: its index and id. */
export const hybridHitKey = (index: unknown, id: unknown): string => JSON.stringify([index, id]);

/**
 * `hybrid_score_explanation` (neural-search ExplanationResponseProcessor): with `explain`, each
 * hit's `_explanation` becomes the combination of its normalized sub-query scores, each over the
 * sub-query's own explanation, so the explanation adds up to `_score`. Without a hybrid search
 * (or without `explain`) the response passes unchanged.
 */
export const hybridScoreExplanationProcessor = defineProcessor({
  type: 'hybrid_score_explanation',
  kind: 'search_response',
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  create() {
    return {
      type: 'hybrid_score_explanation',
      async processResponse(context) {
        const explanations = context.request.attributes.get(HYBRID_EXPLANATION_ATTRIBUTE);
        if (!(explanations instanceof Map)) return;
        for (const hit of searchHits(context.response)) {
          const explanation = explanations.get(hybridHitKey(hit['_index'], hit['_id'])) as HybridExplanation | undefined;
          if (explanation === undefined || !isJsonObject(hit['_explanation'])) continue;
          hit['_explanation'] = { value: hit['_score'], description: explanation.description, details: explanation.details };
        }
      },
    };
  },
});
