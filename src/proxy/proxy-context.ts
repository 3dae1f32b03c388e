import type { ClusterClient } from '../cluster/cluster-client.js';
import type { IndexSettingsCache } from '../cluster/index-settings-cache.js';
import type { IngestPipelineService } from '../pipeline/ingest-pipeline-service.js';
import type { SearchPipelineService } from '../pipeline/search/search-pipeline-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { Clock } from '../util/clock.js';
import type { IdGenerator } from '../util/ids.js';

/** What the proxy's handlers work with. */
export interface ProxyContext {
  readonly cluster: ClusterClient;
  readonly indexSettings: IndexSettingsCache;
  readonly ingestPipelines: IngestPipelineService;
  readonly searchPipelines: SearchPipelineService;
  readonly settings: SettingsService;
  readonly clock: Clock;
  /** Ids for the auto-id items of a bulk, given before it is first sent. */
  readonly newId: IdGenerator;
}

/** A request as a proxy handler needs it. */
export interface ProxiedRequest {
  readonly method: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
}

/** The answer a handler produces: a status and a JSON body. */
export interface ProxyAnswer {
  readonly status: number;
  readonly body: unknown;
  /**
   * The cluster's answer headers, when the answer is the cluster's. Only `Retry-After` is passed on
   * to the client (the others describe the cluster's body, not the one the sidecar sends).
   */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An answer sent as server-sent events, frame by frame as they are produced. */
export interface StreamedProxyAnswer {
  readonly frames: AsyncGenerator<string>;
  /** Ends the work behind the frames (the client went away). */
  cancel(): void;
}

export const NO_PIPELINE = '_none';

/** The query string without some keys. */
export function queryWithout(query: Readonly<Record<string, string>>, ...keys: string[]): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) if (!keys.includes(key)) copy[key] = value;
  return copy;
}
