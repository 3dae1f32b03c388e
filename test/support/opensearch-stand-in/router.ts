/**
 * Routes a request to its endpoint the way OpenSearch's RestController does: literal path
 * segments win over `{parameters}`, HEAD falls back to GET without the body, a path served only
 * under other methods is a 405 naming them, and an unknown path is the REST layer's 400
 * `no handler found for uri [...] and method [...]`. Failures thrown by handlers are rendered here.
 */
import type { ClusterState } from './cluster-state.js';
import { accessFor } from './authorization.js';
import type { Handler, HandlerContext, StandInRequest } from './handler.js';
import {
  fromEvaluatorError,
  noHandler,
  OpenSearchFailure,
  wrongMethod,
  type Reply,
} from './responses.js';
import type { StandInUser } from './security.js';

/**
 * What the security plugin checks before an endpoint runs: a cluster action, or index actions on
 * the indices the `{index}` path parameter names (every index when there is none).
 */
export type RouteAccess = { readonly cluster: string } | { readonly index: readonly string[] };

/** One endpoint: a method, a path pattern such as `/{index}/_doc/{id}`, its access check. */
export interface Route {
  readonly method: string;
  readonly pattern: string;
  readonly handler: Handler;
  readonly access?: RouteAccess;
}

type Segment = { readonly literal: string } | { readonly param: string };

interface PatternEntry {
  readonly segments: readonly Segment[];
  readonly handlers: Map<string, Route>;
}

function parsePattern(pattern: string): Segment[] {
  return pattern
    .split('/')
    .filter((part) => part !== '')
    .map((part) =>
      part.startsWith('{') && part.endsWith('}') ? { param: part.slice(1, -1) } : { literal: part },
    );
}

function matchParams(
  segments: readonly Segment[],
  path: readonly string[],
): Record<string, string> | null {
  if (segments.length !== path.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i];
    const value = path[i] ?? '';
    if (segment === undefined) return null;
    if ('literal' in segment) {
      if (segment.literal !== value) return null;
    } else {
      params[segment.param] = value;
    }
  }
  return params;
}

const isLiteral = (segment: Segment | undefined): number =>
  segment !== undefined && 'literal' in segment ? 1 : 0;

/** Literal-first ordering: compares two patterns segment by segment. */
function bySpecificity(a: PatternEntry, b: PatternEntry): number {
  for (let i = 0; i < a.segments.length; i += 1) {
    const difference = isLiteral(b.segments[i]) - isLiteral(a.segments[i]);
    if (difference !== 0) return difference;
  }
  return 0;
}

function internalError(error: unknown): Reply {
  const reason = error instanceof Error ? error.message : String(error);
  return new OpenSearchFailure(500, {
    type: 'exception',
    reason: `stand-in bug: ${reason}`,
  }).toReply();
}

function checkRouteAccess(access: RouteAccess | undefined, context: HandlerContext): void {
  if (access === undefined) return;
  if ('cluster' in access) context.access.requireCluster(access.cluster);
  else {
    const targets = context.cluster.indices.targetNames(context.params['index']);
    context.access.requireIndex(access.index, targets);
  }
}

/** The stand-in's route table. */
export class Router {
  private readonly patterns = new Map<string, PatternEntry>();

  constructor(routes: readonly Route[]) {
    for (const route of routes) {
      const key = parsePattern(route.pattern)
        .map((s) => ('literal' in s ? s.literal : '{}'))
        .join('/');
      const entry = this.patterns.get(key) ?? {
        segments: parsePattern(route.pattern),
        handlers: new Map(),
      };
      entry.handlers.set(route.method, route);
      this.patterns.set(key, entry);
    }
  }

  /** Answers `request`. */
  dispatch(request: StandInRequest, cluster: ClusterState, user: StandInUser | null): Reply {
    let path: string[];
    try {
      path = request.path
        .split('/')
        .filter((part) => part !== '')
        .map((part) => decodeURIComponent(part));
    } catch {
      return noHandler(request.uri, request.method);
    }
    const candidates = [...this.patterns.values()]
      .map((entry) => ({ entry, params: matchParams(entry.segments, path) }))
      .filter(
        (c): c is { entry: PatternEntry; params: Record<string, string> } => c.params !== null,
      )
      .sort((a, b) => bySpecificity(a.entry, b.entry));
    const [best] = candidates;
    if (best === undefined) return noHandler(request.uri, request.method);
    const access = accessFor(user);
    for (const { entry, params } of candidates) {
      const direct = entry.handlers.get(request.method);
      const viaGet = request.method === 'HEAD' ? entry.handlers.get('GET') : undefined;
      const route = direct ?? viaGet;
      if (route === undefined) continue;
      const reply = this.run(route, { request, params, cluster, user, access });
      return direct === undefined
        ? {
            status: reply.status,
            ...(reply.headers === undefined ? {} : { headers: reply.headers }),
          }
        : reply;
    }
    const allowed = new Set(candidates.flatMap(({ entry }) => [...entry.handlers.keys()]));
    return wrongMethod(request.uri, request.method, [...allowed]);
  }

  private run(route: Route, context: HandlerContext): Reply {
    try {
      checkRouteAccess(route.access, context);
      return route.handler(context);
    } catch (error) {
      if (error instanceof OpenSearchFailure) return error.toReply();
      return fromEvaluatorError(error)?.toReply() ?? internalError(error);
    }
  }
}
