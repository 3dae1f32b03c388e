import type { CompiledSearchStep } from '../pipeline/search/compiled-search-pipeline.js';
import { assembleHybridResponse } from '../pipeline/search/hybrid-search-response.js';
import { checkResultWindow, HYBRID_URL_PARAMETERS, planHybridSearch, subQuerySearch } from '../pipeline/search/hybrid-search-plan.js';
import type { SearchPhaseResultsProcessor, SearchRequestContext } from '../processors/processor-definition.js';
import { HYBRID_EXPLANATION_ATTRIBUTE } from '../processors/search/index.js';
import { isJsonObject } from '../util/json.js';
import { NO_PIPELINE, queryWithout, type ProxiedRequest, type ProxyAnswer, type ProxyContext } from './proxy-context.js';

/** A search whose query is a top-level `hybrid` clause, with the pipeline step that scores it. */
export interface HybridSearchCall extends ProxiedRequest {
  readonly index: string | undefined;
  readonly request: SearchRequestContext;
  readonly phase: CompiledSearchStep<SearchPhaseResultsProcessor>;
}

/**
 * Runs a `hybrid` query for a cluster without neural-search: each sub-query is searched on its
 * own, for `depth × primary shards` results (each shard contributes its best `depth` per
 * sub-query in neural-search, so the pool matches in size), plus one search counting the
 * documents any sub-query matches; the pipeline's normalization and combination then score the
 * pool. A cluster error on any of them is the answer.
 */
export async function handleHybridSearch(context: ProxyContext, search: HybridSearchCall): Promise<ProxyAnswer> {
  const started = context.clock.now();
  const body = search.request.body;
  const plan = planHybridSearch(body, search.query);
  const settings = await context.indexSettings.searchSettingsFor(search.index ?? '_all', search.authorization);
  checkResultWindow(plan, settings.maxResultWindow);
  const perSubQuery = Math.min(plan.depth * settings.primaryShards, settings.maxResultWindow);
  const query = { ...queryWithout(search.query, 'search_pipeline', 'scroll', ...HYBRID_URL_PARAMETERS), search_pipeline: NO_PIPELINE };
  const searchOf = (searchBody: Record<string, unknown>) =>
    context.cluster.call({
      method: 'POST',
      path: search.index === undefined ? '/_search' : `/${encodeURIComponent(search.index)}/_search`,
      querystring: query,
      body: searchBody,
      authorization: search.authorization,
    });
  const [count, ...subQueries] = await Promise.all([
    plan.count === undefined ? undefined : searchOf(plan.count),
    ...plan.subQueries.map((_query, index) => searchOf(subQuerySearch(plan, index, perSubQuery))),
  ]);
  const failed = [...subQueries, count].find((answer) => answer !== undefined && (answer.status !== 200 || !isJsonObject(answer.body)));
  if (failed !== undefined) return failed;
  const assembled = assembleHybridResponse(plan, search.phase.processor.scoring, {
    subQueries: subQueries.map((answer) => answer.body as Record<string, unknown>),
    ...(count === undefined ? {} : { count: count.body as Record<string, unknown> }),
    took: context.clock.now() - started,
  });
  if (assembled.explanations !== undefined) search.request.attributes.set(HYBRID_EXPLANATION_ATTRIBUTE, assembled.explanations);
  return { status: 200, body: assembled.response };
}
