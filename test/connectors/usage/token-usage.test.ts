import { describe, expect, it } from 'vitest';
import { readTokenUsage, tokenUsageReaders } from '../../../src/connectors/usage/token-usage.js';

const NO_HEADERS = {};

/** Each provider's answer, trimmed to its usage fields as the provider documents them. */
const FORMATS: ReadonlyArray<{ reader: keyof typeof tokenUsageReaders; body: unknown; headers?: Record<string, string>; expected: { input: number; output: number } }> = [
  {
    reader: 'bedrockHeaders',
    body: { embedding: [0.1], inputTextTokenCount: 3 },
    headers: { 'x-amzn-bedrock-input-token-count': '7', 'x-amzn-bedrock-output-token-count': '0' },
    expected: { input: 7, output: 0 },
  },
  { reader: 'openai', body: { object: 'list', data: [], usage: { prompt_tokens: 8, total_tokens: 8 } }, expected: { input: 8, output: 0 } },
  { reader: 'openai', body: { choices: [], usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 } }, expected: { input: 12, output: 30 } },
  { reader: 'anthropic', body: { content: [], usage: { input_tokens: 21, output_tokens: 5 } }, expected: { input: 21, output: 5 } },
  { reader: 'bedrockConverse', body: { output: {}, usage: { inputTokens: 9, outputTokens: 4, totalTokens: 13 } }, expected: { input: 9, output: 4 } },
  {
    reader: 'cohereV2',
    body: { message: {}, usage: { billed_units: { input_tokens: 11, output_tokens: 6 }, tokens: { input_tokens: 70, output_tokens: 6 } } },
    expected: { input: 11, output: 6 },
  },
  { reader: 'cohereV1', body: { embeddings: [], meta: { api_version: { version: '1' }, billed_units: { input_tokens: 4 } } }, expected: { input: 4, output: 0 } },
  { reader: 'gemini', body: { candidates: [], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 17, totalTokenCount: 22 } }, expected: { input: 5, output: 17 } },
  { reader: 'titan', body: { inputTextTokenCount: 6, results: [{ tokenCount: 10, outputText: 'x' }, { tokenCount: 2 }] }, expected: { input: 6, output: 12 } },
  { reader: 'llama', body: { generation: 'x', prompt_token_count: 15, generation_token_count: 3 }, expected: { input: 15, output: 3 } },
  { reader: 'alephAlpha', body: { model_version: '2022-04', embedding: [], num_tokens_prompt_total: 13 }, expected: { input: 13, output: 0 } },
  { reader: 'yandex', body: { embedding: [], numTokens: '9', modelVersion: '06.12.2023' }, expected: { input: 9, output: 0 } },
];

describe('readTokenUsage', () => {
  it.each(FORMATS)('should read the $reader format', ({ reader, body, headers, expected }) => {
    expect(tokenUsageReaders[reader](body, headers ?? NO_HEADERS)).toEqual(expected);
    expect(readTokenUsage(body, headers ?? NO_HEADERS)).toEqual(expected);
  });

  it('should have a case for every reader', () => {
    expect(new Set(FORMATS.map((format) => format.reader))).toEqual(new Set(Object.keys(tokenUsageReaders)));
  });

  it('should prefer Bedrock headers (what Bedrock bills) over the model family body', () => {
    const headers = { 'x-amzn-bedrock-input-token-count': '40', 'x-amzn-bedrock-output-token-count': '2' };
    expect(readTokenUsage({ usage: { input_tokens: 1, output_tokens: 1 } }, headers)).toEqual({ input: 40, output: 2 });
  });

  it.each([
    ['no usage at all (SageMaker)', [[0.1, 0.2]]],
    ['a rerank answer', { results: [{ index: 0, relevance_score: 0.9 }], meta: { billed_units: { search_units: 1 } } }],
    ['negative counts', { usage: { prompt_tokens: -1 } }],
    ['counts as text', { usage: { prompt_tokens: '12' } }],
    ['no JSON body', undefined],
  ])('should count nothing for %s', (_name, body) => {
    expect(readTokenUsage(body, NO_HEADERS)).toBeUndefined();
  });

  it('should ignore a blank or non-numeric Bedrock header', () => {
    expect(readTokenUsage({}, { 'x-amzn-bedrock-input-token-count': ' ' })).toBeUndefined();
    expect(readTokenUsage({}, { 'x-amzn-bedrock-input-token-count': 'many' })).toBeUndefined();
  });
});
