/**
 * One call to the cluster on the state's behalf: a cluster that does not answer becomes the
 * store's 503, and a 429 (the cluster's write or search queue is full: nothing was done) is tried
 * again after a short pause, a few times, before giving up.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { stateCallFailed, stateUnavailable } from './cluster-errors.js';
import type { ClusterRequest, ClusterResponse, ClusterTransport } from './cluster-transport.js';

const REJECTED_ATTEMPTS = 4;
const REJECTED_PAUSE_MS = 100;

export class StateCalls {
  constructor(
    private readonly transport: ClusterTransport,
    private readonly pause: (milliseconds: number) => Promise<unknown> = delay,
  ) {}

  get displayUrl(): string {
    return this.transport.displayUrl;
  }

  /** The cluster's answer, whatever its status (429s retried); 503 when none came. */
  async send(request: ClusterRequest): Promise<ClusterResponse> {
    for (let attempt = 1; ; attempt++) {
      let response: ClusterResponse;
      try {
        response = await this.transport.request(request);
      } catch (error) {
        throw stateUnavailable(this.transport.displayUrl, describe(error), error);
      }
      if (response.status !== 429 || attempt >= REJECTED_ATTEMPTS) return response;
      await this.pause(REJECTED_PAUSE_MS * 2 ** (attempt - 1));
    }
  }

  /** The answer of a call that must succeed (2xx, or one of `accepted`); otherwise the store's error. */
  async expect(request: ClusterRequest, what: string, accepted: readonly number[] = []): Promise<ClusterResponse> {
    const response = await this.send(request);
    if ((response.status >= 200 && response.status < 300) || accepted.includes(response.status)) return response;
    throw stateCallFailed(this.transport.displayUrl, response, what);
  }
}

function describe(error: unknown): string {
  const reason = (error as { reason?: unknown }).reason;
  if (typeof reason === 'string') return reason;
  return error instanceof Error ? error.message : String(error);
}
