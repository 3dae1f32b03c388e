/** `/_plugins/_ml/memory`: memories and messages in ML Commons' request and response shapes and messages. */
import { describe, expect, it } from 'vitest';
import { buildTestApp, errorReason, type TestApp } from '../helpers/test-app.js';

const MEMORY = '/_plugins/_ml/memory';
const iso = (millis: number) => new Date(millis).toISOString();

/** An app whose clock the test moves. */
async function appAt(start = 1_700_000_000_000): Promise<TestApp & { clock: { now: number } }> {
  const clock = { now: start };
  return Object.assign(await buildTestApp({ now: () => clock.now }), { clock });
}

describe('/_plugins/_ml/memory', () => {
  it('should create, get, rename and delete a memory in ML Commons shapes', async () => {
    const { call, clock } = await appAt();
    const created = await call('POST', MEMORY, { name: 'Conversation about NYC', application_type: 'chatbot', additional_info: { topic: 'cities' } });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ memory_id: expect.any(String) });
    const id = created.body.memory_id;
    expect((await call('GET', `${MEMORY}/${id}`)).body).toEqual({
      memory_id: id,
      create_time: iso(clock.now),
      updated_time: iso(clock.now),
      name: 'Conversation about NYC',
      additional_info: { topic: 'cities' },
    });
    clock.now += 5_000;
    const renamed = await call('PUT', `${MEMORY}/${id}`, { name: 'NYC population', user: 'mallory', create_time: 'x' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ _index: '.plugins-ml-memory-meta', _id: id, _version: 2, result: 'updated', forced_refresh: true });
    expect((await call('GET', `${MEMORY}/${id}`)).body).toMatchObject({ name: 'NYC population', create_time: iso(clock.now - 5_000), updated_time: iso(clock.now) });
    expect((await call('GET', `${MEMORY}/${id}`)).body).not.toHaveProperty('user');
    expect((await call('DELETE', `${MEMORY}/${id}`)).body).toEqual({ success: true });
    const gone = await call('GET', `${MEMORY}/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.type).toBe('resource_not_found_exception');
    expect(errorReason(gone.body)).toBe(`Conversation [${id}] not found`);
  });

  it('should name a memory created without a body "" (at ML Commons\' documented path with its trailing slash)', async () => {
    const { call } = await appAt();
    const id = (await call('POST', `${MEMORY}/`)).body.memory_id;
    expect((await call('GET', `${MEMORY}/${id}`)).body.name).toBe('');
  });

  it.each([
    [{ name: 42 }, '[memory] field [name] must be of type string'],
    [{ additional_info: { a: 1 } }, '[memory] field [additional_info.a] must be of type string'],
  ])('should refuse a malformed memory %j', async (body, reason) => {
    const { call } = await appAt();
    const refused = await call('POST', MEMORY, body);
    expect(refused.status).toBe(400);
    expect(errorReason(refused.body)).toBe(reason);
  });

  it('should list memories newest first, paged with next_token and next_page_token', async () => {
    const { call, clock } = await appAt();
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      ids.push((await call('POST', MEMORY, { name })).body.memory_id);
      clock.now += 1_000;
    }
    const first = (await call('GET', `${MEMORY}?max_results=2`)).body;
    expect(first.memories.map((memory: any) => memory.name)).toEqual(['c', 'b']);
    expect(first.next_token).toBe(2);
    expect(typeof first.next_page_token).toBe('string');
    const second = (await call('GET', `${MEMORY}?max_results=2&next_token=2`)).body;
    expect(second).toEqual({ memories: [expect.objectContaining({ memory_id: ids[0], name: 'a' })] });
    expect((await call('GET', `${MEMORY}?max_results=2&next_page_token=${first.next_page_token}`)).body).toEqual(second);
    expect((await call('GET', MEMORY)).body.memories).toHaveLength(3);
  });

  it.each([
    ['max_results=0', 'action_request_validation_exception', "Validation Failed: 1: Can't list 0 or negative conversations;"],
    ['next_token=-1', 'action_request_validation_exception', 'Validation Failed: 1: The starting position must be nonnegative;'],
    ['max_results=ten', 'number_format_exception', 'For input string: "ten"'],
    ['next_page_token=!!', 'illegal_argument_exception', 'Invalid next_page_token: !!'],
  ])('should refuse the paging parameters %s', async (query, type, reason) => {
    const { call } = await appAt();
    const refused = await call('GET', `${MEMORY}?${query}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.type).toBe(type);
    expect(errorReason(refused.body)).toBe(reason);
  });

  it('should search memories with the query DSL', async () => {
    const { call } = await appAt();
    const nyc = (await call('POST', MEMORY, { name: 'Conversation about NYC population', application_type: 'rag' })).body.memory_id;
    await call('POST', MEMORY, { name: 'Weather' });
    const found = await call('POST', `${MEMORY}/_search`, { query: { match: { name: 'population' } } });
    expect(found.body.hits.total).toEqual({ value: 1, relation: 'eq' });
    expect(found.body.hits.hits[0]).toMatchObject({
      _index: '.plugins-ml-memory-meta',
      _id: nyc,
      _source: { name: 'Conversation about NYC population', application_type: 'rag', user: null },
    });
    const byType = await call('POST', `${MEMORY}/_search`, { query: { term: { application_type: 'rag' } } });
    expect(byType.body.hits.hits.map((hit: any) => hit._id)).toEqual([nyc]);
    expect((await call('GET', `${MEMORY}/_search`)).body.hits.total.value).toBe(2);
  });

  it('should answer every memory call with ML Commons message while the feature is off', async () => {
    const { call } = await appAt();
    const id = (await call('POST', MEMORY, { name: 'kept' })).body.memory_id;
    await call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.memory_feature_enabled': false } });
    for (const [method, path] of [['POST', MEMORY], ['GET', MEMORY], ['GET', `${MEMORY}/${id}`], ['GET', `${MEMORY}/${id}/messages`], ['POST', `${MEMORY}/_search`]] as const) {
      const refused = await call(method, path);
      expect(refused.status, `${method} ${path}`).toBe(400);
      expect(errorReason(refused.body)).toBe(
        'The Conversation Memory feature is not enabled. To enable, please update the setting plugins.ml_commons.memory_feature_enabled',
      );
    }
    await call('PUT', '/_cluster/settings', { persistent: { 'plugins.ml_commons.memory_feature_enabled': true } });
    expect((await call('GET', `${MEMORY}/${id}`)).status).toBe(200);
  });
});

