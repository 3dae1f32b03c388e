/**
 * The one rule for splitting a failed batched call in halves and sending each half again, so only
 * the inputs at fault fail. The ingest runtime (documents of a sub-batch) and the coalescer (callers
 * sharing a provider call) both decide with it.
 *
 * - A 4xx one input can cause (400, 413, 422, ...) justifies a split. 401, 403, 404, 407, 408 and
 *   429 do not: every input would fail the same way.
 * - A provider's 5xx (after the transport's retries) justifies a split only while the model's
 *   circuit is closed: one text that crashes the model looks like that, an outage does not.
 * - Throttling never does (429, or AWS's `ThrottlingException`, which SageMaker answers with a
 *   400): splitting would multiply calls against a provider that asks for fewer.
 * - Nothing else does: transport failures, unusable answers, our own refusals (pacing, rate limits).
 *
 * A batch of n units may spend at most 4·⌈log2 n⌉ extra calls on splits (two per split: enough to
 * isolate two bad units); past that, a failing half fails whole, as OpenSearch fails a sub-batch.
 */
import { isOpenSearchError } from '../../errors/opensearch-error.js';
import { isProviderError } from '../../errors/provider-error.js';

/** Statuses no single input can cause: splitting would only repeat the same failure. */
const NOT_INPUT_SPECIFIC = new Set([401, 403, 404, 407, 408, 429]);

/** Why a failure may be one input's fault: its own 4xx, or a provider 5xx. */
export type SplitCause = 'input' | 'server';

/** The cause that could justify a split, or undefined when no single input can cause `error`. */
export function splitCause(error: unknown): SplitCause | undefined {
  if (!isOpenSearchError(error)) return undefined;
  if (isProviderError(error)) {
    if (error.isThrottle) return undefined;
    if (error.statusCode >= 500) return 'server';
  }
  return error.status >= 400 && error.status < 500 && !NOT_INPUT_SPECIFIC.has(error.status) ? 'input' : undefined;
}

/** The extra calls a batch of `units` may spend on splits. */
export const splitBudget = (units: number): number => 4 * Math.ceil(Math.log2(Math.max(units, 1)));

/** The split decisions of one batch: the rule, the model's circuit and the batch's budget of extra calls. */
export class BatchSplitter {
  private remaining: number;

  constructor(
    units: number,
    /** Whether most of the model's recent calls failed (then a 5xx is not split). */
    private readonly isCircuitOpen: () => boolean | Promise<boolean>,
  ) {
    this.remaining = splitBudget(units);
  }

  /** Whether the call that failed with `error` is split; a yes spends two calls of the budget. */
  async shouldSplit(error: unknown): Promise<boolean> {
    const cause = splitCause(error);
    if (cause === undefined || this.remaining < 2) return false;
    if (cause === 'server' && (await this.circuitOpen())) return false;
    // Checked again after the await: concurrent halves share the budget.
    if (this.remaining < 2) return false;
    this.remaining -= 2;
    return true;
  }

  /** A circuit that cannot be read (its model is gone) counts as open: no extra calls. */
  private async circuitOpen(): Promise<boolean> {
    try {
      return await this.isCircuitOpen();
    } catch {
      return true;
    }
  }
}
