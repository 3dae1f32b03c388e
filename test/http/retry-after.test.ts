import { describe, expect, it } from 'vitest';
import { retryAfterMillis } from '../../src/http/retry-after.js';
import { isRetryableError } from '../../src/http/retry-policy.js';
import { ProviderError } from '../../src/errors/provider-error.js';
import { illegalArgument } from '../../src/errors/opensearch-error.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('retryAfterMillis', () => {
  it.each([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': ' 3 ' }, 3000],
    [{ 'retry-after': '0.25' }, 250],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after-ms': '125.5' }, 125.5],
    [{ 'retry-after-ms': '40', 'retry-after': '5' }, 40],
    [{ 'retry-after-ms': 'x', 'retry-after': '5' }, 5000],
    [{ 'retry-after': new Date(NOW + 7000).toUTCString() }, 7000],
    [{ 'retry-after': new Date(NOW - 7000).toUTCString() }, 0],
    [{ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, 0],
    [{ 'retry-after': '-5' }, undefined],
    [{ 'retry-after': 'later' }, undefined],
    [{ 'retry-after': '' }, undefined],
    [{}, undefined],
  ])('reads %j as %s ms', (headers, expected) => {
    expect(retryAfterMillis(headers, NOW)).toBe(expected);
  });
});

describe('isRetryableError', () => {
  it.each([
    [Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), true],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), true],
    [Object.assign(new Error('timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), true],
    [Object.assign(new Error('bad'), { code: 'UND_ERR_INVALID_ARG' }), false],
    [Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), false],
    [new DOMException('aborted', 'AbortError'), false],
    [illegalArgument('Remote inference host name has private ip address: x'), false],
    [new ProviderError({ statusCode: 503, responseHeaders: {}, reason: 'x' }), true],
    [new ProviderError({ statusCode: 400, responseHeaders: { 'x-amzn-errortype': 'ThrottlingException' }, reason: 'x' }), true],
    [new ProviderError({ statusCode: 400, responseHeaders: {}, reason: 'x' }), false],
    [new ProviderError({ statusCode: 503, responseHeaders: {}, reason: 'x', isRetryable: false }), false],
  ])('%s → %s', (error, expected) => {
    expect(isRetryableError(error)).toBe(expected);
  });
});
