import { describe, expect, it } from 'vitest';
import { DEFAULT_TRUSTED_ENDPOINTS } from '../../src/settings/definitions.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { buildTestApp, errorReason } from '../helpers/test-app.js';

describe('/_cluster/settings', () => {
  it('should answer empty scopes and ML Commons defaults', async () => {
    const { call } = await buildTestApp();
    expect((await call('GET', '/_cluster/settings')).body).toEqual({ persistent: {}, transient: {} });
    const { body } = await call('GET', '/_cluster/settings?include_defaults=true&flat_settings=true');
    expect(body.defaults['plugins.ml_commons.trusted_connector_endpoints_regex']).toEqual([...DEFAULT_TRUSTED_ENDPOINTS]);
    expect(body.defaults['plugins.ml_commons.connector.private_ip_enabled']).toBe('false');
    expect(body.defaults['plugins.ml_commons.remote_inference.enabled']).toBe('true');
    expect(body.defaults['plugins.ml_commons.model_auto_deploy.enable']).toBe('true');
    expect(body.defaults['plugins.ml_commons.model_access_control_enabled']).toBe('false');
    expect(body.defaults['plugins.ml_commons.connector_access_control_enabled']).toBe('false');
  });

  it.each([
    ['flat', { 'plugins.ml_commons.connector_access_control_enabled': true }],
    ['nested', { plugins: { ml_commons: { connector_access_control_enabled: true } } }],
    ['mixed', { 'plugins.ml_commons': { connector_access_control_enabled: 'true' } }],
  ])('should accept the %s form and answer like OpenSearch', async (_form, persistent) => {
    const { call, services } = await buildTestApp();
    const response = await call('PUT', '/_cluster/settings', { persistent });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      acknowledged: true,
      persistent: { plugins: { ml_commons: { connector_access_control_enabled: 'true' } } },
      transient: {},
    });
    expect(services.settings.get('plugins.ml_commons.connector_access_control_enabled')).toBe(true);
  });

  it('should resolve transient over persistent over default, and reset with null and wildcards', async () => {
    const { call, services } = await buildTestApp();
    const key = 'plugins.ml_commons.model_auto_deploy.enable';
    await call('PUT', '/_cluster/settings', { persistent: { [key]: false } });
    expect(services.settings.get(key)).toBe(false);
    await call('PUT', '/_cluster/settings', { transient: { [key]: true } });
    expect(services.settings.get(key)).toBe(true);
    await call('PUT', '/_cluster/settings', { transient: { [key]: null } });
    expect(services.settings.get(key)).toBe(false);
    await call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.*': null } });
    expect(services.settings.get(key)).toBe(true);
    expect((await call('GET', '/_cluster/settings')).body).toEqual({ persistent: {}, transient: {} });
  });

  it('should accept and store unknown plugins.ml_commons keys', async () => {
    const { call } = await buildTestApp();
    const response = await call('PUT', '/_cluster/settings?flat_settings=true', {
      persistent: { 'plugins.ml_commons.some_future_flag': 12, 'plugins.ml_commons.future_list': ['a', 1] },
    });
    expect(response.body.persistent).toEqual({
      'plugins.ml_commons.some_future_flag': '12',
      'plugins.ml_commons.future_list': ['a', '1'],
    });
    const stored = await call('GET', '/_cluster/settings?flat_settings');
    expect(stored.body.persistent['plugins.ml_commons.some_future_flag']).toBe('12');
  });

  it.each([
    [{ persistent: { 'plugins.ml_commons.model_access_control_enabled': 'yes' } }, 'Failed to parse value [yes] as only [true] or [false] are allowed.'],
    [{ persistent: { 'plugins.ml_commons.max_model_on_node': 'ten' } }, 'Failed to parse value [ten] for setting [plugins.ml_commons.max_model_on_node]'],
    [{ persistent: { 'plugins.ml_commons.max_model_on_node': -1 } }, 'must be >= 0'],
    [{ persistent: { 'plugins.ml_commons.trusted_connector_endpoints_regex': ['('] } }, 'Failed to parse value [(]'],
    [{ persistent: { 'plugins.ml_commons.trusted_connector_endpoints_regex': [{ a: 1 }] } }, 'Failed to parse value [{"a":1}]'],
    [{ persistent: { 'cluster.routing.allocation.enable': 'all' } }, 'persistent setting [cluster.routing.allocation.enable], not recognized'],
    [{ transient: { 'indices.x': 1 } }, 'transient setting [indices.x], not recognized'],
    [{ persistent: 'nope' }, '[persistent] must be an object'],
    [{ other: {} }, 'unrecognized parameter: [other]'],
    [{}, 'no settings to update'],
  ])('should reject %j with a 400', async (body, reason) => {
    const { call, services } = await buildTestApp();
    const response = await call('PUT', '/_cluster/settings', body);
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain(reason);
    expect(services.settings.view({ flat: true, includeDefaults: false })).toEqual({ persistent: {}, transient: {} });
  });

  it('should store nothing when one value of an update is invalid', async () => {
    const { call } = await buildTestApp();
    const response = await call('PUT', '/_cluster/settings', {
      persistent: { 'plugins.ml_commons.stream_enabled': true, 'plugins.ml_commons.max_model_on_node': 'x' },
    });
    expect(response.status).toBe(400);
    expect((await call('GET', '/_cluster/settings')).body.persistent).toEqual({});
  });

  it('should keep persistent settings across a restart and drop transient ones', async () => {
    const store = new SqliteStore(':memory:');
    const first = await buildTestApp({ store });
    await first.call('PUT', '/_cluster/settings', {
      persistent: { 'plugins.ml_commons.connector.private_ip_enabled': true },
      transient: { 'plugins.ml_commons.stream_enabled': true },
    });
    const second = await buildTestApp({ store });
    expect(second.services.settings.get('plugins.ml_commons.connector.private_ip_enabled')).toBe(true);
    expect(second.services.settings.get('plugins.ml_commons.stream_enabled')).toBe(false);
  });
});
