import { describe, expect, it } from 'vitest';
import { closestName, didYouMean } from '../../src/util/closest-names.js';

const KNOWN = ['trusted_connector_endpoints_regex', 'trusted_connector_private_endpoints_regex', 'stream_enabled'];

describe('closestName', () => {
  it.each([
    ['trusted_connector_endpoint_regex', 'trusted_connector_endpoints_regex'],
    ['trusted_conector_private_endpoints_regex', 'trusted_connector_private_endpoints_regex'],
    ['strem_enabled', 'stream_enabled'],
    ['some_future_flag', undefined],
    ['', undefined],
  ])('should suggest for %s: %s', (name, expected) => {
    expect(closestName(name, KNOWN)).toBe(expected);
  });

  it('should never suggest the name itself', () => {
    expect(closestName('stream_enabled', ['stream_enabled'])).toBeUndefined();
  });
});

describe('didYouMean', () => {
  it('should phrase the suggestion as OpenSearch does, or say nothing', () => {
    expect(didYouMean('strem_enabled', KNOWN)).toBe(', did you mean [stream_enabled]?');
    expect(didYouMean('zzz', KNOWN)).toBe('');
  });
});
