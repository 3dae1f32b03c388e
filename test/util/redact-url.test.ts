import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/util/redact-url.js';

describe('redactUrl', () => {
  it.each([
    ['no query', 'https://api.openai.com/v1/chat/completions', 'https://api.openai.com/v1/chat/completions'],
    [
      "Gemini's key parameter",
      'https://generativelanguage.googleapis.com/v1beta/models/m:generateContent?key=AIzaSySECRET',
      'https://generativelanguage.googleapis.com/v1beta/models/m:generateContent?key=***',
    ],
    ['every value', 'https://x.example/a?api-version=1&sig=SECRET&flag', 'https://x.example/a?api-version=***&sig=***&***'],
    ['user info', 'https://user:SECRET@x.example:8443/p', 'https://x.example:8443/p'],
    ['fragment', 'https://x.example/p#SECRET', 'https://x.example/p'],
    ['unresolved placeholder kept as written', 'https://${parameters.host}/v1?k=${parameters.k}', 'https://${parameters.host}/v1?k=***'],
    ['no scheme', 'evil.example/v1?token=SECRET', 'evil.example/v1?token=***'],
  ])('%s', (_case, url, expected) => {
    expect(redactUrl(url)).toBe(expected);
    expect(redactUrl(url)).not.toContain('SECRET');
  });
});
