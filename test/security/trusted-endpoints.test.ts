import { describe, expect, it } from 'vitest';
import { assertTrustedEndpoint } from '../../src/security/trusted-endpoints.js';
import { DEFAULT_TRUSTED_ENDPOINTS } from '../../src/settings/definitions.js';

describe('assertTrustedEndpoint', () => {
  it.each([
    'https://api.openai.com/v1/chat/completions',
    'https://api.cohere.ai/v1/embed',
    'https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-embed-text-v1/invoke',
    'https://runtime.sagemaker.us-west-2.amazonaws.com/endpoints/x/invocations',
    'https://textract.us-east-1.amazonaws.com',
  ])('should trust %s with the default list', (url) => {
    expect(() => assertTrustedEndpoint(url, DEFAULT_TRUSTED_ENDPOINTS)).not.toThrow();
  });

  it.each([
    'http://api.openai.com/v1/chat/completions',
    'https://api.openai.com.evil.example/v1',
    'https://evil.example/?https://api.openai.com/',
    'https://textract.us-east-1.amazonaws.com/extra',
  ])('should refuse %s', (url) => {
    expect(() => assertTrustedEndpoint(url, DEFAULT_TRUSTED_ENDPOINTS)).toThrow(
      'Connector URL is not matching the trusted connector endpoint regex',
    );
  });

  it('should name the URL, with query values redacted, and the setting that allows it', () => {
    expect(() => assertTrustedEndpoint('https://gemini.example/v1/models/m:generateContent?key=AIzaSECRET', DEFAULT_TRUSTED_ENDPOINTS)).toThrow(
      expect.objectContaining({
        reason:
          'Connector URL is not matching the trusted connector endpoint regex, URL is: https://gemini.example/v1/models/m:generateContent?key=***. ' +
          'To allow it, add a regex that fully matches it to plugins.ml_commons.trusted_connector_endpoints_regex.',
      }),
    );
  });

  it('should require a full match even when the expression is not anchored', () => {
    expect(() => assertTrustedEndpoint('https://x.example/a', ['https://x\\.example'])).toThrow();
    expect(() => assertTrustedEndpoint('https://x.example', ['https://x\\.example'])).not.toThrow();
  });

  it('should refuse everything when the list is empty', () => {
    expect(() => assertTrustedEndpoint('https://api.openai.com/v1', [])).toThrow(
      'Trusted connector endpoints regex is not configured. Please set plugins.ml_commons.trusted_connector_endpoints_regex.',
    );
  });
});
