/**
 * The contract between the router and the endpoints: what a request looks like once read, what
 * a handler receives, and the query-string readers every endpoint shares (OpenSearch's boolean
 * and integer parameter parsing, with its error wording).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AccessCheck } from './authorization.js';
import type { ClusterState } from './cluster-state.js';
import type { ResolveOptions } from './indices.js';
import { illegalArgument, type Reply } from './responses.js';
import type { StandInUser } from './security.js';

/** A request as the stand-in received it. */
export interface StandInRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  /** The path with the query string, as OpenSearch quotes it in errors. */
  readonly uri: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The body as text (decompressed when the client gzipped it). */
  readonly body: string;
  /** `ip:port` of the client. */
  readonly remoteAddress: string;
}

/** What a handler gets: the request, its path parameters, the cluster, the authenticated user. */
export interface HandlerContext {
  readonly request: StandInRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly cluster: ClusterState;
  /** Null when security is off. */
  readonly user: StandInUser | null;
  /** What the user may do (allows everything when security is off). */
  readonly access: AccessCheck;
}

/** An endpoint. */
export type Handler = (context: HandlerContext) => Reply;

/** A boolean query parameter (`?flag`, `?flag=true`, `?flag=false`), OpenSearch-strict. */
export function booleanParam(query: URLSearchParams, name: string, fallback = false): boolean {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (raw === '' || raw === 'true') return true;
  if (raw === 'false') return false;
  throw illegalArgument(`Failed to parse value [${raw}] as only [true] or [false] are allowed.`);
}

/** A non-negative integer query parameter, or undefined when absent. */
export function integerParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^-?\d+$/.test(raw))
    throw illegalArgument(`Failed to parse int parameter [${name}] with value [${raw}]`);
  return Number(raw);
}

/** A comma list path parameter, or undefined when absent. */
export const listParam = (value: string | undefined): string[] | undefined =>
  value === undefined || value === '' ? undefined : value.split(',');

const WILDCARD_STATES = new Set(['open', 'closed', 'hidden', 'all', 'none']);

/** `ignore_unavailable` and `expand_wildcards`, as OpenSearch's `IndicesOptions` reads them. */
export function indicesOptions(query: URLSearchParams): ResolveOptions {
  const ignoreUnavailable = booleanParam(query, 'ignore_unavailable');
  const raw = query.get('expand_wildcards');
  if (raw === null) return { ignoreUnavailable };
  const states = raw.split(',').map((state) => state.trim());
  const unknown = states.find((state) => !WILDCARD_STATES.has(state));
  if (unknown !== undefined) throw illegalArgument(`No valid expand wildcard value [${unknown}]`);
  const all = states.includes('all');
  return {
    ignoreUnavailable,
    // The stand-in's indices are all open: `closed` alone expands to nothing.
    expandWildcards: {
      open: all || states.includes('open'),
      hidden: all || states.includes('hidden'),
    },
  };
}
