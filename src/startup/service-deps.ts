/**
 * The I/O every service is built over, from the configuration and the opened state: what `serve`
 * runs on, and what the batch commands that run pipelines in-process (`ingest`) run on too.
 */
import { ClusterClient } from '../cluster/cluster-client.js';
import type { Config } from '../config.js';
import { painlessScriptFunctions } from '../connectors/invoke/painless-script-functions.js';
import type { Deps } from '../deps.js';
import { createHttpClient } from '../http/http-client.js';
import { PassThrough } from '../http/pass-through.js';
import { loadPipelineFiles } from '../pipeline/load-pipeline-files.js';
import type { CredentialCipher } from '../security/credential-cipher.js';
import type { Clock } from '../util/clock.js';
import { randomId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import type { OpenedState } from './open-state.js';

export function serviceDeps(config: Config, state: OpenedState, io: { clock: Clock; cipher: CredentialCipher; logger: Logger }): Deps {
  return {
    store: state.store,
    clock: io.clock,
    newId: randomId,
    cipher: io.cipher,
    logger: io.logger,
    http: createHttpClient({ clock: io.clock }),
    scripts: painlessScriptFunctions(),
    pipelineFiles: loadPipelineFiles(config.pipelinesDir),
    cluster: config.opensearchUrl
      ? {
          client: new ClusterClient(config.opensearchUrl, { requestTimeoutMs: config.opensearchTimeoutMs }),
          passThrough: new PassThrough(config.opensearchUrl, { timeoutMs: config.opensearchTimeoutMs }),
        }
      : undefined,
    clusterName: config.clusterName,
    nodeName: config.nodeName,
    nodeId: state.nodeId,
    replicas: state.replicas,
    liveReplicaKeyIds: state.liveReplicaKeyIds,
    jobLeaseTtlMs: state.dutiesLease === undefined ? undefined : config.clusterState.leaseTtlMs,
  };
}
