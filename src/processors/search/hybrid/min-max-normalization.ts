import { illegalArgument } from '../../../errors/opensearch-error.js';
import { f32 } from '../../../util/float32.js';
import { isJsonObject } from '../../../util/json.js';
import { MAX_SUB_QUERIES } from './hybrid-query.js';
import type { ScoreNormalizationTechnique } from './score-normalization.js';
import { checkNormalizationParameters } from './technique-parameters.js';

const MIN_SCORE = f32(0.001);
const SINGLE_RESULT_SCORE = 1;
const BOUND_LIMIT = 10_000;
const BOUND_MODES = ['apply', 'clip', 'ignore'] as const;
type BoundMode = (typeof BOUND_MODES)[number];

/** One sub-query's lower or upper bound (neural-search's LowerBound / UpperBound). */
interface ScoreBound {
  readonly enabled: boolean;
  readonly mode: BoundMode;
  readonly score: number;
  /** The raw `min_score` / `max_score` as given, for explanations. */
  readonly given: string;
}

const BOUND_KINDS = {
  lower_bounds: { scoreName: 'min_score', defaultScore: 0 },
  upper_bounds: { scoreName: 'max_score', defaultScore: 1 },
} as const;
type BoundKind = keyof typeof BOUND_KINDS;

/**
 * `min_max` (MinMaxScoreNormalizationTechnique): (s − min) / (max − min) per sub-query, 1.0 when a
 * sub-query's min equals its max, 0.001 for an exact 0; optional per-sub-query `lower_bounds`
 * (`min_score`) and `upper_bounds` (`max_score`), each with mode `apply` (default), `clip` or `ignore`.
 */
export function minMaxNormalization(parameters: Readonly<Record<string, unknown>> | undefined): ScoreNormalizationTechnique {
  checkNormalizationParameters(parameters, Object.keys(BOUND_KINDS), {
    lower_bounds: ['mode', 'min_score'],
    upper_bounds: ['mode', 'max_score'],
  });
  const lower = parseBounds(parameters, 'lower_bounds');
  const upper = parseBounds(parameters, 'upper_bounds');
  return {
    name: 'min_max',
    describe: () =>
      ['min_max', lower && `lower bounds ${describeBounds(lower)}`, upper && `upper bounds ${describeBounds(upper)}`]
        .filter(Boolean)
        .join(', '),
    normalize(lists) {
      for (const bounds of [lower, upper]) {
        if (bounds !== undefined && lists.length > 0 && bounds.length !== lists.length) {
          throw illegalArgument(
            `expected bounds array to contain ${lists.length} elements matching the number of sub-queries, but found a mismatch`,
          );
        }
      }
      return lists.map((scores, index) => {
        const min = scores.reduce((lowest, score) => Math.min(lowest, score), f32(3.4028234663852886e38));
        const max = scores.reduce((highest, score) => Math.max(highest, score), f32(1.401298464324817e-45));
        return scores.map((score) => normalizeScore(score, min, max, lower?.[index] ?? DISABLED_LOWER, upper?.[index] ?? DISABLED_UPPER));
      });
    },
  };
}

const DISABLED_LOWER: ScoreBound = { enabled: false, mode: 'apply', score: 0, given: '0.0' };
const DISABLED_UPPER: ScoreBound = { enabled: false, mode: 'apply', score: 1, given: '1.0' };

function normalizeScore(score: number, min: number, max: number, lower: ScoreBound, upper: ScoreBound): number {
  if (max === min && max === score) return SINGLE_RESULT_SCORE;
  const effectiveMin = lowerEffective(lower, score, min, max);
  const effectiveMax = upperEffective(upper, score, min, max);
  if (lower.enabled && lower.mode === 'clip' && score < effectiveMin) return MIN_SCORE;
  if (upper.enabled && upper.mode === 'clip' && score > effectiveMax) return 1;
  if (effectiveMax === effectiveMin) return SINGLE_RESULT_SCORE;
  const normalized = f32(f32(score - effectiveMin) / f32(effectiveMax - effectiveMin));
  return normalized === 0 ? MIN_SCORE : normalized;
}

function lowerEffective(bound: ScoreBound, score: number, min: number, max: number): number {
  if (!bound.enabled) return min;
  if (bound.mode === 'apply') return max > bound.score && score > bound.score ? bound.score : min;
  if (bound.mode === 'clip') return max < bound.score ? min : bound.score;
  return min;
}

function upperEffective(bound: ScoreBound, score: number, min: number, max: number): number {
  if (!bound.enabled) return max;
  if (bound.mode === 'apply') return min < bound.score && score < bound.score ? bound.score : max;
  if (bound.mode === 'clip') return min > bound.score ? max : bound.score;
  return max;
}

function parseBounds(parameters: Readonly<Record<string, unknown>> | undefined, kind: BoundKind): ScoreBound[] | undefined {
  if (parameters === undefined || !Object.hasOwn(parameters, kind)) return undefined;
  const raw = parameters[kind];
  if (!Array.isArray(raw)) throw illegalArgument(`${kind} must be a List`);
  if (raw.length > MAX_SUB_QUERIES) {
    throw illegalArgument(`${kind} size ${raw.length} should be less than or equal to ${MAX_SUB_QUERIES}`);
  }
  const { scoreName, defaultScore } = BOUND_KINDS[kind];
  return raw.map((item) => {
    if (!isJsonObject(item)) throw illegalArgument('each bound must be a map');
    const mode = parseMode(item['mode']);
    const given = item[scoreName];
    const score = given === undefined || given === null ? defaultScore : parseBoundScore(scoreName, given);
    return { enabled: true, mode, score, given: given === undefined || given === null ? `${defaultScore}.0` : String(given) };
  });
}

function parseMode(value: unknown): BoundMode {
  const text = value === undefined || value === null ? '' : String(value);
  if (text.trim() === '') return 'apply';
  const mode = text.toLowerCase();
  if ((BOUND_MODES as readonly string[]).includes(mode)) return mode as BoundMode;
  throw illegalArgument(`invalid mode: ${text}, valid values are: ${BOUND_MODES.join(', ')}`);
}

function parseBoundScore(name: string, value: unknown): number {
  const score = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (Number.isNaN(score)) throw illegalArgument(`invalid format for ${name}: must be a valid float value`);
  if (!(score >= -BOUND_LIMIT && score <= BOUND_LIMIT)) {
    throw illegalArgument(`${name} must be a valid finite number between -10000.000000 and 10000.000000`);
  }
  return f32(score);
}

const describeBounds = (bounds: readonly ScoreBound[]): string => `[${bounds.map((bound) => `(${bound.mode}, ${bound.given})`).join(', ')}]`;
