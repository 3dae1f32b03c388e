/**
 * Model access control in force: with `plugins.ml_commons.model_access_control_enabled` and an
 * authenticated caller (ML Commons: a user in the thread context). Access to a model is access to
 * its model group; a model group is judged by `canUse` (owner, backend roles, access mode, admin).
 */
import type { OpenSearchError } from '../errors/opensearch-error.js';
import type { RecordPredicate } from '../query/index.js';
import { canUse, denials, enforcedCaller } from '../security/access/index.js';
import type { CallerIdentity } from '../security/identity/index.js';
import type { SettingsService } from '../settings/settings-service.js';
import { RecordCache } from '../store/cached-reads.js';
import type { Store, StoredRecord } from '../store/store.js';
import { MODEL_GROUP_INDEX, type ModelGroupRecord } from './model-group-record.js';
import type { ModelRecord } from './model-record.js';

/** The access decisions the model services make, bound to the live setting and the store. */
export class ModelAccess {
  /** Groups as predict checks them: a predict makes no store round trip for its access check. */
  private readonly cachedGroups: RecordCache<ModelGroupRecord>;

  constructor(private readonly deps: { readonly store: Store; readonly settings: SettingsService }) {
    this.cachedGroups = new RecordCache(deps.store, MODEL_GROUP_INDEX);
  }

  /** Whether the setting is on (some rules, such as one-model undeploy, need only that). */
  get enabled(): boolean {
    return this.deps.settings.get('plugins.ml_commons.model_access_control_enabled');
  }

  /** The caller whose access is checked, or `undefined` when model access control does not apply. */
  enforcedFor(caller: CallerIdentity | undefined): CallerIdentity | undefined {
    return enforcedCaller(this.enabled, caller);
  }

  /** Whether the caller may use this group (always, when access control does not apply). */
  mayUseGroup(group: ModelGroupRecord, caller: CallerIdentity | undefined): boolean {
    const enforced = this.enforcedFor(caller);
    return enforced === undefined || canUse(enforced, group);
  }

  /**
   * Throws `denial` unless the caller may use the group with this id. A model without a group
   * passes (as in ML Commons); a group that is gone is a 404. Hot paths pass `cached` and accept a
   * group as it was up to a change-announcement ago.
   */
  async assertGroupUsable(
    groupId: string | undefined,
    caller: CallerIdentity | undefined,
    denial: () => OpenSearchError,
    options: { cached?: boolean } = {},
  ): Promise<void> {
    const enforced = this.enforcedFor(caller);
    if (enforced === undefined || enforced.isAdmin || groupId === undefined) return;
    const group = options.cached ? await this.cachedGroups.get(groupId) : await this.deps.store.get<ModelGroupRecord>(MODEL_GROUP_INDEX, groupId);
    if (!group) throw denials.modelGroupMissing();
    if (!canUse(enforced, group.source)) throw denial();
  }

  /** The search filter over model groups: the ones the caller may use (same rule as GET). */
  groupSearchFilter(caller: CallerIdentity | undefined): RecordPredicate | undefined {
    const enforced = this.enforcedFor(caller);
    if (enforced === undefined || enforced.isAdmin) return undefined;
    return (record: StoredRecord) => canUse(enforced, record.source as ModelGroupRecord);
  }

  /** The search filter over models: those in a group the caller may use, and those without a group. */
  async modelSearchFilter(caller: CallerIdentity | undefined): Promise<RecordPredicate | undefined> {
    const enforced = this.enforcedFor(caller);
    if (enforced === undefined || enforced.isAdmin) return undefined;
    const groups = await this.deps.store.list<ModelGroupRecord>(MODEL_GROUP_INDEX);
    const usable = new Set(groups.filter((group) => canUse(enforced, group.source)).map((group) => group.id));
    return (record: StoredRecord) => {
      const groupId = (record.source as ModelRecord).model_group_id as string | undefined;
      return groupId === undefined || usable.has(groupId);
    };
  }
}
