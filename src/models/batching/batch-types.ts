/** The shapes the batching modules pass between them. */
import type { ModelTensor } from '../../connectors/functions/types.js';
import type { ModelTensors } from '../../connectors/invoke/invoke-connector.js';

/** Sends one `text_docs` predict through the connector: one `ModelTensors` per provider call. */
export type SendTexts = (textDocs: readonly (string | null)[]) => Promise<ModelTensors[]>;

/**
 * The texts of one caller's chunk (what the caller alone would send in one provider call) that
 * still need the provider (cache misses). The smallest thing a coalesced call carries or a split
 * separates.
 */
export interface Unit {
  readonly texts: readonly (string | null)[];
  /** UTF-8 bytes of the texts, for `batch_max_bytes`. */
  readonly bytes: number;
}

/** One text's share of a provider answer. */
export interface TextAnswer {
  readonly tensors: readonly ModelTensor[];
  /** The status of the provider call that produced it (200 for a cache hit). */
  readonly status: number;
}

/**
 * A unit's answer: per text, or (when the provider answered a different number of tensors than
 * texts, so nothing can be attributed) the unit's own provider answer as is.
 */
export type UnitAnswer = { readonly perText: readonly TextAnswer[] } | { readonly whole: readonly ModelTensors[] };

/** A unit's outcome: its answer, or the error of the smallest call that carried it. */
export type Settled = { readonly answer: UnitAnswer } | { readonly error: unknown };

/** UTF-8 bytes of texts (null counts as nothing). */
export const textBytes = (texts: readonly (string | null)[]): number =>
  texts.reduce((total, text) => total + (text === null ? 0 : Buffer.byteLength(text)), 0);
