/**
 * Ingest pipelines, as far as the stand-in has them: none but `_none`. A write naming any other
 * pipeline (the `pipeline` parameter, the index's `index.default_pipeline` when no parameter is
 * given, or its `index.final_pipeline`, which `_none` does not skip) is refused with OpenSearch's
 * 400, so a test can prove a proxy ran the pipeline itself and wrote with `pipeline=_none`.
 */
import type { IndexState } from './indices.js';
import { settingText } from './index-settings.js';
import { ingestPipelineMissing } from './responses.js';

/** The only ingest pipeline id the stand-in accepts: "run no pipeline". */
export const NO_PIPELINE = '_none';

/** Throws OpenSearch's 400 unless every pipeline the write would run is `_none`. */
export function checkIngestPipelines(
  index: IndexState | undefined,
  requested: string | undefined,
): void {
  const settings = index?.settings;
  const fallback =
    settings === undefined ? undefined : settingText(settings, 'index.default_pipeline');
  const pipeline =
    requested === undefined || requested === '' ? (fallback ?? NO_PIPELINE) : requested;
  if (pipeline !== NO_PIPELINE) throw ingestPipelineMissing(pipeline);
  const finalPipeline =
    settings === undefined ? undefined : settingText(settings, 'index.final_pipeline');
  if (finalPipeline !== undefined && finalPipeline !== NO_PIPELINE)
    throw ingestPipelineMissing(finalPipeline);
}
