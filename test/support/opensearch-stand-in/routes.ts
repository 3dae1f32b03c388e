/**
 * Every endpoint the stand-in serves, by method and path pattern.
 */
import { bulk } from './bulk.js';
import { catIndices, clusterHealth, rootInfo } from './cluster-info.js';
import { getClusterSettings, putClusterSettings } from './cluster-settings.js';
import {
  createDocument,
  deleteDocumentEndpoint,
  getDocument,
  getSource,
  postDocument,
  putDocument,
  refreshIndices,
  updateDocumentEndpoint,
} from './documents.js';
import type { Handler } from './handler.js';
import {
  createIndex,
  deleteIndex,
  getIndex,
  getMapping,
  getSettings,
  indexExists,
  putMapping,
  putSettings,
} from './index-endpoints.js';
import { multiGet } from './mget.js';
import { multiSearch } from './msearch.js';
import {
  createPointInTime,
  deleteAllPointsInTime,
  deletePointsInTime,
  listPointsInTime,
} from './point-in-time.js';
import type { Route, RouteAccess } from './router.js';
import { countEndpoint, searchEndpoint } from './search.js';
import { authInfo } from './security.js';

const on = (
  methods: readonly string[],
  pattern: string,
  handler: Handler,
  access?: RouteAccess,
): Route[] =>
  methods.map((method) => ({
    method,
    pattern,
    handler,
    ...(access === undefined ? {} : { access }),
  }));

const cluster = (action: string): RouteAccess => ({ cluster: action });
const index = (...actions: string[]): RouteAccess => ({ index: actions });

/**
 * The route table, with the action the security plugin checks for each endpoint (OpenSearch's
 * transport action names; `_bulk`, `_mget` and `_msearch` are composite cluster actions whose
 * items are checked per index by their handlers).
 */
export const ROUTES: readonly Route[] = [
  ...on(['GET'], '/', rootInfo, cluster('cluster:monitor/main')),
  ...on(['PUT'], '/{index}', createIndex, index('indices:admin/create')),
  ...on(['DELETE'], '/{index}', deleteIndex, index('indices:admin/delete')),
  ...on(['HEAD'], '/{index}', indexExists, index('indices:admin/get')),
  ...on(['GET'], '/{index}', getIndex, index('indices:admin/get')),
  ...on(['GET'], '/_settings', getSettings, index('indices:monitor/settings/get')),
  ...on(['GET'], '/_settings/{name}', getSettings, index('indices:monitor/settings/get')),
  ...on(['PUT'], '/_settings', putSettings, index('indices:admin/settings/update')),
  ...on(['GET'], '/{index}/_settings', getSettings, index('indices:monitor/settings/get')),
  ...on(['PUT'], '/{index}/_settings', putSettings, index('indices:admin/settings/update')),
  ...on(['GET'], '/{index}/_settings/{name}', getSettings, index('indices:monitor/settings/get')),
  ...on(['GET'], '/_mapping', getMapping, index('indices:admin/mappings/get')),
  ...on(['GET'], '/{index}/_mapping', getMapping, index('indices:admin/mappings/get')),
  ...on(['PUT', 'POST'], '/{index}/_mapping', putMapping, index('indices:admin/mapping/put')),
  ...on(['POST'], '/{index}/_doc', postDocument, index('indices:data/write/index')),
  ...on(['PUT', 'POST'], '/{index}/_doc/{id}', putDocument, index('indices:data/write/index')),
  ...on(['GET'], '/{index}/_doc/{id}', getDocument, index('indices:data/read/get')),
  ...on(
    ['DELETE'],
    '/{index}/_doc/{id}',
    deleteDocumentEndpoint,
    index('indices:data/write/delete'),
  ),
  ...on(
    ['PUT', 'POST'],
    '/{index}/_create/{id}',
    createDocument,
    index('indices:data/write/index'),
  ),
  ...on(
    ['POST'],
    '/{index}/_update/{id}',
    updateDocumentEndpoint,
    index('indices:data/write/update'),
  ),
  ...on(['GET'], '/{index}/_source/{id}', getSource, index('indices:data/read/get')),
  ...on(['GET', 'POST'], '/_refresh', refreshIndices, index('indices:admin/refresh')),
  ...on(['GET', 'POST'], '/{index}/_refresh', refreshIndices, index('indices:admin/refresh')),
  ...on(['GET', 'POST'], '/_count', countEndpoint, index('indices:data/read/search')),
  ...on(['GET', 'POST'], '/{index}/_count', countEndpoint, index('indices:data/read/search')),
  ...on(['POST', 'PUT'], '/_bulk', bulk, cluster('indices:data/write/bulk')),
  ...on(['POST', 'PUT'], '/{index}/_bulk', bulk, cluster('indices:data/write/bulk')),
  ...on(['GET', 'POST'], '/_mget', multiGet, cluster('indices:data/read/mget')),
  ...on(['GET', 'POST'], '/{index}/_mget', multiGet, cluster('indices:data/read/mget')),
  // The search permission is checked by the handler: on a point in time's own indices.
  ...on(['GET', 'POST'], '/_search', searchEndpoint),
  ...on(['GET', 'POST'], '/{index}/_search', searchEndpoint, index('indices:data/read/search')),
  ...on(
    ['POST'],
    '/{index}/_search/point_in_time',
    createPointInTime,
    index('indices:data/read/point_in_time/create'),
  ),
  ...on(
    ['GET'],
    '/_search/point_in_time/_all',
    listPointsInTime,
    cluster('indices:data/read/point_in_time/readall'),
  ),
  ...on(
    ['DELETE'],
    '/_search/point_in_time',
    deletePointsInTime,
    cluster('indices:data/read/point_in_time/delete'),
  ),
  ...on(
    ['DELETE'],
    '/_search/point_in_time/_all',
    deleteAllPointsInTime,
    cluster('indices:data/read/point_in_time/delete'),
  ),
  ...on(['GET', 'POST'], '/_msearch', multiSearch, cluster('indices:data/read/msearch')),
  ...on(['GET', 'POST'], '/{index}/_msearch', multiSearch, cluster('indices:data/read/msearch')),
  ...on(['GET', 'POST'], '/_plugins/_security/authinfo', authInfo),
  ...on(['GET'], '/_cluster/settings', getClusterSettings, cluster('cluster:monitor/state')),
  ...on(
    ['PUT'],
    '/_cluster/settings',
    putClusterSettings,
    cluster('cluster:admin/settings/update'),
  ),
  ...on(['GET'], '/_cluster/health', clusterHealth, cluster('cluster:monitor/health')),
  ...on(['GET'], '/_cat/indices', catIndices, cluster('cluster:monitor/state')),
  ...on(['GET'], '/_cat/indices/{index}', catIndices, cluster('cluster:monitor/state')),
];
