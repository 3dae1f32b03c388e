/**
 * This replica's predict counters as ML Commons keeps them for its stats and profile APIs
 * (`MLStats`, `MLModelCache`): node-level request, failure and executing counts, per-model
 * request and failure counts, and per-model windows of request and inference durations. They live
 * in memory and start at zero with the process, as ML Commons' do with the node.
 *
 * Better than ML Commons: a failed predict increments the model's `ml_action_failure_count` (ML
 * Commons creates that counter on failure but never increments it, so it always reads 0).
 */
import type { PredictEvents } from '../predict-events.js';
import { DurationWindow } from './duration-window.js';

/** One model's counters. */
export interface ModelPredictCounters {
  requests: number;
  failures: number;
  /** Whole predict requests (ML Commons' `predict_request_stats`). */
  readonly requestDurations: DurationWindow;
  /** Connector invocations (ML Commons' `model_inference_stats`). */
  readonly inferenceDurations: DurationWindow;
}

/** Node-level counters. */
export interface NodePredictCounters {
  requests: number;
  failures: number;
  executing: number;
}

/** The counters, fed by the predict path's events. */
export class PredictStats implements Pick<PredictEvents, 'began' | 'ended' | 'inferred'> {
  readonly node: NodePredictCounters = { requests: 0, failures: 0, executing: 0 };
  private readonly models = new Map<string, ModelPredictCounters>();

  /** `windowSize` is read at each sample: `plugins.ml_commons.monitoring_request_count` takes effect at once. */
  constructor(private readonly windowSize: () => number) {}

  began(modelId: string): void {
    this.node.requests++;
    this.node.executing++;
    this.forModel(modelId).requests++;
  }

  ended(modelId: string, millis: number, failed: boolean): void {
    this.node.executing--;
    const model = this.forModel(modelId);
    model.requestDurations.add(millis, this.windowSize());
    if (!failed) return;
    this.node.failures++;
    model.failures++;
  }

  inferred(modelId: string, millis: number): void {
    this.forModel(modelId).inferenceDurations.add(millis, this.windowSize());
  }

  /** Every model that served a predict on this replica, with its counters. */
  entries(): IterableIterator<[string, ModelPredictCounters]> {
    return this.models.entries();
  }

  model(modelId: string): ModelPredictCounters | undefined {
    return this.models.get(modelId);
  }

  /** The current window size (the profile reads its windows at this size). */
  get window(): number {
    return this.windowSize();
  }

  private forModel(modelId: string): ModelPredictCounters {
    let counters = this.models.get(modelId);
    if (counters === undefined) {
      counters = { requests: 0, failures: 0, requestDurations: new DurationWindow(), inferenceDurations: new DurationWindow() };
      this.models.set(modelId, counters);
    }
    return counters;
  }
}
