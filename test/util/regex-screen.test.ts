import { describe, expect, it } from 'vitest';
import { DEFAULT_TRUSTED_ENDPOINTS } from '../../src/settings/definitions.js';
import { screenRegex } from '../../src/util/regex-screen.js';
import { buildTestApp, errorReason } from '../helpers/test-app.js';

describe('screenRegex', () => {
  it.each([...DEFAULT_TRUSTED_ENDPOINTS, '^https://(api|www)\\.example\\.com/.*$', '^https://[a-z]+\\.example/(v1)?/.*$', '(ab){1}', 'a(b?)+'])(
    'should accept %s',
    (expression) => expect(screenRegex(expression)).toBeUndefined(),
  );

  it.each([
    ['(a+)+$', 'nested quantifiers'],
    ['^(.*)*x$', 'nested quantifiers'],
    ['((ab)*c)+', 'nested quantifiers'],
    ['(x|y+){2,}', 'nested quantifiers'],
    ['(\\d{2,})*', 'nested quantifiers'],
    ['(a)\\1', 'back-references'],
    ['x'.repeat(257), 'longer than 256'],
  ])('should refuse %s', (expression, reason) => {
    expect(screenRegex(expression)).toContain(reason);
  });

  it('should not be fooled by quantifiers inside character classes or escapes', () => {
    expect(screenRegex('([+*])+')).toBeUndefined();
    expect(screenRegex('(\\+)+')).toBeUndefined();
  });

  it('should refuse a catastrophic trusted-endpoint regex when it is set', async () => {
    const { call } = await buildTestApp();
    const response = await call('PUT', '/_cluster/settings', {
      persistent: { 'plugins.ml_commons.trusted_connector_endpoints_regex': ['^https://(a+)+\\.example/.*$'] },
    });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain('nested quantifiers can backtrack catastrophically');
  });
});
