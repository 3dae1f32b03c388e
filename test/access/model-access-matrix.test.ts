/**
 * The model access matrix: (owner, same backend role, other role, no role, admin) × (private,
 * restricted, public) × every model group and model operation, over HTTP with users-file
 * credentials and `plugins.ml_commons.model_access_control_enabled` on. Each cell gets fresh
 * fixtures made by the owner; a refused cell must leave every stored record as it was and send
 * nothing to the provider.
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

/** Per mode, the answer of each caller in CALLERS order: a status, or for `search` the hit count. */
type Grid<Op extends string> = Record<Op, Record<Mode, [number, number, number, number, number]>>;

type GroupOp = 'get' | 'search' | 'update' | 'delete' | 'change access';
//                                 owner sameRole otherRole noRole admin
const GROUP_GRID: Grid<GroupOp> = {
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
  'change access': {
    private: /*    */ [200, 400, 400, 400, 200],
    restricted: /* */ [200, 400, 400, 400, 200],
    public: /*     */ [200, 400, 400, 400, 200],
  },
};

type ModelOp = 'get' | 'search' | 'update' | 'delete' | 'deploy' | 'undeploy' | 'predict' | 'change access';
const MODEL_GRID: Grid<ModelOp> = {
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
    private: /*    */ [200, 403, 403, 403, 200],
    restricted: /* */ [200, 200, 403, 403, 200],
    public: /*     */ [200, 200, 200, 200, 200],
  },
  delete: {
    private: /*    */ [200, 403, 403, 403, 200],
    restricted: /* */ [200, 200, 403, 403, 200],
    public: /*     */ [200, 200, 200, 200, 200],
  },
  deploy: {
    private: /*    */ [200, 403, 403, 403, 200],
    restricted: /* */ [200, 200, 403, 403, 200],
    public: /*     */ [200, 200, 200, 200, 200],
  },
  undeploy: {
    private: /*    */ [200, 400, 400, 400, 200],
    restricted: /* */ [200, 200, 400, 400, 200],
    public: /*     */ [200, 200, 200, 200, 200],
  },
  predict: {
    private: /*    */ [200, 403, 403, 403, 200],
    restricted: /* */ [200, 200, 403, 403, 200],
    public: /*     */ [200, 200, 200, 200, 200],
  },
  // Moving the model into another group (everyone may use the target): its group decides.
  'change access': {
    private: /*    */ [200, 403, 403, 403, 200],
    restricted: /* */ [200, 200, 403, 403, 200],
    public: /*     */ [200, 200, 200, 200, 200],
  },
};

const GROUP_DENIALS: Record<Exclude<GroupOp, 'search'>, string> = {
  get: "User doesn't have privilege to perform this operation on this model group",
  update: "You don't have permission to update this model group.",
  delete: "User doesn't have privilege to delete this model group",
  'change access': 'Only owner or admin can update access control data.',
};

const modelDenial = (op: Exclude<ModelOp, 'search'>, modelId: string): string =>
  ({
    get: "User doesn't have privilege to perform this operation on this model",
    delete: "User doesn't have privilege to perform this operation on this model",
    deploy: "User doesn't have privilege to perform this operation on this model",
    update: `User doesn't have privilege to perform this operation on this model, model ID ${modelId}`,
    'change access': `User doesn't have privilege to perform this operation on this model, model ID ${modelId}`,
    undeploy: `No permission to undeploy model ${modelId}`,
    predict: "User Doesn't have privilege to perform this operation on this model",
  })[op];

let emulator: Emulator;
let app: AccessApp;
let connectorId: string;
let openGroupId: string;

beforeAll(async () => {
  emulator = await startEmulator();
  app = await startAccessApp(emulator, { model: true });
  connectorId = ok(await app.as('admin')('POST', '/_plugins/_ml/connectors/_create', embeddingConnector(emulator))).connector_id;
  openGroupId = ok(await app.as('admin')('POST', '/_plugins/_ml/model_groups/_register', { name: 'open', access_mode: 'public' }))
    .model_group_id;
});
afterAll(async () => {
  await app?.close();
  await emulator?.close();
});

