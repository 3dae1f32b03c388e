import type { ScriptFunctions } from './connectors/invoke/script-functions.js';
import type { ClusterClient } from './cluster/cluster-client.js';
import type { HttpClient } from './http/http-client.js';
import type { PassThrough } from './http/pass-through.js';
import type { PipelineFiles } from './pipeline/load-pipeline-files.js';
import type { CredentialCipher } from './security/credential-cipher.js';
import type { ReplicaCount } from './replicas/replica-membership.js';
import type { Store } from './store/store.js';
import type { Telemetry } from './telemetry/telemetry.js';
import type { Clock } from './util/clock.js';
import type { IdGenerator } from './util/ids.js';
import type { Logger } from './util/logger.js';

/** Every piece of I/O the service uses, injected so tests can swap any of it. */
export interface Deps {
  readonly store: Store;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  readonly cipher: CredentialCipher;
  readonly logger: Logger;
  /** Outbound calls to model providers. */
  readonly http: HttpClient;
  /** Runs Painless pre/post-process scripts. */
  readonly scripts: ScriptFunctions;
  /** Pipeline definitions read from `pipelines/` at start. */
  readonly pipelineFiles: PipelineFiles;
  /** The cluster behind the proxy, when `OPENSEARCH_URL` is set. */
  readonly cluster?: { readonly client: ClusterClient; readonly passThrough: PassThrough } | undefined;
  readonly clusterName: string;
  readonly nodeName: string;
  /** This replica's id when replicas share a cluster store (the embedded store keeps one of its own). */
  readonly nodeId?: string | undefined;
  /** How many replicas share the configured rate limits (default: this one alone). */
  readonly replicas?: ReplicaCount;
  /** The master key ids each live replica can read (cluster store); undefined when alone. */
  readonly liveReplicaKeyIds?: (() => string[][]) | undefined;
  /** Metrics and the operator's log lines (default: none; `/_sidecar/metrics` is then not served). */
  readonly telemetry?: Telemetry;
}
