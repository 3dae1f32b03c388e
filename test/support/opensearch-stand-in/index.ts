/**
 * The OpenSearch stand-in for tests: a loopback server speaking the part of OpenSearch's REST
 * API the proxy uses. Start it with `startOpenSearchStandIn`.
 */
export {
  startOpenSearchStandIn,
  type FailureMode,
  type OpenSearchStandInOptions,
  type RecordedRequest,
  type StandIn,
} from './start-stand-in.js';
export type { IndicesInspector, InspectedClusterSettings, InspectedDocument } from './inspector.js';
export type { StandInPermissions, StandInUser } from './security.js';
export { BASIC_CHALLENGE } from './security.js';
export { STAND_IN_VERSION } from './cluster-info.js';
export type { BulkRejection, ShardRejection } from './write-pressure.js';
