/**
 * A service with security on (a users-file authenticator), served on a real socket, and a client
 * per test user. The five users are the rows of every access matrix:
 * - owner (alice, Basic): creates every fixture; backend role `ml-team`;
 * - sameRole (bob, Bearer): backend roles `ml-team` and `search`;
 * - otherRole (carol, Bearer): backend role `finance`;
 * - noRole (dave, Basic): no backend role;
 * - admin (root, Bearer): the users file's admin flag (role `all_access`), no backend role.
 */
import { CONNECTOR_INDEX } from '../../src/connectors/connector-record.js';
import { MODEL_GROUP_INDEX, MODEL_GROUP_NAME_INDEX } from '../../src/models/model-group-record.js';
import { MODEL_INDEX } from '../../src/models/model-record.js';
import { hashApiKey, hashPassword } from '../../src/security/identity/index.js';
import { fromDocument } from '../../src/security/identity/users-file-authenticator.js';
import type { UsersDocument } from '../../src/security/identity/users-document.js';
import { TASK_INDEX } from '../../src/tasks/task-service.js';
import type { Emulator } from '../../fixtures/emulator/start-emulator.js';
import { EMULATOR_SETTINGS } from '../helpers/blueprints.js';
import { openAiEmbeddingConnector } from '../helpers/emulator-connectors.js';
import { listen } from '../helpers/listen.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

/** The matrix rows. */
export type Caller = 'owner' | 'sameRole' | 'otherRole' | 'noRole' | 'admin';
export const CALLERS: readonly Caller[] = ['owner', 'sameRole', 'otherRole', 'noRole', 'admin'];

/** The matrix columns. */
export type Mode = 'private' | 'restricted' | 'public';
export const MODES: readonly Mode[] = ['private', 'restricted', 'public'];

/** The access fields that give a record (created by the owner) each mode. */
export const ACCESS_OF: Record<Mode, Record<string, unknown>> = {
  private: { access_mode: 'private' },
  restricted: { backend_roles: ['ml-team'] },
  public: { access_mode: 'public' },
};

const KEYS = { sameRole: 'bob-api-key-0123456789abcdef', otherRole: 'carol-api-key-0123456789abcdef', admin: 'root-api-key-0123456789abcdef' };
const PASSWORDS = { owner: 'alice-password', noRole: 'dave-password' };
// Cheap scrypt parameters: these tests are about access, not about password hashing.
const FAST_SCRYPT = { cost: 2 ** 10, blockSize: 8, parallelization: 1 };

const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

/** The users file of the matrix. */
export async function usersDocument(): Promise<UsersDocument> {
  return {
    users: [
      { name: 'alice', password_hash: await hashPassword(PASSWORDS.owner, FAST_SCRYPT), backend_roles: ['ml-team'], admin: false },
      { name: 'bob', api_key_hashes: [hashApiKey(KEYS.sameRole)], backend_roles: ['ml-team', 'search'], admin: false },
      { name: 'carol', api_key_hashes: [hashApiKey(KEYS.otherRole)], backend_roles: ['finance'], admin: false },
      { name: 'dave', password_hash: await hashPassword(PASSWORDS.noRole, FAST_SCRYPT), backend_roles: [], admin: false },
      { name: 'root', api_key_hashes: [hashApiKey(KEYS.admin)], backend_roles: [], admin: true },
    ],
  };
}

/** Each caller's `Authorization` header. */
export const AUTHORIZATION: Record<Caller, string> = {
  owner: basic('alice', PASSWORDS.owner),
  sameRole: `Bearer ${KEYS.sameRole}`,
  otherRole: `Bearer ${KEYS.otherRole}`,
  noRole: basic('dave', PASSWORDS.noRole),
  admin: `Bearer ${KEYS.admin}`,
};

export interface Answer {
  status: number;
  body: any;
}

/** Sends one request as a user, over HTTP. */
export type Client = (method: string, path: string, body?: unknown) => Promise<Answer>;

export interface AccessApp {
  readonly test: TestApp;
  readonly emulator: Emulator;
  as(caller: Caller): Client;
  /** Every record the ML APIs keep, to prove a refused call changed nothing. */
  snapshot(): Promise<Record<string, unknown>>;
  /** A fresh name for a fixture. */
  unique(prefix: string): string;
  close(): Promise<void>;
}

/** Starts the app with the given access-control settings, the emulator trusted. */
export async function startAccessApp(
  emulator: Emulator,
  settings: { model?: boolean; connector?: boolean },
): Promise<AccessApp> {
  const test = await buildTestApp({ authenticator: fromDocument(await usersDocument()) });
  const server = await listen(test);
  const as = (caller: Caller): Client => async (method, path, body) => {
    const init: RequestInit = { method, headers: { authorization: AUTHORIZATION[caller], 'content-type': 'application/json' } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(`${server.url}${path}`, init);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const applied = await as('admin')('PUT', '/_cluster/settings', {
    persistent: {
      ...EMULATOR_SETTINGS.persistent,
      'plugins.ml_commons.model_access_control_enabled': settings.model ?? false,
      'plugins.ml_commons.connector_access_control_enabled': settings.connector ?? false,
    },
  });
  if (applied.status !== 200) throw new Error(`settings refused: ${JSON.stringify(applied.body)}`);
  let counter = 0;
  return {
    test,
    emulator,
    as,
    unique: (prefix) => `${prefix}-${++counter}`,
    async snapshot() {
      const collections = [CONNECTOR_INDEX, MODEL_GROUP_INDEX, MODEL_GROUP_NAME_INDEX, MODEL_INDEX, TASK_INDEX];
      const entries = await Promise.all(collections.map(async (name) => [name, await test.store.list(name)] as const));
      return Object.fromEntries(entries);
    },
    close: () => server.close(),
  };
}

/** The emulator's OpenAI embedding connector, with extra fields (access fields, say). */
export const embeddingConnector = (emulator: Emulator, extra: Record<string, unknown> = {}) =>
  openAiEmbeddingConnector(emulator.url, extra);

/** Asserts a 200 and returns the body; anything else fails the test with the answer in the message. */
export function ok(answer: Answer): any {
  if (answer.status !== 200) throw new Error(`expected 200, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}
