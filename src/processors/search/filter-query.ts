import { illegalArgument, OpenSearchError } from '../../errors/opensearch-error.js';
import { cloneJson, isJsonObject } from '../../util/json.js';
import { defineProcessor } from '../processor-definition.js';

export interface FilterQueryConfig {
  query?: unknown;
}

const TYPE = 'filter_query';

/**
 * `filter_query` (OpenSearch FilterQueryRequestProcessor): the search's query becomes
 * `{"bool": {"must": [<query>], "filter": [<configured query>]}}` (just the filter when the
 * search has no query), so the configured query restricts the hits without scoring them.
 */
export const filterQueryProcessor = defineProcessor({
  type: TYPE,
  kind: 'search_request',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      query: { type: 'object', description: 'The query DSL clause added as a filter, e.g. `{"term": {"visibility": "public"}}`.' },
    },
  },
  create(config: FilterQueryConfig) {
    const filter = checkedFilter(config.query);
    return {
      type: TYPE,
      async processRequest(context) {
        const original = context.body['query'];
        context.body['query'] = {
          bool: {
            ...(original === undefined || original === null ? {} : { must: [original] }),
            filter: [cloneJson(filter)],
            adjust_pure_negative: true,
            boost: 1,
          },
        };
      },
    };
  },
});

/** The checks OpenSearch's parseInnerQueryBuilder makes before a clause type is known. */
function checkedFilter(query: unknown): Record<string, unknown> {
  if (!isJsonObject(query)) throw illegalArgument(`Did not specify the query property in processor of type ${TYPE}`);
  const types = Object.keys(query);
  if (types.length === 0) throw illegalArgument('inner clause [filter] cannot be null.');
  if (types.length > 1) throw parsingException(`[${types[0]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  if (!isJsonObject(query[types[0] as string])) throw parsingException(`[${types[0]}] query malformed, no start_object after query name`);
  return query;
}

function parsingException(reason: string): OpenSearchError {
  return new OpenSearchError({ status: 400, type: 'parsing_exception', reason });
}
