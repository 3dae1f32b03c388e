/**
 * The indices the stand-in holds: each with its settings, mappings, live documents (what a GET
 * sees) and searchable documents (what a search sees: the live set as of the last refresh).
 * Index names are validated as OpenSearch validates them, and index expressions (comma lists,
 * `*` patterns, `_all`, `-exclusions` after a wildcard) resolve as they do for search and
 * settings: wildcards skip hidden indices (`index.hidden: true`) unless `expand_wildcards`
 * includes `hidden` or the pattern itself starts with a dot.
 */
import { randomBytes } from 'node:crypto';
import type { JsonObject } from './json.js';
import { indexNotFound, invalidIndexName, OpenSearchFailure } from './responses.js';
import { initialSettings, settingText } from './index-settings.js';
import { matchesPattern, type SettingValue } from './settings-format.js';

/** One stored document, shaped like the query evaluator's records. */
export interface StoredDocument {
  readonly collection: string;
  readonly id: string;
  readonly version: number;
  readonly seqNo: number;
  readonly primaryTerm: number;
  readonly source: JsonObject;
}

/** An OpenSearch-style random id: 20 URL-safe base64 characters (index uuids, auto ids). */
export const randomId = (): string => randomBytes(15).toString('base64url');

/** One index. */
export class IndexState {
  readonly uuid = randomBytes(16).toString('base64url');
  readonly creationDate = Date.now();
  readonly settings: Map<string, SettingValue>;
  mappings: JsonObject;
  /** Realtime documents (GET by id reads these). */
  readonly live = new Map<string, StoredDocument>();
  /** Documents as of the last refresh (search and count read these). */
  searchable = new Map<string, StoredDocument>();
  /** Versions of deleted ids, so a re-created document continues the count as OpenSearch does. */
  readonly tombstones = new Map<string, number>();
  private nextSeqNo = 0;

  constructor(
    readonly name: string,
    requestedSettings: ReadonlyMap<string, SettingValue | null>,
    mappings: JsonObject,
  ) {
    this.settings = initialSettings(name, this.uuid, this.creationDate, requestedSettings);
    this.mappings = mappings;
  }

  /** Takes the next sequence number of the index's single shard. */
  takeSeqNo(): number {
    return this.nextSeqNo++;
  }

  /** Makes every write so far visible to search. */
  refresh(): void {
    this.searchable = new Map(this.live);
  }

  /** `_shards` of a write: one primary plus `number_of_replicas` replicas that never assign. */
  writeShards(): { total: number; successful: number; failed: number } {
    const replicas = Number(settingText(this.settings, 'index.number_of_replicas') ?? '1');
    return { total: 1 + (Number.isFinite(replicas) ? replicas : 1), successful: 1, failed: 0 };
  }
}

const FORBIDDEN_CHARACTERS = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#'];

/** Throws OpenSearch's `invalid_index_name_exception` when `name` cannot be an index. */
export function validateIndexName(name: string): void {
  if (name !== name.toLowerCase()) throw invalidIndexName(name, 'must be lowercase');
  if (FORBIDDEN_CHARACTERS.some((c) => name.includes(c))) {
    throw invalidIndexName(
      name,
      'must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]',
    );
  }
  if (name.includes(':')) throw invalidIndexName(name, "must not contain ':'");
  if (/^[_\-+]/.test(name)) throw invalidIndexName(name, "must not start with '_', '-', or '+'");
  if (name === '.' || name === '..') throw invalidIndexName(name, "must not be '.' or '..'");
  const bytes = Buffer.byteLength(name);
  if (bytes > 255) throw invalidIndexName(name, `index name is too long, (${bytes} > 255)`);
}

/** How an index expression resolves (OpenSearch's `IndicesOptions`). */
export interface ResolveOptions {
  /** Missing concrete names are skipped instead of a 404 (`ignore_unavailable=true`). */
  readonly ignoreUnavailable?: boolean;
  /** What wildcards expand to (`expand_wildcards`): open indices, hidden ones too, or none. */
  readonly expandWildcards?: { readonly open: boolean; readonly hidden: boolean };
}

const EXPAND_OPEN = { open: true, hidden: false };

const isHidden = (index: IndexState): boolean =>
  settingText(index.settings, 'index.hidden') === 'true';

