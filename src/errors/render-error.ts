import { isOpenSearchError, type OpenSearchError } from './opensearch-error.js';

/** OpenSearch's REST error envelope. */
export interface ErrorEnvelope {
  error: {
    root_cause: Array<{ type: string; reason: string } & Record<string, unknown>>;
    type: string;
    reason: string;
  } & Record<string, unknown>;
  status: number;
}

const INTERNAL_ERROR: OpenSearchError['type'] = 'exception';

/**
 * Renders any thrown value as OpenSearch's envelope. Only `OpenSearchError`s keep their reason:
 * an unexpected error may carry internal detail (or a secret in a provider's echo), so it is
 * rendered as a bare 500 and logged by the caller instead.
 */
export function renderError(error: unknown): { status: number; body: ErrorEnvelope; headers: Record<string, string> } {
  if (isOpenSearchError(error)) {
    const cause = { type: error.type, reason: error.reason, ...error.extra };
    return {
      status: error.status,
      headers: { ...error.headers },
      body: { error: { root_cause: [cause], ...cause }, status: error.status },
    };
  }
  const cause = { type: INTERNAL_ERROR, reason: 'Internal server error' };
  return { status: 500, headers: {}, body: { error: { root_cause: [cause], ...cause }, status: 500 } };
}