async function ownersGroup(mode: Mode): Promise<string> {
  const body = { name: app.unique(`group-${mode}`), ...ACCESS_OF[mode] };
  return ok(await app.as('owner')('POST', '/_plugins/_ml/model_groups/_register', body)).model_group_id;
}

async function ownersModel(mode: Mode): Promise<string> {
  const groupId = await ownersGroup(mode);
  const body = { name: app.unique('model'), function_name: 'remote', model_group_id: groupId, connector_id: connectorId };
  return ok(await app.as('owner')('POST', '/_plugins/_ml/models/_register', body)).model_id;
}

const hits = (answer: Answer): number => (answer.status === 200 ? answer.body.hits.total.value : -answer.status);

function groupOp(op: GroupOp, mode: Mode, id: string, caller: Caller): Promise<Answer> {
  const as = app.as(caller);
  const path = `/_plugins/_ml/model_groups/${id}`;
  return {
    get: () => as('GET', path),
    search: () => as('POST', '/_plugins/_ml/model_groups/_search', { query: { ids: { values: [id] } } }),
    update: () => as('PUT', path, { description: 'changed' }),
    delete: () => as('DELETE', path),
    'change access': () => as('PUT', path, { access_mode: mode === 'public' ? 'private' : 'public' }),
  }[op]();
}

function modelOp(op: ModelOp, id: string, caller: Caller): Promise<Answer> {
  const as = app.as(caller);
  const path = `/_plugins/_ml/models/${id}`;
  return {
    get: () => as('GET', path),
    search: () => as('POST', '/_plugins/_ml/models/_search', { query: { ids: { values: [id] } } }),
    update: () => as('PUT', path, { description: 'changed' }),
    delete: () => as('DELETE', path),
    deploy: () => as('POST', `${path}/_deploy`),
    undeploy: () => as('POST', `${path}/_undeploy`),
    predict: () => as('POST', `/_plugins/_ml/_predict/text_embedding/${id}`, { text_docs: ['hello world'] }),
    'change access': () => as('PUT', path, { model_group_id: openGroupId }),
  }[op]();
}

function cells<Op extends string>(grid: Grid<Op>): Array<[Op, Mode, Caller, number]> {
  return (Object.keys(grid) as Op[]).flatMap((op) =>
    MODES.flatMap((mode) => CALLERS.map((caller, index) => [op, mode, caller, grid[op][mode][index]!] as [Op, Mode, Caller, number])),
  );
}

describe('model group access matrix', () => {
  it.each(cells(GROUP_GRID))('%s on a %s group as %s → %i', async (op, mode, caller, expected) => {
    const id = await ownersGroup(mode);
    const before = await app.snapshot();
    const answer = await groupOp(op, mode, id, caller);
    if (op === 'search') {
      expect(hits(answer)).toBe(expected);
      return;
    }
    expect(answer.status, JSON.stringify(answer.body)).toBe(expected);
    if (expected !== 200) {
      expect(answer.body.error.reason).toBe(GROUP_DENIALS[op]);
      expect(await app.snapshot()).toEqual(before);
    }
  });
});

describe('model access matrix', () => {
  it.each(cells(MODEL_GRID))('%s on a model in a %s group as %s → %i', async (op, mode, caller, expected) => {
    const id = await ownersModel(mode);
    const before = await app.snapshot();
    const providerCalls = emulator.requests.length;
    const answer = await modelOp(op, id, caller);
    if (op === 'search') {
      expect(hits(answer)).toBe(expected);
      return;
    }
    expect(answer.status, JSON.stringify(answer.body)).toBe(expected);
    const refused = expected !== 200;
    if (op === 'predict') expect(emulator.requests.length - providerCalls).toBe(refused ? 0 : 1);
    if (refused) {
      expect(answer.body.error.reason).toBe(modelDenial(op, id));
      expect(emulator.requests.length).toBe(providerCalls);
      expect(await app.snapshot()).toEqual(before);
    }
  });
});
