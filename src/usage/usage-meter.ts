/**
 * Counts billable usage per model and UTC day in memory and writes it to the store every few
 * seconds and at shutdown, never on the predict path: a predict only adds to a map entry. Each
 * flush adds this writer's pending counts to its own documents (create, or a put conditional on the
 * version it last wrote), so restarts continue the day's totals (the embedded store keeps its
 * writer id) and replicas sum without clobbering one another. A failed flush keeps the counts for
 * the next one.
 */
import type { PredictEvents, TokenUsage } from '../models/predict-events.js';
import { unchanged, type Store, type StoredRecord, type WriteOperation } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { nextUtcDayStart, USAGE_COLLECTION, usageRecordId, utcDay, type UsageRecord } from './usage-record.js';

/** How often pending counts are written. */
export const USAGE_FLUSH_MILLIS = 5_000;

interface Pending {
  readonly date: string;
  readonly modelId: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

export interface UsageMeterDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** This writer's id: the replica id with the cluster store, the node id with the embedded one. */
  readonly writer: string;
  readonly logger?: Logger;
}

/** The meter: a predict events listener with a flush. */
export class UsageMeter implements Pick<PredictEvents, 'ended' | 'consumed'> {
  private pending = new Map<string, Pending>();
  /** What this writer last wrote per document id, so a flush needs no read. */
  private readonly written = new Map<string, StoredRecord<UsageRecord>>();
  private today = '';
  private todayEnds = 0;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: UsageMeterDeps) {}

  ended(modelId: string, _millis: number, failed: boolean): void {
    if (!failed) this.entry(modelId).requests++;
  }

  consumed(modelId: string, usage: TokenUsage): void {
    const entry = this.entry(modelId);
    entry.inputTokens += usage.input;
    entry.outputTokens += usage.output;
  }

  /** Flushes every `USAGE_FLUSH_MILLIS` until `close` (the timer never keeps the process alive). */
  start(intervalMillis = USAGE_FLUSH_MILLIS): void {
    this.timer ??= setInterval(() => void this.flush(), intervalMillis);
    this.timer.unref();
  }

  /** Stops the timer and writes what is pending (at shutdown, before the store closes). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Writes the pending counts; concurrent calls wait for the flush under way, then run their own. */
  async flush(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
    if (this.pending.size === 0) return;
    this.flushing = this.write().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async write(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      const ids = batch.map((entry) => usageRecordId(entry.date, this.deps.writer, entry.modelId));
      await this.readUnknown(ids);
      const now = this.deps.clock.now();
      const sources: UsageRecord[] = batch.map((entry, index) => {
        const previous = this.written.get(ids[index]!);
        return {
          date: entry.date,
          model_id: entry.modelId,
          writer: this.deps.writer,
          requests: (previous?.source.requests ?? 0) + entry.requests,
          input_tokens: (previous?.source.input_tokens ?? 0) + entry.inputTokens,
          output_tokens: (previous?.source.output_tokens ?? 0) + entry.outputTokens,
          updated_at: now,
        };
      });
      const operations = sources.map((source, index): WriteOperation => {
        const id = ids[index]!;
        const previous = this.written.get(id);
        return previous === undefined
          ? { op: 'create', collection: USAGE_COLLECTION, id, source }
          : { op: 'put', collection: USAGE_COLLECTION, id, source, ifMatch: unchanged(previous) };
      });
      const results = await this.deps.store.write(operations);
      results.forEach((result, index) => this.written.set(result.id, { ...result, source: sources[index]! }));
      this.forgetPastDays();
    } catch (error) {
      // Keep the counts for the next flush; re-read the documents then (one may have moved).
      for (const entry of batch) this.add(entry);
      this.written.clear();
      this.deps.logger?.warn({ event: 'usage_flush_failed', reason: (error as Error).message }, 'usage not written yet; will retry');
    }
  }

  /** Reads the documents this writer has not written since it started (after a restart they may exist). */
  private async readUnknown(ids: readonly string[]): Promise<void> {
    const unknown = ids.filter((id) => !this.written.has(id));
    if (unknown.length === 0) return;
    const records = await this.deps.store.getMany<UsageRecord>(USAGE_COLLECTION, unknown);
    for (const record of records) if (record !== undefined) this.written.set(record.id, record);
  }

  /** Keeps the versions of today's and yesterday's documents only: older days are never written again. */
  private forgetPastDays(): void {
    const yesterday = utcDay(this.deps.clock.now() - 86_400_000);
    for (const [id, record] of this.written) if (record.source.date < yesterday) this.written.delete(id);
  }

  private add(entry: Pending): void {
    const target = this.entryFor(entry.date, entry.modelId);
    target.requests += entry.requests;
    target.inputTokens += entry.inputTokens;
    target.outputTokens += entry.outputTokens;
  }

  /** Today's pending entry of a model; the day string is rebuilt only when the day changes. */
  private entry(modelId: string): Pending {
    const now = this.deps.clock.now();
    if (now >= this.todayEnds) {
      this.today = utcDay(now);
      this.todayEnds = nextUtcDayStart(now);
    }
    return this.entryFor(this.today, modelId);
  }

  private entryFor(date: string, modelId: string): Pending {
    const key = `${date}\u0000${modelId}`;
    let entry = this.pending.get(key);
    if (entry === undefined) {
      entry = { date, modelId, requests: 0, inputTokens: 0, outputTokens: 0 };
      this.pending.set(key, entry);
    }
    return entry;
  }
}
