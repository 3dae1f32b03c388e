/**
 * A model's circuit for failure isolation: it watches the outcomes of the model's recent provider
 * calls and opens while most of them fail, so a provider outage is never answered with more calls
 * (the split rule does not split 5xx failures while it is open). It never blocks a call; it closes
 * again as successes replace the failures in its window.
 *
 * Counted: a success (2xx), and a failure the provider's state explains (a retryable provider
 * error: 5xx or throttling). Input errors (other 4xx) and our own refusals say nothing about the
 * provider and are not counted.
 *
 * It opens when more than two thirds of the last 20 counted calls failed, once at least 10 are
 * counted. The split probes of a batch count too: isolating one bad input fails one probe for each
 * that succeeds (plus the first call), under two thirds at any point, so isolating it never opens
 * the circuit; in an outage every probe fails and it opens after 10.
 */
import { isProviderError } from '../../errors/provider-error.js';

const WINDOW = 20;
const MIN_CALLS = 10;

/** The recent outcomes of one model's calls. */
export class CallCircuit {
  /** true = failed; a ring of the last WINDOW counted calls. */
  private readonly outcomes: boolean[] = [];
  private next = 0;
  private failures = 0;

  /** Records a call's outcome: `undefined` for a success, else its error. */
  record(error?: unknown): void {
    if (error === undefined) this.push(false);
    else if (isProviderError(error) && error.isRetryable) this.push(true);
  }

  /** Most of the recent calls failed. */
  get isOpen(): boolean {
    const counted = this.outcomes.length;
    return counted >= MIN_CALLS && this.failures * 3 > counted * 2;
  }

  private push(failed: boolean): void {
    if (this.outcomes.length < WINDOW) this.outcomes.push(failed);
    else {
      if (this.outcomes[this.next]) this.failures--;
      this.outcomes[this.next] = failed;
      this.next = (this.next + 1) % WINDOW;
    }
    if (failed) this.failures++;
  }
}

/** Every model's circuit, by model id. */
export class CallCircuits {
  private readonly circuits = new Map<string, CallCircuit>();

  forModel(modelId: string): CallCircuit {
    let circuit = this.circuits.get(modelId);
    if (circuit === undefined) this.circuits.set(modelId, (circuit = new CallCircuit()));
    return circuit;
  }
}
