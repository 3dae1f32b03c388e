/**
 * Reading a `_search` request: the body plus the URL parameters OpenSearch folds into it
 * (`size`, `from`, `_source*`, `track_total_hits`, `version`, `seq_no_primary_term`, `explain`), the search
 * pipeline (`search_pipeline` parameter or body key) and the response options
 * (`rest_total_hits_as_int`, `ignore_unavailable`).
 */
import { booleanParam, integerParam, listParam } from './handler.js';
import { isJsonObject, tokenName, type JsonObject } from './json.js';
import { illegalArgument, parsingException } from './responses.js';

/** A search request, ready to run. */
export interface SearchRequestParts {
  /** The body the evaluator runs (URL parameters folded in, `search_pipeline` removed). */
  readonly body: JsonObject;
  /** The search pipeline named by the request, if any. */
  readonly pipeline: string | undefined;
  readonly restTotalHitsAsInt: boolean;
  readonly ignoreUnavailable: boolean;
  /** The `preference` parameter, if any. */
  readonly preference?: string | undefined;
}

function sourceFromParams(query: URLSearchParams): unknown {
  const source = query.get('_source');
  const includes = listParam(query.get('_source_includes') ?? undefined);
  const excludes = listParam(query.get('_source_excludes') ?? undefined);
  if (includes !== undefined || excludes !== undefined) {
    return {
      ...(includes === undefined ? {} : { includes }),
      ...(excludes === undefined ? {} : { excludes }),
    };
  }
  if (source === null) return undefined;
  if (source === '' || source === 'true') return true;
  if (source === 'false') return false;
  return listParam(source);
}

function trackTotalHitsFromParam(raw: string | null): unknown {
  if (raw === null) return undefined;
  if (raw === '' || raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^-?\d+$/.test(raw)) return Number(raw);
  throw illegalArgument(`Failed to parse value [${raw}] as only [true] or [false] are allowed.`);
}

/** Extracts the pipeline a body names; a temporary (inline) pipeline is refused. */
function bodyPipeline(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  throw illegalArgument(
    '[search_pipeline] temporary search pipelines are not supported by the OpenSearch stand-in',
  );
}

/** Builds the request from the parsed body (undefined when empty) and the URL parameters. */
export function readSearchRequest(rawBody: unknown, query: URLSearchParams): SearchRequestParts {
  if (rawBody !== undefined && !isJsonObject(rawBody)) {
    throw parsingException(`Expected [START_OBJECT] but found [${tokenName(rawBody)}]`);
  }
  if (query.has('q'))
    throw illegalArgument('the [q] parameter is not supported by the OpenSearch stand-in');
  const { search_pipeline: inBody, ...rest } = rawBody ?? {};
  if (Object.hasOwn(rest, 'knn'))
    throw parsingException('Unknown key for a START_OBJECT in [knn].');
  const body: JsonObject = { ...rest };
  const size = integerParam(query, 'size');
  const from = integerParam(query, 'from');
  if (size !== undefined) body['size'] = size;
  if (from !== undefined) body['from'] = from;
  const source = sourceFromParams(query);
  if (source !== undefined) body['_source'] = source;
  const trackTotalHits = trackTotalHitsFromParam(query.get('track_total_hits'));
  if (trackTotalHits !== undefined) body['track_total_hits'] = trackTotalHits;
  for (const flag of ['version', 'seq_no_primary_term', 'explain']) {
    if (query.has(flag)) body[flag] = booleanParam(query, flag);
  }
  const fromParam = query.get('search_pipeline');
  return {
    body,
    pipeline: fromParam !== null && fromParam !== '' ? fromParam : bodyPipeline(inBody),
    restTotalHitsAsInt: booleanParam(query, 'rest_total_hits_as_int'),
    ignoreUnavailable: booleanParam(query, 'ignore_unavailable'),
    preference: query.get('preference') ?? undefined,
  };
}
