import type { ModelTensor } from '../../connectors/functions/types.js';
import type { ModelTensors } from '../../connectors/invoke/invoke-connector.js';

/** What `ModelPredictor.predict` answers: ML Commons' `inference_results`. */
export interface PredictAnswer {
  readonly inference_results: readonly ModelTensors[];
}

/** Every tensor of an answer, in order across its `inference_results`. */
export function allTensors(answer: PredictAnswer): ModelTensor[] {
  return answer.inference_results.flatMap((result) => result.output ?? []);
}

/**
 * The one vector an embedding answer holds for a single input (neural-search's
 * buildSingleVectorFromResponse): the `data` of its first tensor, empty when there is none.
 */
export function firstVector(answer: PredictAnswer): number[] {
  return allTensors(answer).find((tensor) => Array.isArray(tensor.data))?.data ?? [];
}

/** Similarity scores, one per document: the first number of each tensor (inferenceSimilarity). */
export function similarityScores(answer: PredictAnswer): number[] {
  return allTensors(answer).map((tensor) => tensor.data?.[0] ?? Number.NaN);
}

/** The `dataAsMap` of an answer's first tensor: what a remote LLM answered. */
export function firstDataAsMap(answer: PredictAnswer): Record<string, unknown> | undefined {
  return answer.inference_results[0]?.output?.[0]?.dataAsMap;
}
