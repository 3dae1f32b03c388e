/**
 * What the sidecar's calls to the cluster report: the client that made it (the proxy's rewritten
 * requests, the streaming pass-through, the cluster state store), how long it took and how it
 * ended. The path is given without its query string; no header or body is ever part of an event.
 */

/** Which of the sidecar's cluster clients made a call. */
export type ClusterClientName = 'proxy' | 'pass_through' | 'state_store';

/** One call to the cluster. */
export interface ClusterCallReport {
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  /** The cluster's status, when it answered. */
  readonly status: number | undefined;
  readonly seconds: number;
  /** Why no answer came: the cluster could not be reached, or did not answer in time. */
  readonly failure?: 'unavailable' | 'timeout';
}

/** Receives cluster calls; every method must be cheap and must not throw. */
export interface ClusterCallEvents {
  called(client: ClusterClientName, call: ClusterCallReport): void;
}

/** Hears nothing. */
export const NO_CLUSTER_CALL_EVENTS: ClusterCallEvents = { called: () => {} };

/** A path without its query string. */
const withoutQuery = (path: string): string => {
  const question = path.indexOf('?');
  return question === -1 ? path : path.slice(0, question);
};

/** Starts timing a call; the returned function reports how it ended (once). */
export function clusterCallTimer(
  events: ClusterCallEvents,
  client: ClusterClientName,
  method: string,
  pathAndQuery: string,
): (status: number | undefined, failure?: 'unavailable' | 'timeout') => void {
  const started = performance.now();
  return (status, failure) =>
    events.called(client, {
      method,
      path: withoutQuery(pathAndQuery),
      status,
      seconds: (performance.now() - started) / 1000,
      ...(failure === undefined ? {} : { failure }),
    });
}
