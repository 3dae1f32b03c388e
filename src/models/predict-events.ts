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

/** One listener that passes every event to each of `listeners`, in order. */
export function allOf(...listeners: readonly Partial<PredictEvents>[]): PredictEvents {
  const each = <K extends keyof PredictEvents>(name: K): PredictEvents[K] => {
    const handlers = listeners.map((listener) => listener[name]?.bind(listener)).filter((handler) => handler !== undefined);
    return ((...args: unknown[]) => {
      for (const handler of handlers) (handler as (...values: unknown[]) => void)(...args);
    }) as PredictEvents[K];
  };
  return {
    began: each('began'),
    ended: each('ended'),
    inferred: each('inferred'),
    consumed: each('consumed'),
    looked: each('looked'),
    coalesced: each('coalesced'),
    refused: each('refused'),
  };
}
