import { f32 } from '../../../util/float32.js';
import type { ScoreCombinationTechnique } from './score-combinations.js';
import type { ScoreNormalizationTechnique } from './score-normalization.js';

/** One result of one sub-query: the document (index and id) and its raw score. */
export interface SubQueryResult {
  readonly key: string;
  readonly score: number;
}

/** A document of the hybrid pool, with what each sub-query gave it and its combined score. */
export interface FusedDocument {
  readonly key: string;
  readonly score: number;
  /** Raw scores, 0.0 where a sub-query did not return the document. */
  readonly rawScores: readonly number[];
  /** Normalized scores, undefined where a sub-query did not return the document. */
  readonly normalizedScores: ReadonlyArray<number | undefined>;
}

/** The techniques of a `normalization-processor` or `score-ranker-processor`. */
export interface HybridScoring {
  readonly normalization: ScoreNormalizationTechnique;
  readonly combination: ScoreCombinationTechnique;
  /** `sub-query-scores`: hits carry their raw sub-query scores in `fields`. */
  readonly subQueryScores: boolean;
}

/**
 * Normalizes each sub-query's results over all shards, then combines each document's normalized
 * scores (0.0 for a sub-query that did not return it), as NormalizationProcessorWorkflow does.
 * The documents come back in the order the sub-queries first returned them (sub-query 0's
 * results, then sub-query 1's new ones, ...): the tie-break of `rankByScore`.
 */
export function fuseHybridScores(lists: ReadonlyArray<readonly SubQueryResult[]>, scoring: HybridScoring): FusedDocument[] {
  const raw = lists.map((results) => results.map((result) => f32(result.score)));
  const normalized = scoring.normalization.normalize(raw);
  const documents = new Map<string, { rawScores: number[]; normalizedScores: Array<number | undefined> }>();
  lists.forEach((results, subQuery) => {
    results.forEach((result, position) => {
      let document = documents.get(result.key);
      if (document === undefined) {
        document = { rawScores: lists.map(() => 0), normalizedScores: lists.map(() => undefined) };
        documents.set(result.key, document);
      }
      document.rawScores[subQuery] = raw[subQuery]![position]!;
      document.normalizedScores[subQuery] = normalized[subQuery]![position]!;
    });
  });
  return [...documents].map(([key, document]) => ({
    key,
    ...document,
    score: scoring.combination.combine(document.normalizedScores.map((score) => score ?? 0)),
  }));
}

/** Highest combined score first; equal scores keep their order (a stable sort). */
export function rankByScore(documents: readonly FusedDocument[]): FusedDocument[] {
  return [...documents].sort((left, right) => right.score - left.score);
}
