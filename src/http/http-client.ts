/**
 * The transport for provider calls: guards (URL, headers, addresses), one bounded undici pool per
 * connector and origin, timeouts and retries from the connector's `client_config`. Redirects are
 * never followed. A 2xx answer resolves; any other answer rejects with a `ProviderError`. Every
 * error is an `OpenSearchError` and never quotes request headers or bodies, nor the secrets of
 * the policy.
 *
 * Each attempt (retries included) first waits its turn in the connector's pacer (when
 * `requests_per_minute` / `tokens_per_minute` are set, or the provider reports its limits in
 * rate-limit headers), then for a pool slot, whose limit adapts to throttling
 * (`adaptive_concurrency`) unless the connector is paced to limits its provider reported.
 */
import type { LookupFunction } from 'node:net';
import { Pool, type Dispatcher } from 'undici';
import { matchesAnyEndpoint } from '../security/trusted-endpoints.js';
import { systemClock, type Clock } from '../util/clock.js';
import { describeFailedAttempt } from './attempt-outcome.js';
import { CheckedTargets } from './checked-targets.js';
import { ConnectionPools, type PoolEntry } from './connection-pools.js';
import { ConnectorPacers, type CallBudget } from './connector-pacers.js';
import { createGuardedLookup, systemResolver, type Resolver } from './guarded-lookup.js';
import { checkHeaders } from './header-checks.js';
import type { OutboundRequest, OutboundResponse, StreamingResponse } from './outbound.js';
import { estimateTokens, type Admission, type RequestPacer } from './request-pacer.js';
import { sendWithRetries } from './retry.js';
import { attemptStreaming } from './streamed-attempt.js';
import { providerError } from './provider-errors.js';
import { createRetryPolicy, isRetryableError, type RetryPolicy } from './retry-policy.js';
import { flattenHeaders, headerValue } from './response-headers.js';
import { redirectError, toOpenSearchError } from './transport-errors.js';
import { callerError, isAddressRefusal, refusedAs } from './guard-refusals.js';
import { connectorLabel, NO_TRANSPORT_EVENTS, type CallLabels, type TransportEvents, type TransportSnapshot } from './transport-events.js';
import { poolFingerprint, type TransportOptions } from './transport-options.js';
import type { OutboundTarget } from './url-checks.js';

export type { OutboundRequest, OutboundResponse, StreamingResponse } from './outbound.js';
export type { CallBudget } from './connector-pacers.js';
export { transportError } from './transport-errors.js';
export type { TransportEvents, TransportSnapshot } from './transport-events.js';

/** Per-call policy: which pool, the connector's client config, and the address rules in force. */
export interface SendPolicy {
  /** The connector id (or the model id for an inline connector): calls with one key share a pool. */
  readonly poolKey: string;
  /** Pool size, timeouts, retries and pacing (the connectors layer resolves `client_config` into them). */
  readonly transport: TransportOptions;
  /** `plugins.ml_commons.connector.private_ip_enabled`. */
  readonly allowPrivateIps: boolean;
  /** `plugins.ml_commons.connector.restricted_ip_patterns`: full-match regexes on resolved addresses, always enforced. */
  readonly restrictedIpPatterns: readonly string[];
  /** `plugins.ml_commons.trusted_connector_private_endpoints_regex`: when set, a private host's URL must fully match one. */
  readonly trustedPrivateEndpoints?: readonly string[];
  /** Values never quoted in an error (the connector's credential: some providers echo the key they rejected). */
  readonly secrets: readonly string[];
  /** The model the call is for (metrics and log lines). */
  readonly modelId?: string;
  /** Cancels the call, including retry waits. */
  readonly signal?: AbortSignal;
}

/** Sends provider calls. Injected, so tests can swap the implementation. */
export interface HttpClient {
  /** Resolves with a 2xx answer; rejects with a `ProviderError` for any other answer, after retries. */
  send(outbound: OutboundRequest, policy: SendPolicy): Promise<OutboundResponse>;
  /**
   * Like `send`, with every guard, pool, pacing and retry rule, but answers as soon as a 2xx
   * status and headers arrive, with the body to read as it comes. Retries happen only before that.
   */
  stream(outbound: OutboundRequest, policy: SendPolicy): Promise<StreamingResponse>;
  /** How large a call on `poolKey` should be and how long it would wait, while its calls are paced. */
  callBudget?(poolKey: string, transport: TransportOptions): CallBudget | undefined;
  /** Pools and pacing queues right now, for gauges (optional: test doubles need not have it). */
  snapshot?(): TransportSnapshot;
  close(): Promise<void>;
}

