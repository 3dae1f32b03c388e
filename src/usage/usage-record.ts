/**
 * Billable usage as stored: one document per UTC day, model and writer (a replica's id; the
 * embedded store's node id), holding that writer's totals for the day. A writer only ever writes
 * its own documents, so replicas never overwrite each other's counts; a report sums them all.
 */
import type { JsonObject } from '../store/store.js';

/** The store collection (the cluster store's `.ml-sidecar-usage` index). */
export const USAGE_COLLECTION = 'usage';

/** One writer's totals for one model and day. */
export interface UsageRecord extends JsonObject {
  /** The UTC day, `YYYY-MM-DD`. */
  date: string;
  model_id: string;
  writer: string;
  /** Predict requests that succeeded. */
  requests: number;
  input_tokens: number;
  output_tokens: number;
  updated_at: number;
}

/** The document id of a writer's totals for a model and day. */
export const usageRecordId = (date: string, writer: string, modelId: string): string => `${date}:${writer}:${modelId}`;

/** The UTC day of an instant, `YYYY-MM-DD`. */
export const utcDay = (epochMillis: number): string => new Date(epochMillis).toISOString().slice(0, 10);

const MILLIS_PER_DAY = 86_400_000;

/** The first instant of the UTC day after the one `epochMillis` falls in. */
export const nextUtcDayStart = (epochMillis: number): number => (Math.floor(epochMillis / MILLIS_PER_DAY) + 1) * MILLIS_PER_DAY;
