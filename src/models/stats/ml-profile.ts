/**
 * ML Commons' profile API (`GET /_plugins/_ml/profile[/models[/{ids}]|/tasks[/{ids}]]`, optional
 * body `node_ids`, `model_ids`, `task_ids`, `return_all_models`, `return_all_tasks`; `?view=model`),
 * in `RestMLProfileAction`'s shape. A model is profiled while it is deployed, with this replica's
 * windows of the last `plugins.ml_commons.monitoring_request_count` requests: `predict_request_stats`
 * (whole predicts) and `model_inference_stats` (connector calls), in milliseconds. Tasks finish
 * within their request here (deploy and register are synchronous), so no task is ever running:
 * task profiles are always empty, as ML Commons' are when nothing runs.
 */
import { createHash } from 'node:crypto';
import { illegalArgument } from '../../errors/opensearch-error.js';
import { compileSchema, validateOrThrow } from '../../schemas/ajv.js';
import { profileBodySchema } from '../../schemas/profile-schemas.js';
import type { Store } from '../../store/store.js';
import { MODEL_INDEX, type ModelRecord } from '../model-record.js';
import type { PredictStats } from './predict-stats.js';

/** What a profile request asks for. */
export interface ProfileRequest {
  /** `models` (all or `modelIds`), `tasks` (all or `taskIds`), or everything. */
  readonly target: 'models' | 'tasks' | 'all';
  readonly modelIds?: readonly string[];
  readonly taskIds?: readonly string[];
  readonly body?: unknown;
  /** `node` (default) or `model`. */
  readonly view?: string;
}

interface ProfileBody {
  node_ids?: string[];
  model_ids?: string[];
  task_ids?: string[];
  return_all_models?: boolean;
  return_all_tasks?: boolean;
}

const validateBody = compileSchema<ProfileBody>(profileBodySchema);

/** The Java class ML Commons names as a remote model's predictor. */
const REMOTE_PREDICTOR = 'org.opensearch.ml.engine.algorithms.remote.RemoteModel';

/** Builds this replica's profile answer. */
export class MlProfileService {
  constructor(
    private readonly deps: { readonly store: Store; readonly counters: PredictStats; readonly node: { readonly id: string; readonly name: string } },
  ) {}

  async profile(request: ProfileRequest): Promise<Record<string, unknown>> {
    const wanted = this.wantedModels(request);
    if (wanted === undefined || !this.isAsked(request)) return {};
    const deployed = (await this.deps.store.list<ModelRecord>(MODEL_INDEX)).filter(
      (model) => model.source.model_state === 'DEPLOYED' && (wanted === 'all' || wanted.has(model.id)),
    );
    if (deployed.length === 0) return {};
    const nodeId = this.deps.node.id;
    const profiles = deployed.map((model) => [model.id, this.modelProfile(model.id, model.source)] as const);
    if (request.view === 'model') {
      return {
        models: Object.fromEntries(
          profiles.map(([id, { target_worker_nodes, worker_nodes, ...profile }]) => [id, { target_worker_nodes, worker_nodes, nodes: { [nodeId]: profile } }]),
        ),
      };
    }
    return { nodes: { [nodeId]: { models: Object.fromEntries(profiles) } } };
  }

  /** The models asked for: `all`, a set of ids, or undefined when the request asks for tasks only. */
  private wantedModels(request: ProfileRequest): 'all' | Set<string> | undefined {
    if (request.body !== undefined) {
      const body = validateOrThrow(validateBody, request.body, { what: 'profile', toError: illegalArgument });
      if (body.model_ids !== undefined && body.model_ids.length > 0) return new Set(body.model_ids);
      return body.return_all_models === true ? 'all' : undefined;
    }
    if (request.modelIds !== undefined) return new Set(request.modelIds);
    return request.target === 'tasks' ? undefined : 'all';
  }

  private isAsked(request: ProfileRequest): boolean {
    const nodeIds = (request.body as ProfileBody | undefined)?.node_ids;
    if (nodeIds === undefined || nodeIds.length === 0) return true;
    const { id, name } = this.deps.node;
    return nodeIds.some((nodeId) => nodeId === id || nodeId === name || nodeId === '_local' || nodeId === '_all');
  }

  private modelProfile(modelId: string, model: ModelRecord) {
    const counters = this.deps.counters.model(modelId);
    const window = this.deps.counters.window;
    const inference = counters?.inferenceDurations.stats(window);
    const requests = counters?.requestDurations.stats(window);
    return {
      model_state: model.model_state,
      predictor: `${REMOTE_PREDICTOR}@${identityHash(modelId, model.last_deployed_time)}`,
      target_worker_nodes: model.planning_worker_nodes ?? [this.deps.node.id],
      worker_nodes: [this.deps.node.id],
      ...(inference === undefined ? {} : { model_inference_stats: inference }),
      ...(requests === undefined ? {} : { predict_request_stats: requests }),
    };
  }
}

/** A stable stand-in for Java's identity hash: one per deployment of a model. */
function identityHash(modelId: string, deployedAt: number | undefined): string {
  return createHash('sha256').update(`${modelId}:${deployedAt ?? 0}`).digest('hex').slice(0, 8);
}
