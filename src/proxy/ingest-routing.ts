import { NO_PIPELINE, type ProxyContext } from './proxy-context.js';

/**
 * The sidecar pipeline a write must run, or undefined when the cluster handles it (no pipeline,
 * `_none`, or a pipeline that lives on the cluster). Precedence as OpenSearch: the item's own
 * `pipeline`, then the request's `?pipeline=`, then the index's `index.default_pipeline`.
 */
export async function sidecarPipelineFor(
  context: ProxyContext,
  options: { itemPipeline: unknown; requestPipeline: string | undefined; index: string; authorization: string | undefined },
): Promise<string | undefined> {
  let pipeline: string | undefined =
    typeof options.itemPipeline === 'string' ? options.itemPipeline : options.requestPipeline;
  if (pipeline === undefined) pipeline = (await context.indexSettings.pipelinesFor(options.index, options.authorization)).defaultPipeline;
  if (pipeline === undefined || pipeline === NO_PIPELINE) return undefined;
  return (await context.ingestPipelines.has(pipeline)) ? pipeline : undefined;
}