/** A dot-prefixed pattern matches dot-prefixed hidden indices without `expand_wildcards=hidden`. */
const implicitHiddenMatch = (pattern: string, name: string): boolean =>
  pattern.startsWith('.') && name.startsWith('.');

/** Every index of the stand-in, by name. */
export class IndexRegistry {
  private readonly byName = new Map<string, IndexState>();

  /** The index called `name`, or undefined. */
  get(name: string): IndexState | undefined {
    return this.byName.get(name);
  }

  /**
   * The index a single-index API names (GET or DELETE of a document, `_mget` items), or the 404
   * those APIs answer: resolved as a concrete name, so the resource type is `index_expression`.
   */
  requireConcrete(name: string): IndexState {
    const index = this.byName.get(name);
    if (index === undefined) throw indexNotFound(name, 'index_expression');
    return index;
  }

  /** Every index, in creation order. */
  all(): IndexState[] {
    return [...this.byName.values()];
  }

  /** Creates an index; OpenSearch's 400 when the name is invalid or taken. */
  create(
    name: string,
    settings: ReadonlyMap<string, SettingValue | null>,
    mappings: JsonObject,
  ): IndexState {
    validateIndexName(name);
    const existing = this.byName.get(name);
    if (existing !== undefined) {
      throw new OpenSearchFailure(400, {
        type: 'resource_already_exists_exception',
        reason: `index [${name}/${existing.uuid}] already exists`,
        index_uuid: existing.uuid,
        index: name,
      });
    }
    const index = new IndexState(name, settings, mappings);
    this.byName.set(name, index);
    return index;
  }

  /** The index a write targets, auto-created with defaults when missing (as OpenSearch does). */
  getOrCreate(name: string): IndexState {
    return this.byName.get(name) ?? this.create(name, new Map(), {});
  }

  /** Deletes indices. */
  delete(indices: readonly IndexState[]): void {
    for (const index of indices) this.byName.delete(index.name);
  }

  /** Removes every index. */
  clear(): void {
    this.byName.clear();
  }

  /**
   * The index names the security plugin checks for an expression: concrete names as written
   * (existing or not), patterns as the indices they resolve to; nothing, `_all` or `*` is "local
   * all", which the plugin checks against every index, hidden ones included.
   */
  targetNames(expression: string | undefined): string[] {
    if (expression === undefined || ['', '_all', '*'].includes(expression))
      return this.all().map((index) => index.name);
    const concrete = (expression ?? '')
      .split(',')
      .filter((part) => part !== '' && part !== '_all')
      .filter((part) => !part.includes('*') && !part.startsWith('-'));
    const resolved = this.resolve(expression, { ignoreUnavailable: true }).map((i) => i.name);
    return [...new Set([...concrete, ...resolved])];
  }

  /**
   * Resolves an index expression (`a,b`, `logs-*`, `_all`, `*,-secret`) to indices. A concrete
   * name that does not exist is a 404 unless `ignoreUnavailable`; patterns may match nothing.
   */
  resolve(expression: string | undefined, options: ResolveOptions = {}): IndexState[] {
    const parts = expression === undefined || expression === '' ? ['_all'] : expression.split(',');
    const expand = options.expandWildcards ?? EXPAND_OPEN;
    const selected = new Map<string, IndexState>();
    let wildcardSeen = false;
    for (const part of parts) {
      const excluded = part.startsWith('-') && wildcardSeen;
      const name = excluded ? part.slice(1) : part;
      if (name === '_all' || name.includes('*')) {
        wildcardSeen = true;
        const pattern = name === '_all' ? '*' : name;
        for (const index of this.byName.values()) {
          if (!expand.open || !matchesPattern(pattern, index.name)) continue;
          if (isHidden(index) && !expand.hidden && !implicitHiddenMatch(name, index.name)) continue;
          if (excluded) selected.delete(index.name);
          else selected.set(index.name, index);
        }
      } else if (excluded) {
        selected.delete(name);
      } else {
        const index = this.byName.get(name);
        if (index !== undefined) selected.set(name, index);
        else if (options.ignoreUnavailable !== true) throw indexNotFound(name);
      }
    }
    return [...selected.values()];
  }
}
