/**
 * Cross-request micro-batching: units bound for the same model from concurrent callers wait up to
 * the linger time in one open batch per model, which goes to the provider as one call when it is
 * full (inputs or bytes), when the next unit would not fit, or when the linger ends. Units are
 * never cut, so each caller's texts travel together exactly as they would alone; a unit larger than
 * the limits goes alone. Each caller brings its own limits and a batch keeps within every member's
 * (a caller's `batch_size` bounds the whole shared call). Batches never mix two deployments of a
 * model (a changed connector starts a new batch).
 *
 * While the model's calls are paced (`holdMillis`: how long a new call would wait for its turn),
 * a lingering batch stays open until its call could go, so under a request-per-minute limit calls
 * fill up while they wait instead of queueing half empty.
 */
import type { Settled, Unit } from './batch-types.js';

/** Limits of one coalesced call. */
export interface CoalesceLimits {
  readonly maxInputs: number;
  readonly maxBytes: number;
  readonly lingerMillis: number;
  /** Milliseconds a call of this many text bytes would wait for its turn if sent now (paced models). */
  readonly holdMillis?: (bytes: number) => number;
}

/** Sends a full batch; one outcome per unit, in order, never rejecting. */
export type SendBatch = (units: readonly Unit[]) => Promise<Settled[]>;

interface OpenBatch {
  /** The deployment the batch belongs to (compared by identity). */
  readonly owner: object;
  readonly send: SendBatch;
  readonly units: Unit[];
  readonly waiters: Array<(outcome: Settled) => void>;
  inputs: number;
  bytes: number;
  /** The smallest limits among the members. */
  maxInputs: number;
  maxBytes: number;
  readonly lingerMillis: number;
  readonly holdMillis: ((bytes: number) => number) | undefined;
  timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
}

/**
 * The open batches, one per model. A model with no call in flight sends at the end of the current
 * event-loop turn (callers arriving together still share the call, a lone caller waits
 * microseconds, not the linger); units arriving while its calls are in flight linger and share
 * calls.
 */
export class Coalescer {
  private readonly open = new Map<string, OpenBatch>();
  private readonly inFlight = new Map<string, number>();

  /** `onFlush` hears each batch as it leaves: its model, texts and callers. */
  constructor(private readonly onFlush: (modelId: string, texts: number, callers: number) => void = () => {}) {}

  /** Adds a unit to the model's open batch; resolves with the unit's outcome once its call is done. */
  submit(modelId: string, owner: object, limits: CoalesceLimits, send: SendBatch, unit: Unit): Promise<Settled> {
    let batch = this.open.get(modelId);
    if (batch !== undefined && (batch.owner !== owner || !fits(batch, unit, limits))) {
      this.flush(modelId, batch);
      batch = undefined;
    }
    if (batch === undefined) {
      const idle = (this.inFlight.get(modelId) ?? 0) === 0;
      const created: OpenBatch = {
        owner, send, units: [], waiters: [], inputs: 0, bytes: 0, maxInputs: limits.maxInputs, maxBytes: limits.maxBytes,
        lingerMillis: limits.lingerMillis, holdMillis: limits.holdMillis, timer: undefined,
      };
      created.timer = idle
        ? setImmediate(() => this.flush(modelId, created))
        : setTimeout(() => this.lingerEnded(modelId, created), limits.lingerMillis);
      this.open.set(modelId, created);
      batch = created;
    }
    const target = batch;
    const outcome = new Promise<Settled>((resolve) => target.waiters.push(resolve));
    target.units.push(unit);
    target.inputs += unit.texts.length;
    target.bytes += unit.bytes;
    target.maxInputs = Math.min(target.maxInputs, limits.maxInputs);
    target.maxBytes = Math.min(target.maxBytes, limits.maxBytes);
    if (target.inputs >= target.maxInputs || target.bytes >= target.maxBytes) this.flush(modelId, target);
    return outcome;
  }

  /** Texts waiting in open batches (for tests and diagnostics). */
  get pendingTexts(): number {
    let total = 0;
    for (const batch of this.open.values()) total += batch.inputs;
    return total;
  }

  /** Sends the batch, unless its call would only wait for its turn: then it stays open until then. */
  private lingerEnded(modelId: string, batch: OpenBatch): void {
    const hold = batch.holdMillis?.(batch.bytes) ?? 0;
    if (hold > batch.lingerMillis && this.open.get(modelId) === batch) {
      batch.timer = setTimeout(() => this.lingerEnded(modelId, batch), hold);
      return;
    }
    this.flush(modelId, batch);
  }

  private flush(modelId: string, batch: OpenBatch): void {
    clearTimeout(batch.timer as NodeJS.Timeout);
    clearImmediate(batch.timer as NodeJS.Immediate);
    if (this.open.get(modelId) === batch) this.open.delete(modelId);
    this.inFlight.set(modelId, (this.inFlight.get(modelId) ?? 0) + 1);
    this.onFlush(modelId, batch.inputs, batch.units.length);
    void batch
      .send(batch.units)
      .then(
        (outcomes) => batch.waiters.forEach((resolve, index) => resolve(outcomes[index] ?? { error: new Error('missing batch outcome') })),
        (error: unknown) => batch.waiters.forEach((resolve) => resolve({ error })),
      )
      .finally(() => {
        const remaining = (this.inFlight.get(modelId) ?? 1) - 1;
        if (remaining > 0) this.inFlight.set(modelId, remaining);
        else this.inFlight.delete(modelId);
      });
  }
}

function fits(batch: OpenBatch, unit: Unit, limits: CoalesceLimits): boolean {
  return (
    batch.inputs + unit.texts.length <= Math.min(batch.maxInputs, limits.maxInputs) &&
    batch.bytes + unit.bytes <= Math.min(batch.maxBytes, limits.maxBytes)
  );
}
