import { OpenSearchError } from '../errors/opensearch-error.js';

/**
 * The bytes of request bodies held in memory at once, across every request (`MAX_BUFFERED_BODY_BYTES`):
 * OpenSearch's `in_flight_requests` circuit breaker for the bodies the sidecar reads whole (its own
 * API, and the `_bulk`, `_doc`, `_search` and `_msearch` it rewrites). A body is counted from its
 * first byte (all of a declared `Content-Length` at once) until its request is answered; bodies
 * streamed through to the cluster are never held, so never counted.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly limitBytes: number) {}

  /** The bytes held right now. */
  get usedBytes(): number {
    return this.used;
  }

  /** One request's share, grown as its body arrives and released once it is answered. */
  open(): BodyReservation {
    let reserved = 0;
    return {
      growTo: (totalBytes) => {
        if (totalBytes <= reserved) return;
        const wanted = this.used + totalBytes - reserved;
        if (wanted > this.limitBytes) throw bufferedBodiesFull(wanted, this.limitBytes);
        this.used = wanted;
        reserved = totalBytes;
      },
      release: () => {
        this.used -= reserved;
        reserved = 0;
      },
    };
  }
}

/** What one request holds of the budget. */
export interface BodyReservation {
  /** Holds `totalBytes` for this request in all; a 429 when the budget cannot spare them. */
  growTo(totalBytes: number): void;
  release(): void;
}

/**
 * OpenSearch's answer when its in-flight requests breaker trips (429 `circuit_breaking_exception`,
 * same reason and fields): the request is refused at once, not queued, so a burst can never hold
 * more than the budget; clients retry 429s. Nothing of it is stored or sent anywhere.
 */
function bufferedBodiesFull(wantedBytes: number, limitBytes: number): OpenSearchError {
  return new OpenSearchError({
    status: 429,
    type: 'circuit_breaking_exception',
    reason:
      `[in_flight_requests] Data too large, data for [<http_request>] would be [${wantedBytes}/${byteSize(wantedBytes)}], ` +
      `which is larger than the limit of [${limitBytes}/${byteSize(limitBytes)}] (MAX_BUFFERED_BODY_BYTES)`,
    extra: { bytes_wanted: wantedBytes, bytes_limit: limitBytes, durability: 'TRANSIENT' },
    headers: { 'Retry-After': '1' },
  });
}

const UNITS = ['b', 'kb', 'mb', 'gb', 'tb', 'pb'] as const;

/** OpenSearch's `ByteSizeValue.toString()`: the largest unit, one decimal cut (not rounded), `.0` dropped. */
function byteSize(bytes: number): string {
  let unit = 0;
  while (unit < UNITS.length - 1 && bytes >= 1024 ** (unit + 1)) unit++;
  const value = Math.floor((bytes / 1024 ** unit) * 10) / 10;
  return `${value}${UNITS[unit]}`;
}
