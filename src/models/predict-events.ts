/**
 * What the predict path reports: requests and their outcome, the time spent in connector calls,
 * the tokens providers report, embedding cache lookups and coalesced calls. Several listeners hear
 * them (ML Commons' stats and profile, billable usage, Prometheus metrics); none of them is known
 * here. Every method must be cheap and must not throw: it runs on the predict path.
 */
import type { TokenUsage } from '../connectors/usage/token-usage.js';

export type { TokenUsage } from '../connectors/usage/token-usage.js';

/** Receives the predict path's events. */
export interface PredictEvents {
  /** A predict began for a model found ready (access, state and input checks passed). */
  began(modelId: string): void;
  /** That predict ended after `millis`; `failed` when it threw. */
  ended(modelId: string, millis: number, failed: boolean): void;
  /** One connector invocation (the provider calls of one input) took `millis`. */
  inferred(modelId: string, millis: number, failed: boolean): void;
  /** A provider call reported the tokens it consumed. */
  consumed(modelId: string, usage: TokenUsage): void;
  /** The embedding cache answered `hits` of a predict's texts and missed `misses`. */
  looked(modelId: string, hits: number, misses: number): void;
  /** A coalesced provider call left carrying `texts` texts of `callers` callers. */
  coalesced(modelId: string, texts: number, callers: number): void;
  /** The trusted-endpoint guard refused a call of the model's connector (`connector`: its id, or `inline`). */
  refused(modelId: string, connector: string, reason: string): void;
}

/** Hears nothing. */
export const NO_PREDICT_EVENTS: PredictEvents = {
  began: () => {},
  ended: () => {},
  inferred: () => {},
  consumed: () => {},
  looked: () => {},
  coalesced: () => {},
  refused: () => {},
};

/** One listener that passes every event to each of `listeners`, in order (no array per event: this runs per predict). */
export function allOf(...listeners: readonly Partial<PredictEvents>[]): PredictEvents {
  const handlers = <K extends keyof PredictEvents>(name: K): Array<PredictEvents[K]> =>
    listeners.flatMap((listener) => {
      const handler = listener[name] as ((...args: never[]) => void) | undefined;
      return handler === undefined ? [] : [handler.bind(listener) as PredictEvents[K]];
    });
  const began = handlers('began');
  const ended = handlers('ended');
  const inferred = handlers('inferred');
  const consumed = handlers('consumed');
  const looked = handlers('looked');
  const coalesced = handlers('coalesced');
  const refused = handlers('refused');
  return {
    began: (modelId) => began.forEach((handler) => handler(modelId)),
    ended: (modelId, millis, failed) => ended.forEach((handler) => handler(modelId, millis, failed)),
    inferred: (modelId, millis, failed) => inferred.forEach((handler) => handler(modelId, millis, failed)),
    consumed: (modelId, usage) => consumed.forEach((handler) => handler(modelId, usage)),
    looked: (modelId, hits, misses) => looked.forEach((handler) => handler(modelId, hits, misses)),
    coalesced: (modelId, texts, callers) => coalesced.forEach((handler) => handler(modelId, texts, callers)),
    refused: (modelId, connector, reason) => refused.forEach((handler) => handler(modelId, connector, reason)),
  };
}
