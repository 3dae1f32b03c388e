import { describe, expect, it } from 'vitest';
import { parseRateLimitHeaders, parseResetMillis, type RateLimitSnapshot } from '../../src/http/rate-limit-headers.js';

describe('parseRateLimitHeaders', () => {
  it.each<[string, Record<string, string>, RateLimitSnapshot | undefined]>([
    [
      'OpenAI (every header)',
      {
        'x-ratelimit-limit-requests': '5000',
        'x-ratelimit-limit-tokens': '160000',
        'x-ratelimit-remaining-requests': '4999',
        'x-ratelimit-remaining-tokens': '159976',
        'x-ratelimit-reset-requests': '12ms',
        'x-ratelimit-reset-tokens': '6m0s',
      },
      {
        requests: { limit: 5000, remaining: 4999, resetMillis: 12 },
        tokens: { limit: 160_000, remaining: 159_976, resetMillis: 360_000 },
      },
    ],
    [
      'OpenAI 429 on requests (retry headers are not rate-limit state)',
      {
        'x-ratelimit-limit-requests': '3000',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '20ms',
        'retry-after': '1',
        'retry-after-ms': '20',
      },
      { requests: { limit: 3000, remaining: 0, resetMillis: 20 } },
    ],
    [
      'Azure OpenAI (remaining only)',
      { 'x-ratelimit-remaining-requests': '119', 'x-ratelimit-remaining-tokens': '119990', 'x-ms-region': 'East US 2' },
      { requests: { limit: undefined, remaining: 119, resetMillis: undefined }, tokens: { limit: undefined, remaining: 119_990, resetMillis: undefined } },
    ],
    [
      'Azure OpenAI Responses API (-1 = unknown, reset in seconds)',
      { 'x-ratelimit-limit-tokens': '-1', 'x-ratelimit-remaining-tokens': '-1', 'x-ratelimit-reset-tokens': '0', 'x-ratelimit-remaining-requests': '12' },
      { requests: { limit: undefined, remaining: 12, resetMillis: undefined } },
    ],
    [
      'Cohere trial key (the monthly cap is not a rate)',
      { 'x-trial-endpoint-call-limit': '100', 'x-trial-endpoint-call-remaining': '97', 'x-endpoint-monthly-call-limit': '1000' },
      { requests: { limit: 100, remaining: 97, resetMillis: undefined } },
    ],
    [
      'Bedrock throttling (no rate-limit headers)',
      { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/', 'x-amzn-requestid': 'r' },
      undefined,
    ],
    ['nothing', { 'content-type': 'application/json' }, undefined],
    ['garbage values', { 'x-ratelimit-limit-requests': 'lots', 'x-ratelimit-remaining-requests': '' }, undefined],
    ['a zero limit is unknown', { 'x-ratelimit-limit-tokens': '0', 'x-ratelimit-remaining-tokens': '0' }, { tokens: { limit: undefined, remaining: 0, resetMillis: undefined } }],
  ])('%s', (_, headers, expected) => {
    expect(parseRateLimitHeaders(headers)).toEqual(expected);
  });
});

describe('parseResetMillis', () => {
  it.each<[string | undefined, number | undefined]>([
    ['1s', 1000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1m30.5s', 90_500],
    ['8.64s', 8640],
    ['1h2m3s', 3_723_000],
    ['150us', 0.15],
    ['6', 6000],
    ['0.5', 500],
    [' 2s ', 2000],
    ['', undefined],
    [undefined, undefined],
    ['soon', undefined],
    ['5 s', undefined],
    ['-1s', undefined],
    ['1s2', undefined],
  ])('%j → %j', (text, millis) => {
    expect(parseResetMillis(text)).toBe(millis);
  });
});
