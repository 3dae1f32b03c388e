/**
 * The `preference` parameter of `_search` and `_count`, as OpenSearch's `OperationRouting` reads
 * it for each shard: `_shards:0,1|rest` restricts the shards (and may chain another preference),
 * a custom string (no leading `_`) only picks a copy, and a `_`-prefixed name must be a known
 * `Preference` (else `no Preference for [_x]`). The stand-in has one node holding each primary
 * and replicas that never assign, so `_replica` finds no copy, and `_only_nodes` must name it.
 * OpenSearch < 2.8 knows no `_primary*`/`_replica*` preferences.
 */
import type { ClusterIdentity } from './cluster-state.js';
import { wildcardMatches } from './action-groups.js';
import type { IndexState } from './indices.js';
import { illegalArgument, OpenSearchFailure } from './responses.js';

/** What a preference does with an index's only shard. */
export type ShardChoice = 'search' | 'skip' | 'unavailable';

const ALWAYS = ['_shards', '_prefer_nodes', '_local', '_only_local', '_onlyLocal', '_only_nodes'];
const SINCE_2_8 = [
  '_primary',
  '_replica',
  '_primary_first',
  '_primaryFirst',
  '_replica_first',
  '_replicaFirst',
];

/** True when `version` (`major.minor.patch`) knows the `_primary`/`_replica` preferences. */
export function hasPrimaryPreferences(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 8);
}

function preferenceType(preference: string, version: string): string {
  const colon = preference.indexOf(':');
  const type = colon === -1 ? preference : preference.slice(0, colon);
  const known = hasPrimaryPreferences(version) ? [...ALWAYS, ...SINCE_2_8] : ALWAYS;
  if (!known.includes(type)) throw illegalArgument(`no Preference for [${type}]`);
  return type;
}

function shardIds(list: string): number[] {
  return list.split(',').map((id) => {
    if (!/^[+-]?\d+$/.test(id.trim())) {
      throw new OpenSearchFailure(400, {
        type: 'number_format_exception',
        reason: `For input string: "${id}"`,
      });
    }
    return Number(id);
  });
}

function nodeMatches(spec: string, node: ClusterIdentity): boolean {
  return spec
    .split(',')
    .some(
      (criterion) =>
        criterion === '_local' ||
        wildcardMatches(criterion, node.nodeId) ||
        wildcardMatches(criterion, node.nodeName),
    );
}

/** Where `preference` sends `index`'s shard 0; throws OpenSearch's 400 for a bad preference. */
export function chooseShard(
  preference: string | undefined,
  index: IndexState,
  node: ClusterIdentity,
  version: string,
): ShardChoice {
  if (preference === undefined || preference === '') return 'search';
  let rest = preference;
  if (rest.startsWith('_shards:')) {
    const bar = rest.indexOf('|');
    const ids = shardIds(rest.slice('_shards:'.length, bar === -1 ? undefined : bar));
    if (!ids.includes(0)) return 'skip';
    if (bar === -1 || bar === rest.length - 1) return 'search';
    rest = rest.slice(bar + 1);
  }
  if (!rest.startsWith('_')) return 'search';
  const type = preferenceType(rest, version);
  if (type === '_replica') return 'unavailable';
  if (type === '_only_nodes') {
    const spec = rest.slice(rest.indexOf(':') + 1);
    if (!rest.includes(':') || !nodeMatches(spec, node)) {
      const criteria = spec.split(',');
      throw illegalArgument(
        `no data nodes with ${criteria.length === 1 ? 'criteria' : 'criterion'} [${criteria.join(',')}] found for shard: [${index.name}][0]`,
      );
    }
  }
  return 'search';
}
