/**
 * The input checks every built-in pre-process function starts with
 * (ConnectorPreProcessFunction.validateTextDocsInput and the rerank functions' validate).
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import type { PredictInput } from './types.js';

/** What a pre-process function receives: everything but remote input, which bypasses it. */
export type PreProcessInput = Exclude<PredictInput, { kind: 'remote' }>;

/** ML Commons' message when a text-docs function gets another input type. */
export const TEXT_DOCS_ONLY =
  "This pre_process_function can only support TextDocsInputDataSet which including a list of string with key 'text_docs'";

/** ML Commons' message when a rerank function gets another input type. */
export const TEXT_SIMILARITY_ONLY = 'This pre_process_function can only support TextSimilarityInputDataSet';

/** The docs of a text-docs input, or the 400 ML Commons throws for any other input. */
export function requireTextDocs(input: PreProcessInput): readonly (string | null)[] {
  if (input.kind !== 'text_docs') throw illegalArgument(TEXT_DOCS_ONLY);
  return input.textDocs;
}

/** The query and docs of a similarity input, or the 400 ML Commons throws for any other input. */
export function requireTextSimilarity(input: PreProcessInput): { queryText: string; textDocs: readonly string[] } {
  if (input.kind !== 'text_similarity') throw illegalArgument(TEXT_SIMILARITY_ONLY);
  return input;
}

/**
 * Parameters from named docs, leaving out the null ones. ML Commons would store a null doc as the
 * text "null" (Gson) or fail with a NullPointerException; an absent parameter lets the template's
 * `${parameters.x:-null}` default apply instead.
 */
export function presentParameters(entries: Readonly<Record<string, string | null | undefined>>): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (typeof value === 'string') parameters[key] = value;
  }
  return parameters;
}
