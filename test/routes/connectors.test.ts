import { describe, expect, it } from 'vitest';
import { CONNECTOR_INDEX } from '../../src/connectors/connector-record.js';
import { buildTestApp, errorReason } from '../helpers/test-app.js';
import { AWS_SECRET, OPENAI_KEY, openAiChatConnector, sagemakerConnector } from '../helpers/connector-bodies.js';

describe('/_plugins/_ml/connectors', () => {
  it('should create a connector and answer it as ML Commons does, without its credential', async () => {
    const { call } = await buildTestApp({ now: () => 1_700_000_000_000 });
    const created = await call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector());
    expect(created.status).toBe(200);
    expect(Object.keys(created.body)).toEqual(['connector_id']);
    const fetched = await call('GET', `/_plugins/_ml/connectors/${created.body.connector_id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual({
      name: 'OpenAI Chat Connector',
      description: 'The connector to public OpenAI model service for GPT 3.5',
      version: '1',
      protocol: 'http',
      parameters: { endpoint: 'api.openai.com', model: 'gpt-3.5-turbo', max_tokens: '7', stop: '["\\n"]' },
      actions: [
        {
          action_type: 'PREDICT',
          method: 'POST',
          url: 'https://${parameters.endpoint}/v1/chat/completions',
          headers: { Authorization: 'Bearer ${credential.openAI_key}' },
          request_body: '{ "model": "${parameters.model}", "messages": ${parameters.messages} }',
        },
      ],
      created_time: 1_700_000_000_000,
      last_updated_time: 1_700_000_000_000,
    });
  });

  it('should store only ciphertext and never log or answer the plaintext', async () => {
    const { call, store, logs } = await buildTestApp();
    const openAi = await call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector());
    const sagemaker = await call('POST', '/_plugins/_ml/connectors/_create', sagemakerConnector());
    const responses = [
      openAi,
      sagemaker,
      await call('GET', `/_plugins/_ml/connectors/${openAi.body.connector_id}`),
      await call('GET', `/_plugins/_ml/connectors/${sagemaker.body.connector_id}`),
      await call('PUT', `/_plugins/_ml/connectors/${openAi.body.connector_id}`, { credential: { openAI_key: 'sk-NEW-PLAINTEXT' } }),
    ];
    const stored = JSON.stringify(await store.list(CONNECTOR_INDEX));
    for (const secret of [OPENAI_KEY, AWS_SECRET, 'session-PLAINTEXT', 'sk-NEW-PLAINTEXT']) {
      expect(stored).not.toContain(secret);
      expect(logs.text).not.toContain(secret);
      for (const response of responses) expect(JSON.stringify(response.body)).not.toContain(secret);
    }
    expect(stored).toMatch(/"openAI_key":"v2:[0-9a-f]{16}:/);
  });

  it('should log one line per request with id, route, status and duration', async () => {
    const { call, logs } = await buildTestApp();
    await call('GET', '/_plugins/_ml/connectors/nope');
    const line = JSON.parse(logs.lines.at(-1)!);
    expect(line).toMatchObject({ method: 'GET', route: '/_plugins/_ml/connectors/:id', status: 404 });
    expect(typeof line.request_id).toBe('string');
    expect(typeof line.duration_ms).toBe('number');
  });

  it('should update partially: merge parameters, replace actions, keep the credential', async () => {
    const { call, services } = await buildTestApp();
    const { connector_id: id } = (await call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector())).body;
    const updated = await call('PUT', `/_plugins/_ml/connectors/${id}`, {
      description: 'updated',
      parameters: { model: 'gpt-4o' },
      client_config: { max_connection: 5, retry_backoff_policy: 'EXPONENTIAL_FULL_JITTER' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ _index: CONNECTOR_INDEX, _id: id, _version: 2, result: 'updated', _primary_term: 1 });
    const fetched = (await call('GET', `/_plugins/_ml/connectors/${id}`)).body;
    expect(fetched.description).toBe('updated');
    expect(fetched.parameters).toMatchObject({ endpoint: 'api.openai.com', model: 'gpt-4o' });
    expect(fetched.client_config).toEqual({ max_connection: 5, retry_backoff_policy: 'exponential_full_jitter' });
    const record = await services.connectors.getRecord(id);
    expect(services.connectors.decryptCredential(record.source, id)).toEqual({ openAI_key: OPENAI_KEY });
  });

  it('should replace the credential when an update carries a non-empty one', async () => {
    const { call, services } = await buildTestApp();
    const { connector_id: id } = (await call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector())).body;
    await call('PUT', `/_plugins/_ml/connectors/${id}`, { credential: {} });
    let record = await services.connectors.getRecord(id);
    expect(services.connectors.decryptCredential(record.source, id)).toEqual({ openAI_key: OPENAI_KEY });
    await call('PUT', `/_plugins/_ml/connectors/${id}`, { credential: { openAI_key: 'rotated' } });
    record = await services.connectors.getRecord(id);
    expect(services.connectors.decryptCredential(record.source, id)).toEqual({ openAI_key: 'rotated' });
  });

  it('should delete, then answer 404 for the id', async () => {
    const { call } = await buildTestApp();
    const { connector_id: id } = (await call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector())).body;
    const deleted = await call('DELETE', `/_plugins/_ml/connectors/${id}`);
    expect(deleted.body).toMatchObject({ _id: id, result: 'deleted' });
    for (const method of ['GET', 'DELETE', 'PUT']) {
      const response = await call(method, `/_plugins/_ml/connectors/${id}`, method === 'PUT' ? { name: 'x' } : undefined);
      expect(response.status).toBe(404);
      expect(errorReason(response.body)).toBe(`Failed to find connector with the provided connector id: ${id}`);
    }
  });

  const base = openAiChatConnector;
  const withAction = (change: Record<string, unknown>) => ({ ...base(), actions: [{ ...base().actions[0], ...change }] });
  const without = (field: string) => {
    const body: Record<string, unknown> = base();
    delete body[field];
    return body;
  };
  const withoutAction = (field: string) => {
    const action: Record<string, unknown> = { ...base().actions[0] };
    delete action[field];
    return { ...base(), actions: [action] };
  };

  it.each([
    ['no name', without('name'), 'Connector name is null'],
    ['no version', without('version'), 'Connector version is null'],
    ['no protocol', without('protocol'), 'Connector protocol is null'],
    ['no credential', without('credential'), 'Connector credential is null or empty list'],
    ['empty credential', { ...base(), credential: {} }, 'Connector credential is null or empty list'],
    ['no actions', without('actions'), 'No actions configured for this connector'],
    ['empty actions', { ...base(), actions: [] }, 'No actions configured for this connector'],
    ['unknown protocol', { ...base(), protocol: 'ftp' }, 'Unsupported connector protocol. Please use one of [aws_sigv4, http]'],
    ['no action type', withoutAction('action_type'), "[connector] missing required field [actions.0.action_type]"],
    ['no method', withoutAction('method'), 'missing required field [actions.0.method]'],
    ['no url', withoutAction('url'), 'missing required field [actions.0.url]'],
    ['bad action type', withAction({ action_type: 'train' }), 'Unknown action type [train]'],
    ['bad method', withAction({ method: 'PATCH' }), 'unsupported http method [PATCH]'],
    ['numeric name', { ...base(), name: 5 }, '[connector] field [name] must be of type string'],
    ['credential not strings', { ...base(), credential: { k: 1 } }, 'field [credential.k] must be of type string'],
    ['headers not strings', withAction({ headers: { a: true } }), 'field [actions.0.headers.a] must be of type string'],
    ['unknown field', { ...base(), colour: 'red' }, '[connector] unknown field [colour]'],
    ['unknown action field', withAction({ colour: 'red' }), 'unknown field [actions.0.colour]'],
    ['bad client_config', { ...base(), client_config: { max_connection: 0 } }, 'client_config.max_connection'],
    ['unknown backoff', { ...base(), client_config: { retry_backoff_policy: 'linear' } }, 'Unsupported retry backoff policy'],
    ['untrusted url', withAction({ url: 'https://evil.example/v1' }), 'Connector URL is not matching the trusted connector endpoint regex'],
    ['untrusted endpoint parameter', { ...base(), parameters: { endpoint: 'evil.example' } }, 'Connector URL is not matching the trusted connector endpoint regex'],
    ['parameter in Authorization', withAction({ headers: { Authorization: 'Bearer ${parameters.key}' } }), "Header 'Authorization' cannot use ${parameters.*} placeholders"],
    ['access fields without security', { ...base(), access_mode: 'public' }, 'You cannot specify connector access control parameters'],
    ['MCP protocol', { ...base(), protocol: 'mcp_sse' }, 'not supported by this service'],
    ['array body', [base()], '[connector] must be of type object'],
  ])('should refuse a connector with %s', async (_case, body, reason) => {
    const { call, store } = await buildTestApp();
    const response = await call('POST', '/_plugins/_ml/connectors/_create', body);
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain(reason);
    expect(await store.list(CONNECTOR_INDEX)).toEqual([]);
  });

  it.each([
    ['no access_key', { secret_key: 's' }, 'Missing credential'],
    ['no service name', { access_key: 'a', secret_key: 's' }, 'Missing service name', { region: 'us-east-1' }],
    ['no region', { access_key: 'a', secret_key: 's' }, 'Missing region', { service_name: 'sagemaker' }],
  ])('should refuse an aws_sigv4 connector with %s', async (_case, credential, reason, parameters?: Record<string, string>) => {
    const { call } = await buildTestApp();
    const body = { ...sagemakerConnector(), credential, parameters: parameters ?? {}, actions: [{ ...sagemakerConnector().actions[0], url: 'https://runtime.sagemaker.us-west-2.amazonaws.com/endpoints/x/invocations' }] };
    const response = await call('POST', '/_plugins/_ml/connectors/_create', body);
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe(reason);
  });

  it('should list only the protocols it accepts when refusing one', async () => {
    const { call } = await buildTestApp();
    const response = await call('POST', '/_plugins/_ml/connectors/_create', { ...base(), protocol: 'grpc' });
    expect(errorReason(response.body)).toBe('Unsupported connector protocol. Please use one of [aws_sigv4, http]');
    for (const listed of ['aws_sigv4', 'http']) {
      const answer = await call('POST', '/_plugins/_ml/connectors/_create', { ...base(), protocol: listed });
      expect(answer.status === 200 || !errorReason(answer.body).includes('protocol')).toBe(true);
    }
  });

  const withoutCredential = (change: Record<string, unknown>, actionChange: Record<string, unknown> = {}) => {
    const { credential: _credential, ...body } = { ...base(), ...change };
    return { ...body, actions: [{ ...base().actions[0], ...actionChange }] };
  };

  it.each([
    ['a misspelled field', withoutCredential({ paramters: { model: 'gpt-4' } }), '[connector] unknown field [paramters]'],
    ['a misspelled action field', withoutCredential({}, { request_bodi: '{}' }), '[connector] unknown field [actions.0.request_bodi]'],
    ['a misspelled action type', withoutCredential({}, { action_type: 'predcit' }), 'Unknown action type [predcit]'],
    ['a mistyped field', withoutCredential({ description: 5 }), '[connector] field [description] must be of type string'],
    [
      'a misspelled function',
      withoutCredential({}, { pre_process_function: 'connector.pre_process.openai.embeding' }),
      'connector.pre_process.openai.embeding',
    ],
  ])('should report %s before the missing credential', async (_case, body, reason) => {
    const { call } = await buildTestApp();
    const response = await call('POST', '/_plugins/_ml/connectors/_create', body);
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain(reason);
    expect(errorReason(response.body)).not.toContain('credential');
  });

  it.each([
    ['a header', withAction({ headers: { Authorization: 'Bearer ${credential.openai_key}' } }), 'header [Authorization]', 'openai_key'],
    ['the url', withAction({ url: 'https://api.openai.com/v1/chat/completions?k=${credential.key}' }), 'url', 'key'],
    ['the body', withAction({ request_body: '{"k": "${credential.token}"}' }), 'request_body', 'token'],
  ])('should refuse a ${credential.x} in %s naming a key the credential does not have', async (_case, body, where, key) => {
    const { call, store } = await buildTestApp();
    const response = await call('POST', '/_plugins/_ml/connectors/_create', body);
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toBe(
      `Connector action [predict] ${where} uses \${credential.${key}}, but the connector credential has no key [${key}]; its keys are [openAI_key]`,
    );
    expect(errorReason(response.body)).not.toContain(OPENAI_KEY);
    expect(await store.list(CONNECTOR_INDEX)).toEqual([]);
  });

  it('should accept ${credential.x} with a fallback or escaped, and check references again on update', async () => {
    const { call } = await buildTestApp();
    const headers = { Authorization: 'Bearer ${credential.openAI_key}', 'x-extra': '${credential.extra:-none}', 'x-literal': '$${credential.nope}' };
    const created = await call('POST', '/_plugins/_ml/connectors/_create', withAction({ headers }));
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.connector_id;
    const renamed = await call('PUT', `/_plugins/_ml/connectors/${id}`, { credential: { api_key: 'k' } });
    expect(renamed.status).toBe(400);
    expect(errorReason(renamed.body)).toContain('uses ${credential.openAI_key}, but the connector credential has no key [openAI_key]; its keys are [api_key]');
    const actions = [{ ...base().actions[0], headers: { Authorization: 'Bearer ${credential.openai_key}' } }];
    const retargeted = await call('PUT', `/_plugins/_ml/connectors/${id}`, { actions });
    expect(errorReason(retargeted.body)).toContain('its keys are [openAI_key]');
    expect((await call('GET', `/_plugins/_ml/connectors/${id}`)).body.actions[0].headers).toEqual(headers);
  });

  it('should re-check trusted URLs on update and leave the record unchanged when refused', async () => {
    const { call } = await buildTestApp();
    const { connector_id: id } = (await call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector())).body;
    const refused = await call('PUT', `/_plugins/_ml/connectors/${id}`, { parameters: { endpoint: 'evil.example' } });
    expect(refused.status).toBe(400);
    expect((await call('GET', `/_plugins/_ml/connectors/${id}`)).body.parameters.endpoint).toBe('api.openai.com');
  });

  it('should honour a changed trusted-endpoint setting', async () => {
    const { call } = await buildTestApp();
    await call('PUT', '/_cluster/settings', {
      persistent: { 'plugins.ml_commons.trusted_connector_endpoints_regex': ['^https://models\\.internal/.*$'] },
    });
    const body = { ...openAiChatConnector(), parameters: { endpoint: 'models.internal' } };
    expect((await call('POST', '/_plugins/_ml/connectors/_create', body)).status).toBe(200);
    expect((await call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector())).status).toBe(400);
  });

  it('should refuse writes while remote inference is disabled', async () => {
    const { call } = await buildTestApp();
    await call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.remote_inference.enabled': false } });
    const response = await call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector());
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain('Remote Inference is currently disabled');
  });

  it.each([
    ['an empty create body', 'POST', '/_plugins/_ml/connectors/_create', '', 400, 'Create Connector request has empty body'],
    ['an empty update body', 'PUT', '/_plugins/_ml/connectors/abc', '', 400, 'Failed to update connector: Request body is empty'],
    ['malformed JSON', 'POST', '/_plugins/_ml/connectors/_create', '{"name": ', 400, 'Failed to parse request body'],
    ['a __proto__ key', 'POST', '/_plugins/_ml/connectors/_create', '{"__proto__": {"polluted": true}}', 400, 'Illegal key [__proto__]'],
    ['a nested __proto__ key', 'POST', '/_plugins/_ml/connectors/_create', '{"parameters": {"__proto__": {"polluted": true}}}', 400, 'Illegal key [__proto__]'],
    ['an id of __proto__', 'GET', '/_plugins/_ml/connectors/__proto__', undefined, 404, 'Failed to find connector'],
    ['an id with NUL', 'GET', '/_plugins/_ml/connectors/a%00b', undefined, 400, 'Invalid id'],
    ['an id of 4,000 characters', 'GET', `/_plugins/_ml/connectors/${'x'.repeat(4000)}`, undefined, 400, 'is too long'],
    ['an unknown route', 'GET', '/_plugins/_ml/nothing/here/at/all', undefined, 400, 'no handler found for uri [/_plugins/_ml/nothing/here/at/all] and method [GET]'],
  ])('should answer %s with a 4xx envelope', async (_case, method, path, body, status, reason) => {
    const { call } = await buildTestApp();
    const response = await call(method, path, body);
    expect(response.status).toBe(status);
    expect(errorReason(response.body)).toContain(reason);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('should refuse a body over the limit with 413 and store nothing', async () => {
    const { call, store } = await buildTestApp({ maxBodyBytes: 10_000 });
    const body = { ...openAiChatConnector(), description: 'x'.repeat(20_000) };
    const response = await call('POST', '/_plugins/_ml/connectors/_create', body);
    expect(response.status).toBe(413);
    expect(errorReason(response.body)).toContain('larger than the limit');
    expect(await store.list(CONNECTOR_INDEX)).toEqual([]);
  });
});

describe('/_plugins/_ml/connectors/_search', () => {
  it('should search and never return credentials', async () => {
    const method = 'POST';
    const { call } = await buildTestApp();
    const a = (await call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector())).body.connector_id;
    const b = (await call('POST', '/_plugins/_ml/connectors/_create', sagemakerConnector())).body.connector_id;
    const all = await call(method, '/_plugins/_ml/connectors/_search', { query: { match_all: {} } });
    expect(all.status).toBe(200);
    expect(all.body.hits.total).toEqual({ value: 2, relation: 'eq' });
    expect(all.body.hits.hits.map((hit: any) => hit._id)).toEqual([a, b]);
    expect(all.body.hits.hits[0]).toMatchObject({ _index: '.plugins-ml-connector', _version: 1, _score: 1 });
    for (const hit of all.body.hits.hits) expect(hit._source.credential).toBeUndefined();
    expect(JSON.stringify(all.body)).not.toContain('v1:');
    const byId = await call(method, '/_plugins/_ml/connectors/_search', { query: { ids: { values: [b] } } });
    expect(byId.body.hits.hits.map((hit: any) => hit._id)).toEqual([b]);
    const explicit = await call(method, '/_plugins/_ml/connectors/_search', { query: { match_all: {} }, _source: ['credential.*', 'name'] });
    expect(explicit.body.hits.hits.map((hit: any) => hit._source)).toEqual([{ name: 'OpenAI Chat Connector' }, { name: 'sagemaker: embedding' }]);
  });

  it('should read `now` in date math from the injected clock', async () => {
    const { call } = await buildTestApp({ now: () => 1_700_000_000_000 });
    await call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector());
    const recent = await call('POST', '/_plugins/_ml/connectors/_search', { query: { range: { created_time: { gte: 'now-1h' } } } });
    expect(recent.body.hits.total).toEqual({ value: 1, relation: 'eq' });
  });

  it('should page with search_after and answer its 400s', async () => {
    const { call } = await buildTestApp();
    const a = (await call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector())).body.connector_id;
    const b = (await call('POST', '/_plugins/_ml/connectors/_create', sagemakerConnector())).body.connector_id;
    const first = await call('POST', '/_plugins/_ml/connectors/_search', { size: 1, sort: [{ _seq_no: 'asc' }] });
    expect(first.body.hits.hits.map((hit: any) => hit._id)).toEqual([a]);
    const next = await call('POST', '/_plugins/_ml/connectors/_search', {
      size: 1,
      sort: [{ _seq_no: 'asc' }],
      search_after: first.body.hits.hits[0].sort,
    });
    expect(next.status).toBe(200);
    expect(next.body.hits.hits.map((hit: any) => hit._id)).toEqual([b]);
    expect(next.body.hits.total).toEqual({ value: 2, relation: 'eq' });
    const mismatched = await call('POST', '/_plugins/_ml/connectors/_search', { sort: ['_id'], search_after: [1, 2] });
    expect(mismatched.status).toBe(400);
    expect(errorReason(mismatched.body)).toBe('search_after has 2 value(s) but sort has 1.');
  });

  it('should refuse an unsupported clause instead of matching everything', async () => {
    const { call } = await buildTestApp();
    await call('POST', '/_plugins/_ml/connectors/_create', openAiChatConnector());
    const response = await call('POST', '/_plugins/_ml/connectors/_search', { query: { fuzzy: { name: 'x' } } });
    expect(response.status).toBe(400);
    expect(errorReason(response.body)).toContain('fuzzy');
  });
});
