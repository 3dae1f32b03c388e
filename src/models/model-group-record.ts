import type { AccessMode, RecordOwner } from '../connectors/connector-record.js';
import type { JsonObject } from '../store/store.js';

export const MODEL_GROUP_INDEX = '.plugins-ml-model-group';
/** One document per group name, created in the same batch as the group: names stay unique under races. */
export const MODEL_GROUP_NAME_INDEX = 'model-group-names';

/** A model group as ML Commons stores it; `model_group_id` is only the document id. */
export interface ModelGroupRecord extends JsonObject {
  name: string;
  latest_version: number;
  description?: string;
  backend_roles?: string[];
  owner?: RecordOwner;
  access?: AccessMode;
  created_time: number;
  last_updated_time: number;
  tenant_id?: string;
}
