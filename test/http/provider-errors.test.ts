import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors/provider-error.js';
import { providerError } from '../../src/http/provider-errors.js';

const SECRET = 'sk-test-"quoted"/key+1';
const answer = (status: number, body: string, headers: Record<string, string> = {}) => ({ status, headers, body });

describe('providerError', () => {
  it.each([
    ['the body, as ML Commons quotes it', answer(400, '{"error":"bad input"}'), 'Error from remote service: {"error":"bad input"}'],
    ['an empty body', answer(502, ' \n'), 'Remote service returned error status 502 with empty body'],
    [
      'AWS throttling, whatever the body',
      answer(400, '{"message":"Rate exceeded"}', { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/' }),
      'Error from remote service: The request was denied due to remote server throttling. To change the retry policy and behavior, please update the connector client_config.',
    ],
    ['a secret the provider echoed', answer(401, `{"error":"Incorrect API key provided: ${SECRET}"}`), 'Error from remote service: {"error":"Incorrect API key provided: [REDACTED]"}'],
    ['a secret JSON-escaped', answer(401, JSON.stringify({ key: SECRET })), 'Error from remote service: {"key":"[REDACTED]"}'],
    ['a secret URL-encoded', answer(400, `bad url ?key=${encodeURIComponent(SECRET)}`), 'Error from remote service: bad url ?key=[REDACTED]'],
  ])('should word %s', (_case, response, reason) => {
    const error = providerError(response, [SECRET, 'abc']);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: response.status, statusCode: response.status, type: 'status_exception', reason });
    expect(error.responseHeaders).toBe(response.headers);
  });

  it('should not scrub values too short to be keys', () => {
    expect(providerError(answer(400, 'abc is not a model'), ['abc']).reason).toBe('Error from remote service: abc is not a model');
  });
});
