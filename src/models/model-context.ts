import type { ConnectorService } from '../connectors/connector-service.js';
import { notFound } from '../errors/opensearch-error.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { ReplicaCount } from '../replicas/replica-membership.js';
import type { Store, StoredRecord } from '../store/store.js';
import type { TaskService } from '../tasks/task-service.js';
import type { Clock } from '../util/clock.js';
import type { IdGenerator } from '../util/ids.js';
import type { ModelAccess } from './model-access.js';
import type { ModelGroupService } from './model-group-service.js';
import { MODEL_INDEX, type ModelRecord } from './model-record.js';

/** What the model services share. */
export interface ModelContext {
  readonly store: Store;
  readonly settings: SettingsService;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  readonly nodeId: string;
  readonly connectors: ConnectorService;
  readonly groups: ModelGroupService;
  readonly tasks: TaskService;
  /** Model access control (a model is judged by its group). */
  readonly access: ModelAccess;
  /** Rate limits are split between the live replicas, so together they keep the configured rate. */
  readonly replicas: ReplicaCount;
}

/** The stored model, or ML Commons' 404 worded by the caller. */
export async function loadModel(
  context: ModelContext,
  id: string,
  missingMessage = `Failed to find model with the provided model id: ${id}`,
): Promise<StoredRecord<ModelRecord>> {
  const record = await context.store.get<ModelRecord>(MODEL_INDEX, id);
  if (!record) throw notFound(missingMessage);
  return record;
}

export { withRetryOnConflict } from '../store/retry-on-conflict.js';