/** Construction options; all have production defaults. */
export interface HttpClientOptions {
  /** Host name resolution (default: `dns.promises.lookup(host, {all: true})`). */
  readonly resolver?: Resolver;
  /** Time and retry waits (default: the real clock). */
  readonly clock?: Clock;
  /** Jitter source in [0, 1) (default `Math.random`). */
  readonly random?: () => number;
  /** Most pools kept at once (default 256); the least recently used one is closed beyond that. */
  readonly maxPools?: number;
  /** A pool unused this long is closed (default 5 minutes). */
  readonly poolIdleMillis?: number;
  /** Calls that may wait for a connection per pool (default 10,000, Netty's default); more get 429. */
  readonly maxQueuedPerPool?: number;
  /** How long a call may wait for a connection (default 10 s, Netty's default); then 429. */
  readonly acquireTimeoutMillis?: number;
  /** Where attempts, retries, refusals and pacing waits are reported (default: nowhere). */
  readonly events?: TransportEvents;
}

/** Creates the provider transport. */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const clock = options.clock ?? systemClock;
  const resolver = options.resolver ?? systemResolver;
  const random = options.random ?? Math.random;
  const events = options.events ?? NO_TRANSPORT_EVENTS;
  const pools = new ConnectionPools(
    {
      maxPools: options.maxPools ?? 256,
      idleMillis: options.poolIdleMillis ?? 300_000,
      maxQueuedPerPool: options.maxQueuedPerPool ?? 10_000,
      acquireTimeoutMillis: options.acquireTimeoutMillis ?? 10_000,
    },
    () => clock.now(),
  );
  const pacers = new ConnectorPacers(clock, options.maxPools ?? 256);
  const checkedTargets = new CheckedTargets();
  const retryPolicies = new WeakMap<TransportOptions, RetryPolicy>();
  const retryPolicyFor = (config: TransportOptions): RetryPolicy => {
    let policy = retryPolicies.get(config);
    if (policy === undefined) retryPolicies.set(config, (policy = createRetryPolicy(config, random)));
    return policy;
  };

  const sendChecked = async <Answer extends { readonly status: number }>(
    outbound: OutboundRequest,
    policy: SendPolicy,
    call: CallLabels,
    attemptOn: (entry: PoolEntry, target: OutboundTarget, pacing: PacingHooks) => Promise<Answer>,
  ): Promise<Answer> => {
    const config = policy.transport;
    const trustedPrivate = policy.trustedPrivateEndpoints ?? [];
    const untrustedPrivate = trustedPrivate.length > 0 && !matchesAnyEndpoint(outbound.url, trustedPrivate);
    const checked = checkedTargets.policy(policy.allowPrivateIps, policy.restrictedIpPatterns, untrustedPrivate);
    // Everything that can be refused is refused here, before a pool or socket exists.
    const target = refusedAs('url', () => checkedTargets.target(checked, outbound.url));
    refusedAs('header', () => checkHeaders(outbound.headers));
    const poolSpec = {
      origin: target.origin,
      fingerprint: `${poolFingerprint(config)}|${checked.fingerprint}`,
      maxConnections: config.maxConnections,
      adaptiveConcurrency: config.adaptiveConcurrency,
      create: () => createPool(target.origin, config, createGuardedLookup(resolver, checked.addressPolicy)),
    };
    let tokens: number | undefined;
    let retries = 0;
    let pacingRefusal: unknown; // reported where it happened, not again as a failed attempt
    // Looked up per attempt: a retry may be paced by limits the provider just reported.
    const admit = (): Promise<Admission> | undefined => {
      const pacer = pacers.get(policy.poolKey, config);
      return pacer === undefined ? undefined : waitTurn(pacer);
    };
    const waitTurn = async (pacer: RequestPacer): Promise<Admission> => {
      const queuedAt = performance.now();
      try {
        const admission = await pacer.admit((tokens ??= outbound.estimatedTokens ?? estimateTokens(outbound.body)), policy.signal);
        events.paced(call, (performance.now() - queuedAt) / 1000);
        return admission;
      } catch (error) {
        // A full pacing queue is the sidecar's refusal (429); a cancelled wait is nobody's failure.
        if (!policy.signal?.aborted) events.attempted(call, { ...describeFailedAttempt(error, clock.now()), seconds: 0, retries });
        pacingRefusal = error;
        throw error;
      }
    };
    const attempt = async (): Promise<Answer> => {
      const turn = admit();
      let admission = turn === undefined ? undefined : await turn;
      const pacing: PacingHooks = {
        // A call that found no pacer may find one once it has its slot (limits learned meanwhile).
        admitLate: admission === undefined ? () => admit()?.then((late) => void (admission = late)) : undefined,
        observe: (answer) => pacers.observe(policy.poolKey, config, answer, admission),
      };
      const started = performance.now();
      try {
        const answer = await attemptOn(pools.get(policy.poolKey, poolSpec), target, pacing);
        events.attempted(call, { outcome: 'success', status: answer.status, seconds: (performance.now() - started) / 1000, retries });
        return answer;
      } catch (error) {
        // An address refusal at connect time is the guard's, reported once by `send`.
        if (!isAddressRefusal(error) && error !== pacingRefusal) {
          const report = { ...describeFailedAttempt(error, clock.now()), seconds: (performance.now() - started) / 1000, retries };
          events.attempted(call, report);
        }
        throw error;
      }
    };
    const onRetry = (retry: number, waitMillis: number): void => {
      retries = retry;
      events.retrying(call, retry, waitMillis);
    };
    try {
      return await sendWithRetries(attempt, retryPolicyFor(config), clock, policy.signal, onRetry);
    } catch (error) {
      if (!isAddressRefusal(error) && !policy.signal?.aborted) {
        const exhausted = config.maxRetries !== 0 && isRetryableError(error);
        events.failed(call, { status: (error as { statusCode?: number }).statusCode, retries, exhausted });
      }
      throw toOpenSearchError(error, config, policy.signal);
    }
  };

  const guarded = async <Answer extends { readonly status: number }>(
    outbound: OutboundRequest,
    policy: SendPolicy,
    attemptOn: (entry: PoolEntry, target: OutboundTarget, pacing: PacingHooks) => Promise<Answer>,
  ): Promise<Answer> => {
    const call: CallLabels = { connector: connectorLabel(policy.poolKey), model: policy.modelId ?? 'unknown' };
    try {
      return await sendChecked(outbound, policy, call, attemptOn);
    } catch (caught) {
      // The address checks know the host; the caller needs the URL and the setting to change.
      throw callerError(caught, outbound.url, (guard, reason) => events.refused(call, guard, reason));
    }
  };

  return {
    send: (outbound, policy) => guarded(outbound, policy, (entry, target, pacing) => attemptOnce(entry, target, outbound, policy, pacing)),
    stream: (outbound, policy) =>
      guarded(outbound, policy, async (entry, target, pacing) => {
        const late = pacing.admitLate?.();
        if (late !== undefined) await late;
        const answer = await attemptStreaming(entry, target, outbound, { ...policy, toError: (error) => toOpenSearchError(error, policy.transport, policy.signal) });
        pacing.observe({ status: answer.status, headers: answer.headers, body: '' });
        return answer;
      }),
    callBudget: (poolKey, transport) => pacers.budget(poolKey, transport),
    snapshot: () => ({
      pools: [...pools.states()].map(({ key, slots }) => ({
        connector: connectorLabel(key),
        inFlightLimit: slots.inFlightLimit,
        inFlight: slots.inUse,
        waiting: slots.queued,
      })),
      pacers: [...pacers.states()].map(({ key, queued }) => ({ connector: connectorLabel(key), queued })),
    }),
    close: () => pools.close(),
  };
}

