import { notFound, OpenSearchError } from '../errors/opensearch-error.js';
import { ML_TASK_MAPPING, search, type SearchResponse } from '../query/index.js';
import type { JsonObject, Store, WriteOperation } from '../store/store.js';
import { toUpdateResponse, type UpdateResponse } from '../store/write-response.js';
import type { Clock } from '../util/clock.js';
import type { IdGenerator } from '../util/ids.js';

export const TASK_INDEX = '.plugins-ml-task';

export type TaskType = 'REGISTER_MODEL' | 'DEPLOY_MODEL';
export type TaskState = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED';

/** A task as ML Commons stores it (MLTask); `task_id` is only the document id. */
export interface TaskRecord extends JsonObject {
  model_id: string;
  task_type: TaskType;
  function_name: 'REMOTE';
  state: TaskState;
  worker_node: string[];
  create_time: number;
  last_update_time: number;
  error?: string;
  is_async: boolean;
}

/**
 * ML tasks. Remote register and deploy complete synchronously, so a task is written once, already
 * in its final state, in the same batch as the change it records.
 */
export class TaskService {
  constructor(
    private readonly deps: { store: Store; clock: Clock; newId: IdGenerator; nodeId: string },
  ) {}

  /** A write that records a finished task, for the caller's batch. */
  recordFinished(options: {
    modelId: string;
    type: TaskType;
    state: 'COMPLETED' | 'FAILED';
    isAsync: boolean;
    error?: string;
  }): { taskId: string; write: WriteOperation } {
    const now = this.deps.clock.now();
    const task: TaskRecord = {
      model_id: options.modelId,
      task_type: options.type,
      function_name: 'REMOTE',
      state: options.state,
      worker_node: [this.deps.nodeId],
      create_time: now,
      last_update_time: now,
      ...(options.error === undefined ? {} : { error: options.error }),
      is_async: options.isAsync,
    };
    const taskId = this.deps.newId();
    return { taskId, write: { op: 'create', collection: TASK_INDEX, id: taskId, source: task } };
  }

  async get(id: string): Promise<TaskRecord> {
    const record = await this.deps.store.get<TaskRecord>(TASK_INDEX, id);
    if (!record) throw notFound('Failed to find task');
    return record.source;
  }

  async delete(id: string): Promise<UpdateResponse> {
    const task = await this.get(id);
    if (task.state === 'RUNNING') {
      throw new OpenSearchError({ status: 409, type: 'status_exception', reason: 'Task cannot be deleted in running state. Try after some time.' });
    }
    const [result] = await this.deps.store.write([{ op: 'delete', collection: TASK_INDEX, id, mustExist: true }]);
    return toUpdateResponse(result!);
  }

  async search(body: unknown): Promise<SearchResponse> {
    return search({
      records: await this.deps.store.list(TASK_INDEX),
      body,
      mapping: ML_TASK_MAPPING,
      index: TASK_INDEX,
      now: this.deps.clock.now(),
    });
  }
}
