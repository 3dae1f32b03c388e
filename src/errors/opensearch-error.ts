/**
 * The one error type the service throws on purpose. It carries what OpenSearch's error envelope
 * needs: an HTTP status, an exception type (`illegal_argument_exception`, `status_exception`, ...)
 * and a human-readable reason. Anything else that reaches the error handler is a bug and is
 * rendered as a 500 without its message.
 */
export class OpenSearchError extends Error {
  readonly status: number;
  readonly type: string;
  readonly reason: string;
  /** Extra fields copied into the envelope's `error` object (e.g. `index`, `resource.id`). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Headers the response must carry (e.g. `WWW-Authenticate`, `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(options: {
    status: number;
    type: string;
    reason: string;
    extra?: Record<string, unknown>;
    headers?: Record<string, string>;
    cause?: unknown;
  }) {
    super(options.reason, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OpenSearchError';
    this.status = options.status;
    this.type = options.type;
    this.reason = options.reason;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }
}

/** 400 `illegal_argument_exception`: the request is wrong; ML Commons' most common error. */
export const illegalArgument = (reason: string, cause?: unknown): OpenSearchError =>
  new OpenSearchError({ status: 400, type: 'illegal_argument_exception', reason, cause });

/** `status_exception` with an explicit status: how ML Commons reports most lifecycle errors. */
export const statusException = (status: number, reason: string, cause?: unknown): OpenSearchError =>
  new OpenSearchError({ status, type: 'status_exception', reason, cause });

/** 404 for a missing record, worded by the caller as ML Commons words it. */
export const notFound = (reason: string): OpenSearchError => statusException(404, reason);

/** 409 for a write that conflicts with the current state. */
export const conflict = (reason: string): OpenSearchError => statusException(409, reason);

/** 400 for a body that is not valid JSON. */
export const jsonParseError = (reason: string): OpenSearchError =>
  new OpenSearchError({ status: 400, type: 'json_parse_exception', reason });

/** 400 for a body that is JSON but has the wrong shape (wrong type, unknown field). */
export const parseError = (reason: string): OpenSearchError =>
  new OpenSearchError({ status: 400, type: 'x_content_parse_exception', reason });

/** Type guard that also works when the error crossed a module-copy boundary. */
export const isOpenSearchError = (error: unknown): error is OpenSearchError =>
  error instanceof OpenSearchError;

/** OpenSearch's 409 for a write whose `op_type=create` or `if_seq_no` condition failed. */
export const versionConflict = (reason: string, index: string): OpenSearchError =>
  new OpenSearchError({ status: 409, type: 'version_conflict_engine_exception', reason, extra: { index, shard: '0' } });
