/**
 * At most `max_connection` calls per pool in flight; the rest wait in a bounded FIFO for at most the
 * acquire timeout (Netty's behaviour in ML Commons, answered with 429). Holding the slot outside
 * undici keeps undici's own queue empty, so its timeouts only ever measure the provider. The limit
 * may move while calls are in flight (adaptive concurrency): a lower limit takes effect as calls
 * finish, a higher one admits waiters at once.
 */
import { acquireTimeoutError, queueFullError } from './transport-errors.js';

interface Waiter {
  readonly grant: () => void;
  readonly fail: (error: unknown) => void;
}

const GRANTED: Promise<void> = Promise.resolve();

/** A counting semaphore with a bounded, time-limited queue. */
export class ConnectionSlots {
  private active = 0;
  private readonly waiters: Waiter[] = [];
  private onIdle: (() => void) | undefined;

  constructor(
    private limit: number,
    private readonly maxQueued: number,
    private readonly acquireTimeoutMillis: number,
  ) {}

  /** Calls in flight. */
  get inUse(): number {
    return this.active;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.waiters.length;
  }

  /** The current limit on calls in flight. */
  get inFlightLimit(): number {
    return this.limit;
  }

  get idle(): boolean {
    return this.active === 0 && this.waiters.length === 0;
  }

  /** Resolves when a slot is held; every successful acquire must be paired with one `release`. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (this.active < this.limit && this.waiters.length === 0) {
      this.active++;
      return GRANTED;
    }
    if (this.waiters.length >= this.maxQueued) return Promise.reject(queueFullError(this.maxQueued));
    signal?.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
      };
      const waiter: Waiter = {
        grant: () => (settle(), resolve()),
        fail: (error) => (settle(), reject(error)),
      };
      const timer = setTimeout(() => waiter.fail(acquireTimeoutError(this.acquireTimeoutMillis)), this.acquireTimeoutMillis);
      const onAbort = (): void => waiter.fail(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Changes the limit (at least 1); waiters are admitted at once if it grew. */
  setLimit(limit: number): void {
    this.limit = Math.max(1, limit);
    while (this.active < this.limit && this.waiters.length > 0) {
      this.active++;
      this.waiters[0]!.grant();
    }
  }

  /** Frees a slot, handing it straight to the oldest waiter unless the limit has shrunk below the calls in flight. */
  release(): void {
    const next = this.waiters[0];
    if (next !== undefined && this.active <= this.limit) {
      next.grant(); // the slot changes hands; `active` stays the same
      return;
    }
    this.active--;
    if (this.active === 0 && this.onIdle !== undefined) {
      const callback = this.onIdle;
      this.onIdle = undefined;
      callback();
    }
  }

  /** Runs `callback` once nothing is in flight or waiting (now, if already idle). */
  whenIdle(callback: () => void): void {
    if (this.idle) callback();
    else this.onIdle = callback;
  }
}