describe('/_plugins/_ml/memory/{id}/messages', () => {
  const message = { input: 'How do I make an interaction?', prompt_template: 'Hello OpenAI', response: 'Like this.', origin: 'MyWrapper', additional_info: { suggestion: 'api.openai.com' } };

  it('should add, list, get and update messages; adding one updates the memory', async () => {
    const { call, clock } = await appAt();
    const memory = (await call('POST', MEMORY, { name: 'chat' })).body.memory_id;
    clock.now += 1_000;
    const created = await call('POST', `${MEMORY}/${memory}/messages`, message);
    expect(created.body).toEqual({ message_id: expect.any(String) });
    const id = created.body.message_id;
    expect((await call('GET', `${MEMORY}/${memory}`)).body.updated_time).toBe(iso(clock.now));
    clock.now += 1_000;
    const second = (await call('POST', `${MEMORY}/${memory}/messages`, { response: 'Only a response' })).body.message_id;
    expect((await call('GET', `${MEMORY}/message/${second}`)).body).toEqual({
      memory_id: memory, message_id: second, create_time: iso(clock.now), updated_time: iso(clock.now),
      input: null, prompt_template: null, response: 'Only a response', origin: null, additional_info: {},
    });
    const listed = (await call('GET', `${MEMORY}/${memory}/messages`)).body;
    expect(listed.messages.map((item: any) => item.message_id)).toEqual([id, second]);
    expect(listed.messages[0]).toEqual({ memory_id: memory, message_id: id, create_time: iso(clock.now - 1_000), updated_time: iso(clock.now - 1_000), ...message });
    const paged = (await call('GET', `${MEMORY}/${memory}/messages?max_results=1`)).body;
    expect(paged).toMatchObject({ messages: [{ message_id: id }], next_token: 1 });
    clock.now += 1_000;
    const updated = await call('PUT', `${MEMORY}/message/${id}`, { additional_info: { feedback: 'positive' }, response: 'ignored' });
    expect(updated.body).toMatchObject({ _index: '.plugins-ml-memory-message', _id: id, _version: 2, result: 'updated', forced_refresh: true });
    expect((await call('GET', `${MEMORY}/message/${id}`)).body).toMatchObject({
      response: 'Like this.', updated_time: iso(clock.now), additional_info: { suggestion: 'api.openai.com', feedback: 'positive' },
    });
  });

  it.each([
    [{ question: 'x' }, 'illegal_argument_exception', 'Invalid field [question] found in request body'],
    [{ input: ' ', response: '' }, 'illegal_argument_exception', 'At least one of the following parameters must be non-empty: input, prompt_template, response, origin, additional_info'],
    [{ input: { text: 'x' } }, 'parse_exception', '[input] must be a string'],
  ])('should refuse the message %j', async (body, type, reason) => {
    const { call } = await appAt();
    const memory = (await call('POST', MEMORY)).body.memory_id;
    const refused = await call('POST', `${MEMORY}/${memory}/messages`, body);
    expect(refused.status).toBe(400);
    expect(refused.body.error.type).toBe(type);
    expect(errorReason(refused.body)).toBe(reason);
  });

  it('should refuse messages for a memory that does not exist, and say which message is missing', async () => {
    const { call } = await appAt();
    const orphan = await call('POST', `${MEMORY}/nope/messages`, message);
    expect(orphan.status).toBe(404);
    expect(errorReason(orphan.body)).toBe('Conversation [nope] not found');
    const missing = await call('GET', `${MEMORY}/message/nope`);
    expect(missing.status).toBe(404);
    expect(errorReason(missing.body)).toBe('Interaction [nope] not found');
  });

  it('should keep traces out of the messages and list them by trace number', async () => {
    const { call } = await appAt();
    const memory = (await call('POST', MEMORY)).body.memory_id;
    const parent = (await call('POST', `${MEMORY}/${memory}/messages`, { input: 'Which index is largest?', response: 'models' })).body.message_id;
    for (const trace of [2, 1, 3]) {
      await call('POST', `${MEMORY}/${memory}/messages`, { input: 'step', response: `step ${trace}`, origin: 'ListIndexTool', parent_message_id: parent, trace_number: trace });
    }
    expect((await call('GET', `${MEMORY}/${memory}/messages`)).body.messages.map((item: any) => item.message_id)).toEqual([parent]);
    const traces = (await call('GET', `${MEMORY}/message/${parent}/traces`)).body.traces;
    expect(traces.map((trace: any) => [trace.trace_number, trace.response, trace.parent_message_id])).toEqual([
      [1, 'step 1', parent], [2, 'step 2', parent], [3, 'step 3', parent],
    ]);
    expect((await call('GET', `${MEMORY}/message/${parent}/traces?max_results=2`)).body).toMatchObject({ next_token: 2 });
  });

  it('should search one memory\'s messages and delete them with their memory', async () => {
    const { call } = await appAt();
    const [a, b] = [(await call('POST', MEMORY)).body.memory_id, (await call('POST', MEMORY)).body.memory_id];
    const kept = (await call('POST', `${MEMORY}/${a}/messages`, { input: 'tell me about penguins', response: 'birds' })).body.message_id;
    await call('POST', `${MEMORY}/${b}/messages`, { input: 'tell me about penguins too', response: 'still birds' });
    const found = await call('POST', `${MEMORY}/${a}/_search`, { query: { match: { input: 'penguins' } } });
    expect(found.body.hits.hits.map((hit: any) => [hit._index, hit._id])).toEqual([['.plugins-ml-memory-message', kept]]);
    await call('DELETE', `${MEMORY}/${a}`);
    expect((await call('GET', `${MEMORY}/message/${kept}`)).status).toBe(404);
    expect((await call('GET', `${MEMORY}/${b}/messages`)).body.messages).toHaveLength(1);
  });
});
