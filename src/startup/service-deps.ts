/**
 * The I/O every service is built over, from the configuration and the opened state: what `serve`
 * runs on, and what the batch commands that run pipelines in-process (`ingest`) run on too.
 */
import type { ClusterCallEvents } from '../cluster/cluster-call-events.js';
import { ClusterClient } from '../cluster/cluster-client.js';
import type { Config } from '../config.js';
import { painlessScriptFunctions } from '../connectors/invoke/painless-script-functions.js';
import type { Deps } from '../deps.js';
import type { HttpClient } from '../http/http-client.js';
import { PassThrough } from '../http/pass-through.js';
import { CLUSTER_CHECK_TIMEOUT_MS } from '../lifecycle/dependency-checks.js';
import { loadPipelineFiles } from '../pipeline/load-pipeline-files.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import type { Clock } from '../util/clock.js';
import { randomId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import type { OpenedState } from './open-state.js';

export function serviceDeps(
  config: Config,
  state: OpenedState,
  io: { clock: Clock; logger: Logger; http: HttpClient; cluster: Deps['cluster']; telemetry?: Telemetry },
): Deps {
  return {
    store: state.store,
    clock: io.clock,
    newId: randomId,
    cipher: state.cipher,
    logger: io.logger,
    http: io.http,
    scripts: painlessScriptFunctions(),
    pipelineFiles: loadPipelineFiles(config.pipelinesDir),
    cluster: io.cluster,
    clusterName: config.clusterName,
    nodeName: config.nodeName,
    nodeId: state.nodeId,
    replicas: state.replicas,
    liveReplicaKeyIds: state.liveReplicaKeyIds,
    jobLeaseTtlMs: state.dutiesLease === undefined ? undefined : config.clusterState.leaseTtlMs,
    ...(io.telemetry === undefined ? {} : { telemetry: io.telemetry }),
  };
}

/**
 * The cluster behind the proxy: the client for the requests the sidecar rewrites, the stream for
 * those it does not, and one for readiness alone (short timeout, never behind the traffic).
 */
export function connectCluster(url: string, timeoutMs: number, events?: ClusterCallEvents) {
  const client = new ClusterClient(url, { requestTimeoutMs: timeoutMs, ...(events === undefined ? {} : { events }) });
  const passThrough = new PassThrough(url, { timeoutMs, ...(events === undefined ? {} : { events }) });
  const probeClient = new ClusterClient(url, { requestTimeoutMs: CLUSTER_CHECK_TIMEOUT_MS });
  return {
    client,
    passThrough,
    probeClient,
    close: async () => {
      await Promise.all([client.close(), passThrough.close(), probeClient.close()]);
    },
  };
}
