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
import { multiSearch } from './msearch.js';
import type { Route } from './router.js';
import { countEndpoint, searchEndpoint } from './search.js';
import { authInfo } from './security.js';

const on = (methods: readonly string[], pattern: string, handler: Handler): Route[] =>
  methods.map((method) => ({ method, pattern, handler }));

/** The route table. */
export const ROUTES: readonly Route[] = [
  ...on(['GET'], '/', rootInfo),
  ...on(['PUT'], '/{index}', createIndex),
  ...on(['DELETE'], '/{index}', deleteIndex),
  ...on(['HEAD'], '/{index}', indexExists),
  ...on(['GET'], '/{index}', getIndex),
  ...on(['GET'], '/_settings', getSettings),
  ...on(['GET'], '/_settings/{name}', getSettings),
  ...on(['PUT'], '/_settings', putSettings),
  ...on(['GET'], '/{index}/_settings', getSettings),
  ...on(['PUT'], '/{index}/_settings', putSettings),
  ...on(['GET'], '/{index}/_settings/{name}', getSettings),
  ...on(['GET'], '/_mapping', getMapping),
  ...on(['GET'], '/{index}/_mapping', getMapping),
  ...on(['PUT', 'POST'], '/{index}/_mapping', putMapping),
  ...on(['POST'], '/{index}/_doc', postDocument),
  ...on(['PUT', 'POST'], '/{index}/_doc/{id}', putDocument),
  ...on(['GET'], '/{index}/_doc/{id}', getDocument),
  ...on(['DELETE'], '/{index}/_doc/{id}', deleteDocumentEndpoint),
  ...on(['PUT', 'POST'], '/{index}/_create/{id}', createDocument),
  ...on(['POST'], '/{index}/_update/{id}', updateDocumentEndpoint),
  ...on(['GET'], '/{index}/_source/{id}', getSource),
  ...on(['GET', 'POST'], '/_refresh', refreshIndices),
  ...on(['GET', 'POST'], '/{index}/_refresh', refreshIndices),
  ...on(['GET', 'POST'], '/_count', countEndpoint),
  ...on(['GET', 'POST'], '/{index}/_count', countEndpoint),
  ...on(['POST', 'PUT'], '/_bulk', bulk),
  ...on(['POST', 'PUT'], '/{index}/_bulk', bulk),
  ...on(['GET', 'POST'], '/_search', searchEndpoint),
  ...on(['GET', 'POST'], '/{index}/_search', searchEndpoint),
  ...on(['GET', 'POST'], '/_msearch', multiSearch),
  ...on(['GET', 'POST'], '/{index}/_msearch', multiSearch),
  ...on(['GET', 'POST'], '/_plugins/_security/authinfo', authInfo),
  ...on(['GET'], '/_cluster/settings', getClusterSettings),
  ...on(['PUT'], '/_cluster/settings', putClusterSettings),
  ...on(['GET'], '/_cluster/health', clusterHealth),
  ...on(['GET'], '/_cat/indices', catIndices),
  ...on(['GET'], '/_cat/indices/{index}', catIndices),
];
