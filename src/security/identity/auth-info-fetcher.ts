/**
 * A `FetchAuthInfo` over a `fetch` function (the global one by default; the proxy's transport can
 * be passed instead when the cluster needs a custom CA). Credentials embedded in `OPENSEARCH_URL`
 * are dropped: the caller's own header is what the cluster must judge.
 */
import type { FetchAuthInfo } from './cluster-authenticator.js';

/** Options of `createAuthInfoFetcher`. */
export interface AuthInfoFetcherOptions {
  readonly opensearchUrl: string;
  readonly fetch?: typeof globalThis.fetch;
  /** Gives up on the cluster after this long (default 10 s); the authenticator turns that into a 503. */
  readonly timeoutMillis?: number;
}

/** Creates the function that calls `GET /_plugins/_security/authinfo` for a caller's header. */
export function createAuthInfoFetcher(options: AuthInfoFetcherOptions): FetchAuthInfo {
  const url = new URL(options.opensearchUrl);
  // Keeps a path prefix (a cluster behind a reverse proxy at `/opensearch`).
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/_plugins/_security/authinfo`;
  url.search = '';
  url.hash = '';
  url.username = '';
  url.password = '';
  const send = options.fetch ?? globalThis.fetch;
  const timeoutMillis = options.timeoutMillis ?? 10_000;
  return async (authorization) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authorization !== '') headers['authorization'] = authorization;
    const response = await send(url, {
      method: 'GET',
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMillis),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // A 401 from the security plugin is plain text (`Unauthorized`); the status is what counts.
    }
    return { status: response.status, body };
  };
}
