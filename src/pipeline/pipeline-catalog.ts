import { illegalArgument, OpenSearchError } from '../errors/opensearch-error.js';
import pLimit from 'p-limit';
import type { Store } from '../store/store.js';

/** A pipeline id and where its definition lives. */
export interface StoredPipeline {
  readonly id: string;
  readonly origin: 'api' | 'file';
}

const MAX_ID_BYTES = 512;

/**
 * Pipeline definitions of one kind (ingest or search): those created through the API (in the
 * store) and those read from `pipelines/` at start. An API pipeline with a file pipeline's id takes
 * its place; deleting it brings the file's back. File pipelines cannot be deleted through the API.
 * Definitions are compiled when stored (or loaded) and kept compiled.
 */
export class PipelineCatalog<Compiled> {
  private readonly compiledById = new Map<string, Compiled>();
  private readonly bodies = new Map<string, { body: unknown; origin: 'api' | 'file' }>();
  /** `_seq_no` of each API pipeline as installed here. */
  private readonly installedSeqNo = new Map<string, number>();
  /** Reloads and this replica's own changes run one at a time, so an old read never undoes a newer change. */
  private readonly exclusive = pLimit(1);

  constructor(
    private readonly options: {
      store: Store;
      collection: string;
      kind: 'ingest' | 'search';
      compile: (id: string, body: unknown) => Compiled;
      files: ReadonlyMap<string, unknown>;
    },
  ) {}

  async load(): Promise<void> {
    for (const [id, body] of this.options.files) {
      try {
        this.install(id, body, 'file');
      } catch (error) {
        const reason = error instanceof OpenSearchError ? error.reason : (error as Error).message;
        throw new Error(`pipelines/${id}.json is not a valid ${this.options.kind} pipeline: ${reason}`);
      }
    }
    await this.exclusive(() => this.syncWithStore(true));
    this.options.store.changes.subscribe([this.options.collection], () => {
      void this.exclusive(() => this.syncWithStore(false)).catch(() => undefined);
    });
  }

  /**
   * Installs the stored pipelines that changed since this replica installed them and removes the
   * deleted ones (a file pipeline of the same id comes back). At start a pipeline that does not
   * compile fails the start; later it is skipped (another replica stored it, and it stays as it was here).
   */
  private async syncWithStore(atStart: boolean): Promise<void> {
    const records = await this.options.store.list(this.options.collection);
    const stored = new Set<string>();
    for (const record of records) {
      stored.add(record.id);
      if (this.installedSeqNo.get(record.id) === record.seqNo) continue;
      try {
        this.install(record.id, record.source['body'], 'api');
        this.installedSeqNo.set(record.id, record.seqNo);
      } catch (error) {
        if (atStart) throw error;
      }
    }
    for (const id of [...this.installedSeqNo.keys()]) if (!stored.has(id)) this.uninstall(id);
  }

  async put(id: string, body: unknown): Promise<{ acknowledged: true }> {
    assertValidId(id);
    const compiled = this.options.compile(id, body);
    return this.exclusive(async () => {
      const [result] = await this.options.store.write([{ op: 'put', collection: this.options.collection, id, source: { body: body as object } }]);
      this.compiledById.set(id, compiled);
      this.bodies.set(id, { body, origin: 'api' });
      this.installedSeqNo.set(id, result!.seqNo);
      return { acknowledged: true as const };
    });
  }

  async get(pattern: string | undefined): Promise<Record<string, unknown>> {
    const ids = this.matching(pattern);
    if (pattern !== undefined && ids.length === 0) throw this.missing(pattern);
    return Object.fromEntries(ids.map((id) => [id, this.bodies.get(id)!.body]));
  }

  async delete(pattern: string): Promise<{ acknowledged: true }> {
    const ids = this.matching(pattern);
    if (ids.length === 0) throw this.missing(pattern);
    const apiIds = ids.filter((id) => this.bodies.get(id)!.origin === 'api');
    if (apiIds.length === 0 || (!pattern.includes('*') && apiIds.length < ids.length)) {
      throw illegalArgument(`pipeline [${pattern}] is defined by the file pipelines/${pattern}.json; remove the file to delete it`);
    }
    await this.exclusive(async () => {
      await this.options.store.write(apiIds.map((id) => ({ op: 'delete' as const, collection: this.options.collection, id })));
      for (const id of apiIds) this.uninstall(id);
    });
    return { acknowledged: true };
  }

  async list(): Promise<StoredPipeline[]> {
    return [...this.bodies].map(([id, { origin }]) => ({ id, origin }));
  }

  async has(id: string): Promise<boolean> {
    return this.compiledById.has(id);
  }

  async compiled(id: string): Promise<Compiled> {
    const compiled = this.compiledById.get(id);
    if (compiled === undefined) {
      throw new OpenSearchError({ status: 404, type: 'resource_not_found_exception', reason: `pipeline with id [${id}] does not exist` });
    }
    return compiled;
  }

  /** Forgets an API pipeline; the file pipeline of the same id, if any, takes its place again. */
  private uninstall(id: string): void {
    this.compiledById.delete(id);
    this.bodies.delete(id);
    this.installedSeqNo.delete(id);
    const file = this.options.files.get(id);
    if (file !== undefined) this.install(id, file, 'file');
  }

  private install(id: string, body: unknown, origin: 'api' | 'file'): void {
    this.compiledById.set(id, this.options.compile(id, body));
    this.bodies.set(id, { body, origin });
  }

  /** Comma lists and `*` wildcards, as OpenSearch's pipeline APIs take them. */
  private matching(pattern: string | undefined): string[] {
    const ids = [...this.bodies.keys()].sort();
    if (pattern === undefined || pattern === '*' || pattern === '_all') return ids;
    const expressions = pattern.split(',').map((part) => new RegExp(`^${part.split('*').map(escapeRegex).join('.*')}$`));
    return ids.filter((id) => expressions.some((expression) => expression.test(id)));
  }

  private missing(pattern: string): OpenSearchError {
    return new OpenSearchError({ status: 404, type: 'resource_not_found_exception', reason: `pipeline [${pattern}] is missing` });
  }
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function assertValidId(id: string): void {
  if (Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES) throw illegalArgument(`Pipeline id [${id.slice(0, 32)}...] exceeds ${MAX_ID_BYTES} bytes`);
  if (/[*,\s"\\/?#]/.test(id) || id.startsWith('_')) throw illegalArgument(`Invalid pipeline id [${id}]: it must not start with _ or contain *, comma, whitespace, ", \\, /, ? or #`);
}
