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

/** The access fields of a group: `owner` only when created with access control in force. */
export type GroupAccessFields = Pick<ModelGroupRecord, 'backend_roles' | 'owner' | 'access'>;

/**
 * The group with these access fields in place of its own, in ML Commons' field order (name,
 * latest_version, description, backend_roles, owner, access, then the rest).
 */
export function withGroupAccess(group: Omit<ModelGroupRecord, keyof GroupAccessFields>, access: GroupAccessFields): ModelGroupRecord {
  const { name, latest_version: latestVersion, description, backend_roles: _roles, owner: _owner, access: _access, ...rest } =
    group as ModelGroupRecord;
  return {
    name,
    latest_version: latestVersion,
    ...(description === undefined ? {} : { description }),
    ...(access.backend_roles === undefined || access.backend_roles.length === 0 ? {} : { backend_roles: access.backend_roles }),
    ...(access.owner === undefined ? {} : { owner: access.owner }),
    ...(access.access === undefined ? {} : { access: access.access }),
    ...rest,
  };
}
