import { describe, expect, it } from 'vitest';
import { DEFAULT_TRUSTED_ENDPOINTS, settingDefinitions } from '../../src/settings/definitions.js';
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

  it.each([
    ['persistent', { 'plugins.ml_commons.trusted_connector_endpoint_regex': ['^https://api\\.example\\.com/.*$'] }],
    ['persistent', { plugins: { ml_commons: { trusted_connector_endpoint_regex: ['^https://api\\.example\\.com/.*$'] } } }],
    ['transient', { 'plugins.ml_commons': { trusted_connector_endpoint_regex: '^https://api\\.example\\.com/.*$' } }],
    ['persistent', { 'plugins.ml_commons.trusted_connector_endpoint_regex': null }],
  ])('should refuse a misspelled %s key, naming the setting it resembles', async (scope, values) => {
    const { call, services } = await buildTestApp();
    const response = await call('PUT', '/_cluster/settings', { [scope]: values });
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('illegal_argument_exception');
    expect(errorReason(response.body)).toBe(
      `${scope} setting [plugins.ml_commons.trusted_connector_endpoint_regex], not recognized, ` +
        'did you mean [plugins.ml_commons.trusted_connector_endpoints_regex]?',
    );
    expect(services.settings.view({ flat: true, includeDefaults: false })).toEqual({ persistent: {}, transient: {} });
  });

  it('should refuse an unknown key like nothing else is close, and store none of the update', async () => {
    const { call } = await buildTestApp();
    const response = await call('PUT', '/_cluster/settings', {
      persistent: { 'plugins.ml_commons.stream_enabled': true, 'plugins.ml_commons.some_future_flag': 12 },
    });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe('persistent setting [plugins.ml_commons.some_future_flag], not recognized');
    expect((await call('GET', '/_cluster/settings')).body).toEqual({ persistent: {}, transient: {} });
  });

  it.each([
    ['plugins.ml_commons.multi_tenancy_enabled', true, 'persistent setting [plugins.ml_commons.multi_tenancy_enabled], not dynamically updateable'],
    ['plugins.ml_commons.master_key_cache_ttl_minutes', null, 'persistent setting [plugins.ml_commons.master_key_cache_ttl_minutes], not dynamically updateable'],
    ['plugins.ml_commons.remote_metadata_type', 'AWSDynamoDB', 'final persistent setting [plugins.ml_commons.remote_metadata_type], not updateable'],
  ])('should refuse to change %s, which OpenSearch reads only at start', async (key, value, reason) => {
    const { call } = await buildTestApp();
    const response = await call('PUT', '/_cluster/settings', { persistent: { [key]: value } });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe(reason);
  });

  it('should list every ML Commons setting with its default under include_defaults', async () => {
    const { call } = await buildTestApp();
    const { body } = await call('GET', '/_cluster/settings?include_defaults=true&flat_settings=true');
    expect(Object.keys(body.defaults).sort()).toEqual(Object.keys(settingDefinitions).sort());
    expect(body.defaults).toMatchObject({
      'plugins.ml_commons.task_dispatch_policy': 'round_robin',
      'plugins.ml_commons.max_batch_inference_tasks': '100',
      'plugins.ml_commons.disk_free_space_threshold': '5gb',
      'plugins.ml_commons.model_auto_redeploy_success_ratio': '0.8',
      'plugins.ml_commons.remote_job.status_field': ['status', 'Status', 'TransformJobStatus'],
      'plugins.ml_commons.remote_job.status_regex.completed': '(complete|completed|partiallyCompleted)',
      'plugins.ml_commons.multi_tenancy_enabled': 'false',
      'plugins.ml_commons.max_json_size': '100000000',
    });
    const nested = await call('GET', '/_cluster/settings?include_defaults=true');
    expect(nested.body.defaults.plugins.ml_commons.task_dispatcher.eligible_node_role.local_model).toEqual(['data', 'ml']);
  });

  it.each([
    ['512mb', 200],
    ['1.5gb', 200],
    ['0', 200],
    ['5', 400],
    ['5 parsecs', 400],
  ])('should parse the byte size %s as OpenSearch does', async (value, status) => {
    const { call } = await buildTestApp();
    const response = await call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.disk_free_space_threshold': value } });
    expect(response.status).toBe(status);
    if (status === 400) expect(errorReason(response.body)).toContain('as a size in bytes: unit is missing or unrecognized');
  });

  it('should drop unknown keys an earlier version stored, and keep the known ones', async () => {
    const store = new SqliteStore(':memory:');
    await store.write([{
      op: 'put', collection: 'settings', id: 'persistent',
      source: { settings: { 'plugins.ml_commons.trusted_connector_endpoint_regex': ['x'], 'plugins.ml_commons.stream_enabled': 'true' } },
    }]);
    const { call } = await buildTestApp({ store });
    expect((await call('GET', '/_cluster/settings?flat_settings=true')).body.persistent).toEqual({ 'plugins.ml_commons.stream_enabled': 'true' });
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
