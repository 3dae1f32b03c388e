/**
 * OpenSearch's answers, shaped as OpenSearch shapes them: the error envelope
 * (`{"error":{"root_cause":[...],"type","reason",...},"status"}`), the one-off shapes of the REST
 * layer (no handler, wrong method, missing Content-Type) and the common exceptions every endpoint
 * can raise. Handlers throw `OpenSearchFailure`; the router renders it.
 */

/** One exception in OpenSearch's JSON rendering: `type`, `reason`, metadata, `caused_by`. */
export interface ErrorCause {
  readonly type: string;
  readonly reason: string;
  readonly [metadata: string]: unknown;
}

/** What a handler answers: a status, a JSON or text body (or none), extra headers. */
export interface Reply {
  readonly status: number;
  readonly json?: unknown;
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A failed request: renders as OpenSearch's error envelope with `status`. */
export class OpenSearchFailure extends Error {
  readonly status: number;
  readonly detail: ErrorCause;
  readonly rootCauses: readonly ErrorCause[];

  constructor(status: number, detail: ErrorCause, rootCauses?: readonly ErrorCause[]) {
    super(detail.reason);
    this.name = 'OpenSearchFailure';
    this.status = status;
    this.detail = detail;
    this.rootCauses = rootCauses ?? [withoutCause(detail)];
  }

  /** The envelope OpenSearch sends for this failure. */
  toBody(): { error: Record<string, unknown>; status: number } {
    return { error: { root_cause: this.rootCauses, ...this.detail }, status: this.status };
  }

  /** The reply carrying the envelope. */
  toReply(): Reply {
    return { status: this.status, json: this.toBody() };
  }
}

function withoutCause(detail: ErrorCause): ErrorCause {
  const { caused_by: _causedBy, ...rest } = detail;
  return rest;
}

/** A JSON reply. */
export const jsonReply = (status: number, json: unknown): Reply => ({ status, json });

/** 400 `illegal_argument_exception`. */
export const illegalArgument = (reason: string): OpenSearchFailure =>
  new OpenSearchFailure(400, { type: 'illegal_argument_exception', reason });

/** 400 `parsing_exception` (an unknown query, an unknown key in a body). */
export const parsingException = (reason: string): OpenSearchFailure =>
  new OpenSearchFailure(400, { type: 'parsing_exception', reason });

/** 400 `json_parse_exception`: the body is not JSON. */
export const jsonParseException = (reason: string): OpenSearchFailure =>
  new OpenSearchFailure(400, { type: 'json_parse_exception', reason });

/** 400 `action_request_validation_exception` listing each problem as OpenSearch numbers them. */
export function validationFailed(problems: readonly string[]): OpenSearchFailure {
  const reason = `Validation Failed: ${problems.map((p, i) => `${i + 1}: ${p};`).join('')}`;
  return new OpenSearchFailure(400, { type: 'action_request_validation_exception', reason });
}

/** 400 `parse_exception` `request body is required`. */
export const bodyRequired = (): OpenSearchFailure =>
  new OpenSearchFailure(400, { type: 'parse_exception', reason: 'request body is required' });

/**
 * 404 `index_not_found_exception` for `name`. Multi-index APIs (search, settings) resolve names
 * as `index_or_alias`; single-index APIs (document GET and DELETE, `_mget`) as `index_expression`.
 */
export const indexNotFound = (
  name: string,
  resourceType: 'index_or_alias' | 'index_expression' = 'index_or_alias',
): OpenSearchFailure =>
  new OpenSearchFailure(404, {
    type: 'index_not_found_exception',
    reason: `no such index [${name}]`,
    'resource.type': resourceType,
    'resource.id': name,
    index_uuid: '_na_',
    index: name,
  });

/** 400 `invalid_index_name_exception`. */
export const invalidIndexName = (name: string, why: string): OpenSearchFailure =>
  new OpenSearchFailure(400, {
    type: 'invalid_index_name_exception',
    reason: `Invalid index name [${name}], ${why}`,
    index_uuid: '_na_',
    index: name,
  });

/** 400 `mapper_parsing_exception`, optionally with the cause OpenSearch nests under it. */
export const mapperParsing = (reason: string, causedBy?: ErrorCause): OpenSearchFailure =>
  new OpenSearchFailure(
    400,
    causedBy === undefined
      ? { type: 'mapper_parsing_exception', reason }
      : { type: 'mapper_parsing_exception', reason, caused_by: causedBy },
  );

/** 409 `version_conflict_engine_exception` on shard 0 of `index`. */
export const versionConflict = (
  index: { name: string; uuid: string },
  reason: string,
): OpenSearchFailure =>
  new OpenSearchFailure(409, {
    type: 'version_conflict_engine_exception',
    reason,
    index: index.name,
    shard: '0',
    index_uuid: index.uuid,
  });

/** 404 `document_missing_exception` (an update of a missing document). */
export const documentMissing = (
  index: { name: string; uuid: string },
  id: string,
): OpenSearchFailure =>
  new OpenSearchFailure(404, {
    type: 'document_missing_exception',
    reason: `[${id}]: document missing`,
    index: index.name,
    shard: '0',
    index_uuid: index.uuid,
  });

/** 400 `illegal_argument_exception` for an ingest pipeline the stand-in does not have. */
export const ingestPipelineMissing = (id: string): OpenSearchFailure =>
  illegalArgument(`pipeline with id [${id}] does not exist`);

/** 404 `resource_not_found_exception` for a search pipeline the stand-in does not have. */
export const searchPipelineMissing = (id: string): OpenSearchFailure =>
  new OpenSearchFailure(404, {
    type: 'resource_not_found_exception',
    reason: `Pipeline ${id} is not defined`,
  });

/** The REST layer's 400 for a path no handler serves. */
export const noHandler = (uri: string, method: string): Reply => ({
  status: 400,
  json: { error: `no handler found for uri [${uri}] and method [${method}]` },
});

/** The REST layer's 405 for a path served under other methods. */
export const wrongMethod = (uri: string, method: string, allowed: readonly string[]): Reply => ({
  status: 405,
  headers: { Allow: allowed.join(',') },
  json: {
    error: `Incorrect HTTP method for uri [${uri}] and method [${method}], allowed: [${allowed.join(', ')}]`,
    status: 405,
  },
});

/** 406 for a body without (or with an unusable) Content-Type. */
export const unsupportedContentType = (contentType: string | undefined): Reply => ({
  status: 406,
  json: {
    error:
      contentType === undefined
        ? 'Content-Type header is missing'
        : `Content-Type header [${contentType}] is not supported`,
    status: 406,
  },
});

/** Converts an error thrown by the query evaluator (`src/query`) into a failure, if it is one. */
export function fromEvaluatorError(error: unknown): OpenSearchFailure | null {
  if (!(error instanceof Error)) return null;
  const status: unknown = Reflect.get(error, 'status');
  const type: unknown = Reflect.get(error, 'type');
  const reason: unknown = Reflect.get(error, 'reason');
  const extra: unknown = Reflect.get(error, 'extra');
  if (typeof status !== 'number' || typeof type !== 'string' || typeof reason !== 'string')
    return null;
  const metadata = typeof extra === 'object' && extra !== null ? extra : {};
  return new OpenSearchFailure(status, { ...metadata, type, reason });
}
