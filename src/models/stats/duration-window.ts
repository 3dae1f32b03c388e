/**
 * The last N durations of a model's requests, as ML Commons keeps them for its profile API
 * (`plugins.ml_commons.monitoring_request_count`, default 100; 0 keeps none). A ring that grows up
 * to its capacity: adding a sample allocates nothing once the window is full.
 */

/** ML Commons' `MLPredictRequestStats`: count, max, min, average and percentiles, in milliseconds. */
export interface DurationStats {
  count: number;
  max: number;
  min: number;
  average: number;
  p50: number;
  p90: number;
  p99: number;
}

/** A bounded window of samples, oldest first once read. */
export class DurationWindow {
  private values: number[] = [];
  /** Where the oldest sample is once the window is full (the next one to overwrite). */
  private oldest = 0;

  add(value: number, capacity: number): void {
    this.fit(capacity);
    if (capacity <= 0) return;
    if (this.values.length < capacity) {
      this.values.push(value);
      return;
    }
    this.values[this.oldest] = value;
    this.oldest = (this.oldest + 1) % capacity;
  }

  /** The statistics over the window, or undefined when it is empty. */
  stats(capacity: number): DurationStats | undefined {
    this.fit(capacity);
    if (this.values.length === 0) return undefined;
    const sorted = [...this.values].sort((left, right) => left - right);
    const sum = sorted.reduce((total, value) => total + value, 0);
    return {
      count: sorted.length,
      max: sorted[sorted.length - 1]!,
      min: sorted[0]!,
      average: sum / sorted.length,
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
    };
  }

  /** Applies a changed capacity: the oldest samples go first, and a grown ring is unrolled so it can grow. */
  private fit(capacity: number): void {
    const size = this.values.length;
    if (size === capacity || (size < capacity && this.oldest === 0)) return;
    const ordered = [...this.values.slice(this.oldest), ...this.values.slice(0, this.oldest)];
    this.values = ordered.slice(Math.max(0, size - Math.max(0, capacity)));
    this.oldest = 0;
  }
}

/**
 * The `fraction` percentile of sorted values by linear interpolation between closest ranks, as ML
 * Commons' profile answers (its documented example: samples 5.402 and 89.978681 give p90 81.5210129).
 */
export function percentile(sorted: readonly number[], fraction: number): number {
  const position = (sorted.length - 1) * fraction;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (position - lower) * (sorted[upper]! - sorted[lower]!);
}