/** Timeouts from `client_config`; DNS only through the guarded lookup; no redirect handling (undici follows none by default). */
function createPool(origin: string, config: TransportOptions, lookup: LookupFunction): Dispatcher {
  return new Pool(origin, {
    connections: config.maxConnections,
    pipelining: 1,
    headersTimeout: config.readTimeoutMillis,
    bodyTimeout: config.readTimeoutMillis,
    connect: {
      timeout: config.connectTimeoutMillis,
      lookup,
      rejectUnauthorized: !config.skipSslVerification,
    },
  });
}

/** How an attempt takes part in pacing. */
interface PacingHooks {
  /** Waits for the pacer once the slot is held, for a call that found no pacer before (undefined: nothing to wait for). */
  readonly admitLate: (() => Promise<void> | undefined) | undefined;
  /** Sees every answer; tells whether pacing (not adaptive concurrency) answers its throttling. */
  readonly observe: (answer: OutboundResponse) => boolean;
}

/** One call on a held slot. The slot is taken synchronously after `pools.get`, so the pool cannot be retired in between. */
async function attemptOnce(entry: PoolEntry, target: OutboundTarget, outbound: OutboundRequest, policy: SendPolicy, pacing: PacingHooks): Promise<OutboundResponse> {
  const signal = policy.signal;
  signal?.throwIfAborted(); // undici would still open a connection for an aborted call
  await entry.slots.acquire(signal);
  const epoch = entry.concurrency?.begin() ?? 0;
  try {
    const late = pacing.admitLate?.();
    if (late !== undefined) await late;
    const response = await entry.dispatcher.request({
      origin: target.origin,
      path: target.path,
      method: outbound.method as Dispatcher.HttpMethod,
      headers: outbound.headers,
      body: outbound.body,
      signal,
    });
    if (response.statusCode >= 300 && response.statusCode < 400) {
      await response.body.dump();
      throw redirectError(response.statusCode, headerValue(response.headers.location));
    }
    const body = await response.body.text();
    const answer = { status: response.statusCode, headers: flattenHeaders(response.headers), body };
    const pacedByProvider = pacing.observe(answer);
    if (answer.status >= 200 && answer.status < 300) {
      entry.concurrency?.succeeded();
      return answer;
    }
    const error = providerError(answer, policy.secrets);
    if (error.isThrottle && !pacedByProvider) entry.concurrency?.throttled(epoch);
    throw error;
  } finally {
    entry.slots.release();
  }
}
