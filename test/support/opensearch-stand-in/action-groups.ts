/**
 * The security plugin's static action groups (`static_action_groups.yml`) a stand-in user's
 * permissions may name instead of action names, and the matching of action patterns (`*` and
 * `?`, as the plugin's WildcardMatcher). Groups nest: `crud` is `read` + `index` + `delete`.
 */

/** Action group → actions, action patterns or other groups. */
export const ACTION_GROUPS = {
  unlimited: ['*'],
  indices_all: ['indices:*'],
  cluster_all: ['cluster:*'],
  cluster_monitor: ['cluster:monitor/*'],
  cluster_composite_ops_ro: [
    'indices:data/read/mget',
    'indices:data/read/msearch',
    'indices:data/read/mtv',
    'indices:admin/aliases/exists*',
    'indices:admin/aliases/get*',
    'indices:data/read/scroll',
    'indices:admin/resolve/index',
  ],
  cluster_composite_ops: [
    'indices:data/write/bulk',
    'indices:admin/aliases*',
    'indices:data/write/reindex',
    'cluster_composite_ops_ro',
  ],
  read: ['indices:data/read*', 'indices:admin/mappings/fields/get*', 'indices:admin/resolve/index'],
  write: ['indices:data/write*', 'indices:admin/mapping/put'],
  index: [
    'indices:data/write/index*',
    'indices:data/write/update*',
    'indices:admin/mapping/put',
    'indices:data/write/bulk*',
  ],
  delete: ['indices:data/write/delete*', 'indices:data/write/bulk*'],
  crud: ['read', 'index', 'delete'],
  data_access: ['indices:data/*', 'crud'],
  get: ['indices:data/read/get*', 'indices:data/read/mget*'],
  search: ['indices:data/read/search*', 'indices:data/read/msearch*', 'suggest'],
  suggest: ['indices:data/read/suggest*'],
  create_index: ['indices:admin/create', 'indices:admin/mapping/put'],
  manage: ['indices:monitor/*', 'indices:admin/*'],
  indices_monitor: ['indices:monitor/*'],
} as const satisfies Record<string, readonly string[]>;

/** Expands groups (recursively) into action patterns; anything else is a pattern already. */
export function expandActions(names: readonly string[], seen = new Set<string>()): string[] {
  const patterns: string[] = [];
  for (const name of names) {
    if (Object.hasOwn(ACTION_GROUPS, name)) {
      if (seen.has(name)) continue;
      seen.add(name);
      patterns.push(...expandActions(ACTION_GROUPS[name as keyof typeof ACTION_GROUPS], seen));
    } else {
      patterns.push(name);
    }
  }
  return patterns;
}

/** True when `value` matches the pattern (`*` any run, `?` one character). */
export function wildcardMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}
