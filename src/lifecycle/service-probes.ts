/**
 * What `GET /_sidecar/health` and `GET /_sidecar/ready` answer from. The service moves through
 * three phases: starting (listening, answering 503 until its state is open), serving, and
 * stopping (from the first SIGTERM/SIGINT on). Liveness holds in all three, so an orchestrator
 * never restarts a replica that is only waiting for its cluster; readiness holds only while
 * serving and every dependency check passes, so load balancers send nothing to a replica that
 * could not answer it, and drain one that is stopping.
 */
import type { JsonObject } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import { CachedCheck, type ReadinessCheck } from './readiness-check.js';

/** How long one check's result serves every probe. */
const CHECK_CACHE_MS = 2_000;
/** How long a probe waits for a check (kubelet's probe timeout is 1 s by default; ours 5 s). */
export const READINESS_CHECK_TIMEOUT_MS = 3_000;

export type ServicePhase = 'starting' | 'serving' | 'stopping';

export interface HealthReport {
  readonly status: ServicePhase;
  readonly version: string;
  readonly uptime_seconds: number;
  readonly mode: 'standalone' | 'proxy';
  readonly store: 'sqlite' | 'cluster';
  /** The progress of a master-key rotation while one runs; null otherwise. */
  readonly key_rotation: JsonObject | null;
}

export type Readiness =
  | { readonly ready: true; readonly checks: Readonly<Record<string, 'ok'>> }
  | { readonly ready: false; readonly reason: string };

export interface ServiceProbesOptions {
  readonly version: string;
  readonly mode: HealthReport['mode'];
  readonly store: HealthReport['store'];
  readonly clock: Clock;
  /** Reports a running master-key rotation, or null (none by default); read at each health probe. */
  readonly keyRotation?: () => Promise<JsonObject | null>;
}

export class ServiceProbes {
  private phase: ServicePhase = 'starting';
  private startingReason = 'the sidecar is starting';
  private checks: CachedCheck[] = [];
  private readonly startedAt: number;

  constructor(private readonly options: ServiceProbesOptions) {
    this.startedAt = options.clock.now();
  }

  get status(): ServicePhase {
    return this.phase;
  }

  /** Why the service is not serving yet (it answers every request with a 503 saying so). */
  get notReadyReason(): string {
    return this.phase === 'stopping' ? 'the sidecar is shutting down' : this.startingReason;
  }

  /** Still starting, now for `reason` (a start step waiting for the cluster). */
  starting(reason: string): void {
    if (this.phase === 'starting') this.startingReason = reason;
  }

  /** Serving: ready whenever every check passes. */
  serving(checks: readonly ReadinessCheck[]): void {
    if (this.phase !== 'starting') return;
    const cache = { clock: this.options.clock, cacheMs: CHECK_CACHE_MS, timeoutMs: READINESS_CHECK_TIMEOUT_MS };
    this.checks = checks.map((check) => new CachedCheck(check, cache));
    this.phase = 'serving';
  }

  /** Shutting down: never ready again. */
  stopping(): void {
    this.phase = 'stopping';
  }

  async health(): Promise<HealthReport> {
    return {
      status: this.phase,
      version: this.options.version,
      uptime_seconds: Math.floor((this.options.clock.now() - this.startedAt) / 1000),
      mode: this.options.mode,
      store: this.options.store,
      key_rotation: (await this.options.keyRotation?.()) ?? null,
    };
  }

  async readiness(): Promise<Readiness> {
    if (this.phase !== 'serving') return { ready: false, reason: this.notReadyReason };
    const failures = await Promise.all(this.checks.map((check) => check.failure()));
    // Shutdown may have begun while the checks ran.
    if (this.phase !== 'serving') return { ready: false, reason: this.notReadyReason };
    const failed = this.checks.flatMap((check, index) => (failures[index] === undefined ? [] : [`${check.name}: ${failures[index]}`]));
    if (failed.length > 0) return { ready: false, reason: failed.join('; ') };
    return { ready: true, checks: Object.fromEntries(this.checks.map((check) => [check.name, 'ok' as const])) };
  }
}
