/**
 * The tokens a provider says one call consumed, read from where each provider reports them. The
 * readers run in order and the first that finds counts wins: Bedrock's InvokeModel headers first
 * (they count what Bedrock bills, whatever the model family's body says), then the body formats.
 * A provider that reports nothing (SageMaker endpoints, most rerank APIs) counts no tokens; a
 * missing output count is 0 (embedding APIs report input only).
 */

/** Tokens in and out of one provider call. */
export interface TokenUsage {
  readonly input: number;
  readonly output: number;
}

/** Finds the usage in a parsed response body and its (lower-case) headers, or says it is not there. */
type TokenUsageReader = (body: unknown, headers: Readonly<Record<string, string>>) => TokenUsage | undefined;

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;

/** A usage when the input count is there; the output count defaults to 0. */
function usage(input: unknown, output: unknown): TokenUsage | undefined {
  const inputTokens = count(input);
  const outputTokens = count(output);
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  return { input: inputTokens ?? 0, output: outputTokens ?? 0 };
}

const headerCount = (headers: Readonly<Record<string, string>>, name: string): number | undefined => {
  const value = headers[name];
  return value === undefined || value.trim() === '' ? undefined : count(Number(value));
};

/** Every format, in the order they are tried. */
export const tokenUsageReaders = {
  /** Bedrock InvokeModel: `X-Amzn-Bedrock-Input-Token-Count` / `-Output-Token-Count`. */
  bedrockHeaders: (_body, headers) =>
    usage(headerCount(headers, 'x-amzn-bedrock-input-token-count'), headerCount(headers, 'x-amzn-bedrock-output-token-count')),
  /** OpenAI chat, completions and embeddings (and OpenAI-compatible APIs): `usage.prompt_tokens` / `completion_tokens`. */
  openai: (body) => usage(field(field(body, 'usage'), 'prompt_tokens'), field(field(body, 'usage'), 'completion_tokens')),
  /** Anthropic messages and OpenAI responses: `usage.input_tokens` / `output_tokens`. */
  anthropic: (body) => usage(field(field(body, 'usage'), 'input_tokens'), field(field(body, 'usage'), 'output_tokens')),
  /** Bedrock Converse and Amazon Nova: `usage.inputTokens` / `outputTokens`. */
  bedrockConverse: (body) => usage(field(field(body, 'usage'), 'inputTokens'), field(field(body, 'usage'), 'outputTokens')),
  /** Cohere v2: `usage.billed_units.input_tokens` / `output_tokens`. */
  cohereV2: (body) => {
    const billed = field(field(body, 'usage'), 'billed_units');
    return usage(field(billed, 'input_tokens'), field(billed, 'output_tokens'));
  },
  /** Cohere v1: `meta.billed_units.input_tokens` / `output_tokens`. */
  cohereV1: (body) => {
    const billed = field(field(body, 'meta'), 'billed_units');
    return usage(field(billed, 'input_tokens'), field(billed, 'output_tokens'));
  },
  /** Gemini: `usageMetadata.promptTokenCount` / `candidatesTokenCount`. */
  gemini: (body) => usage(field(field(body, 'usageMetadata'), 'promptTokenCount'), field(field(body, 'usageMetadata'), 'candidatesTokenCount')),
  /** Amazon Titan text and embeddings: `inputTextTokenCount`, and `results[].tokenCount` out. */
  titan: (body) => {
    if (count(field(body, 'inputTextTokenCount')) === undefined) return undefined;
    const results = field(body, 'results');
    const output = Array.isArray(results) ? results.reduce<number>((total, result) => total + (count(field(result, 'tokenCount')) ?? 0), 0) : undefined;
    return usage(field(body, 'inputTextTokenCount'), output);
  },
  /** Meta Llama on Bedrock: `prompt_token_count` / `generation_token_count`. */
  llama: (body) => usage(field(body, 'prompt_token_count'), field(body, 'generation_token_count')),
  /** Aleph Alpha: `num_tokens_prompt_total` / `num_tokens_generated`. */
  alephAlpha: (body) => usage(field(body, 'num_tokens_prompt_total'), field(body, 'num_tokens_generated')),
  /** Yandex native embeddings: `numTokens`, an int64 that Yandex's JSON mapping writes as a string. */
  yandex: (body) => {
    const tokens = field(body, 'numTokens');
    return usage(typeof tokens === 'string' && /^\d+$/.test(tokens) ? Number(tokens) : tokens, undefined);
  },
} as const satisfies Record<string, TokenUsageReader>;

const READERS: readonly TokenUsageReader[] = Object.values(tokenUsageReaders);

/** The usage one provider answer reports, or undefined when it reports none. */
export function readTokenUsage(body: unknown, headers: Readonly<Record<string, string>>): TokenUsage | undefined {
  for (const read of READERS) {
    const found = read(body, headers);
    if (found !== undefined) return found;
  }
  return undefined;
}
