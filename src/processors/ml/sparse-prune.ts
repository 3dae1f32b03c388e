import { illegalArgument, type OpenSearchError } from '../../errors/opensearch-error.js';
import { setOwn } from './own-properties.js';

/** neural-search's PruneType values. */
export const PRUNE_TYPES = ['none', 'top_k', 'alpha_mass', 'max_ratio', 'abs_value'] as const;
export type PruneType = (typeof PRUNE_TYPES)[number];

/** A prune method and its ratio (threshold, or K for `top_k`). */
export interface PruneSettings {
  readonly type: PruneType;
  readonly ratio: number;
}

/**
 * Checks `prune_type` / `prune_ratio` as SparseEncodingProcessorFactory does: no type means none
 * (and then no ratio), any other type needs a ratio valid for it (PruneUtils.isValidPruneRatio).
 */
export function parsePruneSettings(
  type: string | undefined,
  ratio: number | undefined,
  errors: { invalid: (reason: string) => OpenSearchError; missingRatio: () => OpenSearchError },
): PruneSettings {
  if (type === undefined || type === '') {
    if (ratio !== undefined)
      throw errors.invalid('prune_ratio field is not supported when prune_type is not provided');
    return { type: 'none', ratio: 0 };
  }
  if (!(PRUNE_TYPES as readonly string[]).includes(type))
    throw errors.invalid(`Unknown prune type: ${type}`);
  const pruneType = type as PruneType;
  if (pruneType === 'none') {
    if (ratio !== undefined)
      throw errors.invalid('prune_ratio field is not supported when prune_type is not provided');
    return { type: 'none', ratio: 0 };
  }
  if (ratio === undefined) throw errors.missingRatio();
  // The factory reads the ratio as a Java float and prints it with %f.
  const floatRatio = Math.fround(ratio);
  const rule = RATIO_RULES[pruneType];
  if (!rule.valid(floatRatio)) {
    throw errors.invalid(
      `Illegal prune_ratio ${floatRatio.toFixed(6)} for prune_type: ${pruneType}. ${rule.description}`,
    );
  }
  return { type: pruneType, ratio: floatRatio };
}

const RATIO_RULES: Record<
  Exclude<PruneType, 'none'>,
  { valid: (ratio: number) => boolean; description: string }
> = {
  top_k: {
    valid: (ratio) => ratio > 0 && Number.isInteger(ratio),
    description: 'prune_ratio should be positive integer.',
  },
  alpha_mass: {
    valid: (ratio) => ratio >= 0 && ratio < 1,
    description: 'prune_ratio should be in the range [0, 1).',
  },
  max_ratio: {
    valid: (ratio) => ratio >= 0 && ratio < 1,
    description: 'prune_ratio should be in the range [0, 1).',
  },
  abs_value: { valid: (ratio) => ratio >= 0, description: 'prune_ratio should be non-negative.' },
};

/**
 * Prunes one token→weight map (PruneUtils.pruneSparseVector); kept tokens stay in their order.
 * Like neural-search, every weight must be positive, even when nothing is pruned.
 */
export function pruneSparseVector(
  settings: PruneSettings,
  vector: Readonly<Record<string, number>>,
): Record<string, number> {
  const entries = Object.entries(vector);
  if (entries.some(([, weight]) => weight <= 0))
    throw illegalArgument('Pruned values must be positive');
  const keep = keptTokens(settings, entries);
  const pruned: Record<string, number> = {};
  for (const [token, weight] of entries) {
    if (keep.has(token)) setOwn(pruned, token, weight);
  }
  return pruned;
}

function keptTokens(settings: PruneSettings, entries: readonly [string, number][]): Set<string> {
  const { type, ratio } = settings;
  // PruneUtils works on Java floats; comparing in float keeps the boundaries (0.3 >= 0.3) the same.
  const floats = entries.map(([token, weight]): [string, number] => [token, Math.fround(weight)]);
  const descending = () => [...floats].sort((left, right) => right[1] - left[1]);
  const tokens = (kept: readonly [string, number][]) => new Set(kept.map(([token]) => token));
  switch (type) {
    case 'none':
      return tokens(floats);
    case 'top_k':
      return tokens(descending().slice(0, Math.trunc(ratio)));
    case 'max_ratio': {
      const max = floats.reduce((highest, [, weight]) => Math.max(highest, weight), 0);
      return tokens(floats.filter(([, weight]) => weight >= Math.fround(ratio * max)));
    }
    case 'abs_value':
      return tokens(floats.filter(([, weight]) => weight >= ratio));
    case 'alpha_mass': {
      // The heaviest tokens whose running sum stays within alpha of the (double-summed) total.
      const total = floats.reduce((sum, [, weight]) => sum + weight, 0);
      const limit = Math.fround(ratio * Math.fround(total));
      const kept: [string, number][] = [];
      let running = 0;
      for (const entry of descending()) {
        running = Math.fround(running + entry[1]);
        if (running <= limit) kept.push(entry);
      }
      return tokens(kept);
    }
  }
}

/**
 * Splits a token→weight map in two (PruneUtils.splitSparseVector): the tokens pruning keeps, and
 * the ones it would drop. Every weight must be positive.
 */
export function splitSparseVector(
  settings: PruneSettings,
  vector: Readonly<Record<string, number>>,
): { kept: Record<string, number>; dropped: Record<string, number> } {
  const kept = pruneSparseVector(settings, vector);
  const dropped: Record<string, number> = {};
  for (const [token, weight] of Object.entries(vector)) {
    if (!Object.hasOwn(kept, token)) setOwn(dropped, token, weight);
  }
  return { kept, dropped };
}
