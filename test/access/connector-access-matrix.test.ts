/**
 * The connector access matrix: (owner, same backend role, other role, no role, admin) × (private,
 * restricted, public) × (get, search, update, delete, use in a model registration, change access),
 * over HTTP with users-file credentials and `plugins.ml_commons.connector_access_control_enabled`
 * on. Each cell gets a fresh connector made by the owner; a refused cell changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import {
  ACCESS_OF,
  CALLERS,
  embeddingConnector,
  MODES,
  ok,
  startAccessApp,
  type AccessApp,
  type Answer,
  type Caller,
  type Mode,
} from './access-app.js';

type ConnectorOp = 'get' | 'search' | 'update' | 'delete' | 'use in register' | 'change access';

/** Per mode, the answer of each caller in CALLERS order: a status, or for `search` the hit count. */
//                                                                   owner sameRole otherRole noRole admin
const CONNECTOR_GRID: Record<ConnectorOp, Record<Mode, [number, number, number, number, number]>> = {
  get: {
    private: /*    */ [200, 403, 403, 403, 200],
    restricted: /* */ [200, 200, 403, 403, 200],
    public: /*     */ [200, 200, 200, 200, 200],
  },
  search: {
    private: /*    */ [1, 0, 0, 0, 1],
    restricted: /* */ [1, 1, 0, 0, 1],
    public: /*     */ [1, 1, 1, 1, 1],
  },
  update: {
    private: /*    */ [200, 400, 400, 400, 200],
    restricted: /* */ [200, 200, 400, 400, 200],
    public: /*     */ [200, 200, 200, 200, 200],
  },
  delete: {
    private: /*    */ [200, 403, 403, 403, 200],
    restricted: /* */ [200, 200, 403, 403, 200],
    public: /*     */ [200, 200, 200, 200, 200],
  },
  'use in register': {
    private: /*    */ [200, 400, 400, 400, 200],
    restricted: /* */ [200, 200, 400, 400, 200],
    public: /*     */ [200, 200, 200, 200, 200],
  },
  // Only the owner or an admin may change access fields (callers who may not use it at all get the update denial).
  'change access': {
    private: /*    */ [200, 400, 400, 400, 200],
    restricted: /* */ [200, 400, 400, 400, 200],
    public: /*     */ [200, 400, 400, 400, 200],
  },
};

const denial = (op: Exclude<ConnectorOp, 'search'>, id: string, mayUse: boolean): string =>
  ({
    get: "You don't have permission to access this connector",
    update: `You don't have permission to update the connector, connector id: ${id}`,
    delete: 'You are not allowed to delete this connector',
    'use in register': `You don't have permission to use the connector provided, connector id: ${id}`,
    'change access': mayUse
      ? 'Only owner or admin can update access control data.'
      : `You don't have permission to update the connector, connector id: ${id}`,
  })[op];

let emulator: Emulator;
let app: AccessApp;

beforeAll(async () => {
  emulator = await startEmulator();
  app = await startAccessApp(emulator, { connector: true });
});
afterAll(async () => {
  await app?.close();
  await emulator?.close();
});

async function ownersConnector(mode: Mode): Promise<string> {
  const body = embeddingConnector(emulator, { name: app.unique(`connector-${mode}`), ...ACCESS_OF[mode] });
  return ok(await app.as('owner')('POST', '/_plugins/_ml/connectors/_create', body)).connector_id;
}

function connectorOp(op: ConnectorOp, mode: Mode, id: string, caller: Caller): Promise<Answer> {
  const as = app.as(caller);
  const path = `/_plugins/_ml/connectors/${id}`;
  return {
    get: () => as('GET', path),
    search: () => as('POST', '/_plugins/_ml/connectors/_search', { query: { ids: { values: [id] } } }),
    update: () => as('PUT', path, { description: 'changed' }),
    delete: () => as('DELETE', path),
    'use in register': () =>
      as('POST', '/_plugins/_ml/models/_register', { name: app.unique('model'), function_name: 'remote', connector_id: id }),
    'change access': () => as('PUT', path, { access_mode: mode === 'public' ? 'private' : 'public' }),
  }[op]();
}

const cells = (Object.keys(CONNECTOR_GRID) as ConnectorOp[]).flatMap((op) =>
  MODES.flatMap((mode) =>
    CALLERS.map((caller, index) => [op, mode, caller, CONNECTOR_GRID[op][mode][index]!] as [ConnectorOp, Mode, Caller, number]),
  ),
);

describe('connector access matrix', () => {
  it.each(cells)('%s on a %s connector as %s → %i', async (op, mode, caller, expected) => {
    const id = await ownersConnector(mode);
    const before = await app.snapshot();
    const answer = await connectorOp(op, mode, id, caller);
    if (op === 'search') {
      expect(answer.status).toBe(200);
      expect(answer.body.hits.total.value).toBe(expected);
      return;
    }
    expect(answer.status, JSON.stringify(answer.body)).toBe(expected);
    if (expected !== 200) {
      const mayUse = CONNECTOR_GRID.get[mode][CALLERS.indexOf(caller)] === 200;
      expect(answer.body.error.reason).toBe(denial(op, id, mayUse));
      expect(await app.snapshot()).toEqual(before);
    }
    if (op === 'get' && expected === 200) {
      expect(answer.body).not.toHaveProperty('credential');
      expect(answer.body.owner.name).toBe('alice');
    }
  });
});
