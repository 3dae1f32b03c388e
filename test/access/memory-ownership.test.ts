/**
 * With security on, a memory belongs to its creator: another user can neither see it nor its
 * messages (403 with ML Commons' message, nothing changed), lists and searches show each user
 * only their own memories with totals and paging to match, and an admin sees every memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { MEMORY_INDEX, MESSAGE_INDEX } from '../../src/memory/memory-records.js';
import { ok, startAccessApp, type AccessApp, type Caller } from './access-app.js';

const MEMORY = '/_plugins/_ml/memory';
let emulator: Emulator;
let app: AccessApp;
const memories: Record<string, string[]> = {};
let aliceMessage: string;

beforeAll(async () => {
  emulator = await startEmulator();
  app = await startAccessApp(emulator, {});
  for (const [caller, count] of [['owner', 3], ['sameRole', 1], ['admin', 1]] as Array<[Caller, number]>) {
    memories[caller] = [];
    for (let index = 0; index < count; index++) {
      memories[caller]!.push(ok(await app.as(caller)('POST', MEMORY, { name: `${caller} memory ${index}` })).memory_id);
    }
  }
  aliceMessage = ok(await app.as('owner')('POST', `${MEMORY}/${memories['owner']![0]}/messages`, { input: 'secret question', response: 'secret answer' })).message_id;
});

afterAll(async () => {
  await app?.close();
  await emulator?.close();
});

const snapshot = async () => ({ meta: await app.test.store.list(MEMORY_INDEX), messages: await app.test.store.list(MESSAGE_INDEX) });

describe('memory ownership', () => {
  it('should record the creator as the memory\'s user', async () => {
    expect(ok(await app.as('owner')('GET', `${MEMORY}/${memories['owner']![0]}`)).user).toBe('alice');
  });

  it.each([
    ['GET', (id: string) => `${MEMORY}/${id}`, undefined],
    ['PUT', (id: string) => `${MEMORY}/${id}`, { name: 'stolen' }],
    ['DELETE', (id: string) => `${MEMORY}/${id}`, undefined],
    ['GET', (id: string) => `${MEMORY}/${id}/messages`, undefined],
    ['POST', (id: string) => `${MEMORY}/${id}/messages`, { input: 'sneaky' }],
    ['POST', (id: string) => `${MEMORY}/${id}/_search`, { query: { match_all: {} } }],
  ] as const)('should refuse %s %s of another user\'s memory and change nothing', async (method, path, body) => {
    const before = await snapshot();
    const id = memories['owner']![0]!;
    const refused = await app.as('sameRole')(method, path(id), body);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ type: 'security_exception', reason: `User [bob] does not have access to conversation ${id}` });
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['GET', () => `${MEMORY}/message/${aliceMessage}`, undefined],
    ['PUT', () => `${MEMORY}/message/${aliceMessage}`, { additional_info: { x: 'y' } }],
    ['GET', () => `${MEMORY}/message/${aliceMessage}/traces`, undefined],
  ] as const)('should refuse %s on another user\'s message', async (method, path, body) => {
    const refused = await app.as('otherRole')(method, path(), body);
    expect(refused.status).toBe(403);
    expect(refused.body.error.reason).toBe(`User [carol] does not have access to conversation ${memories['owner']![0]}`);
  });

  it('should list and search only the caller\'s memories, totals and pages included', async () => {
    const listed = ok(await app.as('owner')('GET', `${MEMORY}?max_results=2`));
    expect(listed.memories.every((memory: any) => memory.user === 'alice')).toBe(true);
    expect(listed.next_token).toBe(2);
    expect(ok(await app.as('owner')('GET', `${MEMORY}?max_results=2&next_token=2`))).toEqual({ memories: [expect.objectContaining({ user: 'alice' })] });
    const bob = ok(await app.as('sameRole')('POST', `${MEMORY}/_search`, { query: { match_all: {} }, size: 10 }));
    expect(bob.hits.total.value).toBe(1);
    expect(bob.hits.hits.map((hit: any) => hit._id)).toEqual(memories['sameRole']);
    expect(ok(await app.as('noRole')('GET', MEMORY))).toEqual({ memories: [] });
    const searchedPage = ok(await app.as('owner')('POST', `${MEMORY}/_search`, { query: { match: { name: 'memory' } }, size: 1, from: 2 }));
    expect(searchedPage.hits.total.value).toBe(3);
    expect(searchedPage.hits.hits).toHaveLength(1);
  });

  it('should let an admin see, search and use every memory', async () => {
    const everything = ok(await app.as('admin')('POST', `${MEMORY}/_search`, { query: { match_all: {} } }));
    expect(everything.hits.total.value).toBe(5);
    expect(ok(await app.as('admin')('GET', `${MEMORY}/${memories['owner']![0]}/messages`)).messages[0].input).toBe('secret question');
    expect(ok(await app.as('admin')('GET', `${MEMORY}/message/${aliceMessage}`)).response).toBe('secret answer');
    expect(ok(await app.as('admin')('GET', `${MEMORY}?max_results=100`)).memories).toHaveLength(5);
  });
});
