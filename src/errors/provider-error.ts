/**
 * A provider answered a call with a status other than 2xx. As the AI SDK's `APICallError` does, it
 * carries what callers decide on as fields: the status, the response headers, whether a retry may
 * succeed and whether the provider is throttling. Retries, adaptive concurrency and the batch split
 * rule read these, never the reason. It renders as ML Commons renders the failure: the remote
 * status, and a reason the transport words (`Error from remote service: <body>`).
 */
import { OpenSearchError } from './opensearch-error.js';

/** AWS's `x-amzn-ErrorType: ThrottlingException…`, which may come on any status (SageMaker throttles with a 400). */
export const isAwsThrottling = (headers: Readonly<Record<string, string>>): boolean =>
  headers['x-amzn-errortype']?.startsWith('ThrottlingException') === true;

/** The provider asks us to slow down: 429, or AWS throttling on any status. */
export const isThrottleAnswer = (statusCode: number, headers: Readonly<Record<string, string>>): boolean =>
  statusCode === 429 || isAwsThrottling(headers);

/** What a provider error is built from; the flags default from the status and headers. */
export interface ProviderErrorOptions {
  readonly statusCode: number;
  /** Header names lower-case, as the transport reads them. */
  readonly responseHeaders: Readonly<Record<string, string>>;
  /** The reason API callers see; it must already be free of credentials. */
  readonly reason: string;
  /** Default: throttling or a 5xx, the answers ML Commons retries. */
  readonly isRetryable?: boolean;
  /** Default: {@link isThrottleAnswer}. */
  readonly isThrottle?: boolean;
}

/** A non-2xx provider answer, with the remote status passed through. */
export class ProviderError extends OpenSearchError {
  readonly statusCode: number;
  readonly responseHeaders: Readonly<Record<string, string>>;
  /** A later attempt of the same call may succeed (throttling, 5xx). */
  readonly isRetryable: boolean;
  /** The provider refused the call for its rate, not for its content. */
  readonly isThrottle: boolean;

  constructor(options: ProviderErrorOptions) {
    super({ status: options.statusCode, type: 'status_exception', reason: options.reason });
    this.name = 'ProviderError';
    this.statusCode = options.statusCode;
    this.responseHeaders = options.responseHeaders;
    this.isThrottle = options.isThrottle ?? isThrottleAnswer(options.statusCode, options.responseHeaders);
    this.isRetryable = options.isRetryable ?? (this.isThrottle || options.statusCode >= 500);
  }
}

/** Type guard for {@link ProviderError}. */
export const isProviderError = (error: unknown): error is ProviderError => error instanceof ProviderError;
