/**
 * Who may see a memory. ML Commons keeps memories private to their creator whenever security is
 * on (ConversationMetaIndex.checkAccess); here an admin may also see every memory. With security
 * off there is no caller and every memory is open, as in ML Commons.
 */
import { OpenSearchError } from '../errors/opensearch-error.js';
import type { RecordPredicate } from '../query/index.js';
import type { CallerIdentity } from '../security/identity/index.js';
import type { StoredRecord } from '../store/store.js';
import type { MemoryRecord } from './memory-records.js';

/** Whether `caller` may see the memory. */
export function mayAccessMemory(memory: MemoryRecord, caller: CallerIdentity | undefined): boolean {
  return caller === undefined || caller.isAdmin || memory.user === caller.name;
}

/** The memory, or a 404 (missing) or 403 (someone else's) in ML Commons' words. */
export function accessibleMemory(
  id: string,
  record: StoredRecord<MemoryRecord> | undefined,
  caller: CallerIdentity | undefined,
): StoredRecord<MemoryRecord> {
  if (record === undefined) throw new OpenSearchError({ status: 404, type: 'resource_not_found_exception', reason: `Conversation [${id}] not found` });
  if (!mayAccessMemory(record.source, caller)) {
    // ML Commons throws this as an OpenSearchSecurityException without a status (a 500); it is a 403.
    throw new OpenSearchError({ status: 403, type: 'security_exception', reason: `User [${caller?.name}] does not have access to conversation ${id}` });
  }
  return record;
}

/** The search filter that leaves only the caller's memories (none when every memory is visible). */
export function memoryFilter(caller: CallerIdentity | undefined): RecordPredicate | undefined {
  if (caller === undefined || caller.isAdmin) return undefined;
  return (record) => record.source['user'] === caller.name;
}
