import { describe, expect, it } from 'vitest';
import { isOpenSearchError } from '../../src/errors/opensearch-error.js';
import { isProviderError, ProviderError } from '../../src/errors/provider-error.js';

const AWS_THROTTLING = { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' };

describe('ProviderError', () => {
  it.each([
    [429, {}, true, true],
    [500, {}, true, false],
    [503, {}, true, false],
    [599, {}, true, false],
    [400, AWS_THROTTLING, true, true],
    [400, { 'x-amzn-errortype': 'ThrottlingException' }, true, true],
    [503, AWS_THROTTLING, true, true],
    [400, {}, false, false],
    [403, {}, false, false],
    [404, {}, false, false],
    [408, {}, false, false],
    [422, {}, false, false],
    [400, { 'x-amzn-errortype': 'ModelError' }, false, false],
  ])('should classify %i %j as retryable %s, throttle %s', (statusCode, responseHeaders, isRetryable, isThrottle) => {
    const error = new ProviderError({ statusCode, responseHeaders, reason: 'Error from remote service: x' });
    expect({ isRetryable: error.isRetryable, isThrottle: error.isThrottle }).toEqual({ isRetryable, isThrottle });
  });

  it('should render as the remote status with its reason, like every OpenSearchError', () => {
    const error = new ProviderError({ statusCode: 422, responseHeaders: { 'x-request-id': 'r1' }, reason: 'Error from remote service: {"error":"too long"}' });
    expect(isProviderError(error)).toBe(true);
    expect(isOpenSearchError(error)).toBe(true);
    expect(error).toMatchObject({ status: 422, type: 'status_exception', reason: 'Error from remote service: {"error":"too long"}' });
    expect(error.responseHeaders).toEqual({ 'x-request-id': 'r1' });
  });

  it('should let the caller override the defaults', () => {
    expect(new ProviderError({ statusCode: 503, responseHeaders: {}, reason: 'x', isRetryable: false }).isRetryable).toBe(false);
    expect(new ProviderError({ statusCode: 400, responseHeaders: {}, reason: 'x', isThrottle: true }).isRetryable).toBe(true);
  });
});
