/**
 * What a provider's answer says about its rate limits, read from the headers each provider sends:
 *
 * | Provider | Headers | Meaning |
 * |---|---|---|
 * | OpenAI | `x-ratelimit-limit-requests` / `-tokens`, `x-ratelimit-remaining-*`, `x-ratelimit-reset-*` | per-minute limits, what is left, time to a full bucket (`6m0s`, `1.5s`, `20ms`) |
 * | Azure OpenAI | `x-ratelimit-remaining-requests` / `-tokens` (newer API versions add the limits; `-1` = unknown) | what is left |
 * | Cohere (trial keys) | `x-trial-endpoint-call-limit`, `x-trial-endpoint-call-remaining` | calls a minute, what is left (`x-endpoint-monthly-call-limit` is a monthly cap, not a rate) |
 * | Bedrock, SageMaker | none: throttling shows only as `x-amzn-ErrorType: ThrottlingException` | |
 *
 * https://platform.openai.com/docs/guides/rate-limits, https://learn.microsoft.com/azure/ai-services/openai/quotas-limits,
 * https://docs.cohere.com/docs/rate-limits
 */

/** One dimension (requests or tokens) of a provider's limit. */
export interface RateLimitWindow {
  /** The per-minute limit. */
  readonly limit?: number;
  /** Units left when the provider answered. */
  readonly remaining?: number;
  /** Milliseconds until the provider's bucket is full again. */
  readonly resetMillis?: number;
}

/** The rate-limit state an answer reports; a dimension is absent when the provider says nothing of it. */
export interface RateLimitSnapshot {
  readonly requests?: RateLimitWindow;
  readonly tokens?: RateLimitWindow;
}

const UNIT_MILLIS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };
const DURATION_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy;

/**
 * Milliseconds of a reset value: a Go-style duration (`6m0s`, `1m30.5s`, `20ms`) as OpenAI writes
 * it, or a bare number of seconds (Azure); undefined for anything else.
 */
export function parseResetMillis(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = DURATION_PART.exec(text); match !== null; match = DURATION_PART.exec(text)) {
    total += Number(match[1]) * UNIT_MILLIS[match[2]!]!;
    consumed = DURATION_PART.lastIndex;
  }
  return consumed === text.length ? total : undefined;
}

/** A count header; negative values (Azure's `-1`) and anything not a number mean "unknown". */
function count(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value.trim());
  return value.trim() !== '' && Number.isFinite(number) && number >= 0 ? number : undefined;
}

function window(limit: string | undefined, remaining: string | undefined, reset: string | undefined): RateLimitWindow | undefined {
  const parsed = { limit: count(limit), remaining: count(remaining), resetMillis: parseResetMillis(reset) };
  if (parsed.limit === 0) parsed.limit = undefined; // a zero limit would stop every call: treat it as unknown
  return parsed.limit === undefined && parsed.remaining === undefined ? undefined : parsed;
}

/** The rate limits an answer's headers (lower-case names) report, or undefined when they report none. */
export function parseRateLimitHeaders(headers: Readonly<Record<string, string>>): RateLimitSnapshot | undefined {
  const requests =
    window(headers['x-ratelimit-limit-requests'], headers['x-ratelimit-remaining-requests'], headers['x-ratelimit-reset-requests']) ??
    window(headers['x-trial-endpoint-call-limit'], headers['x-trial-endpoint-call-remaining'], undefined);
  const tokens = window(headers['x-ratelimit-limit-tokens'], headers['x-ratelimit-remaining-tokens'], headers['x-ratelimit-reset-tokens']);
  if (requests === undefined && tokens === undefined) return undefined;
  return { ...(requests === undefined ? {} : { requests }), ...(tokens === undefined ? {} : { tokens }) };
}
