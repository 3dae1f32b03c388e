/**
 * What the stand-in's tests share: an HTTP call that answers status, headers, text and parsed
 * JSON; a nested reader for JSON answers; hit ids and scores; NDJSON bodies; Basic credentials.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  startOpenSearchStandIn,
  type OpenSearchStandInOptions,
  type StandIn,
} from '../support/opensearch-stand-in/index.js';

/** One answer of the stand-in. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

/** A request body: JSON (an object) or NDJSON (a string). */
export type Body = string | Record<string, unknown> | undefined;

/** Sends one request; an object body is JSON, a string body NDJSON. */
export async function call(
  standIn: StandIn,
  method: string,
  path: string,
  body?: Body,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const text =
    body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const contentType = typeof body === 'string' ? 'application/x-ndjson' : 'application/json';
  const response = await fetch(`${standIn.url}${path}`, {
    method,
    headers: text === undefined ? headers : { 'content-type': contentType, ...headers },
    ...(text === undefined ? {} : { body: text }),
  });
  const raw = await response.text();
  let json: unknown;
  try {
    json = raw === '' ? undefined : JSON.parse(raw);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text: raw, json };
}

/** Reads a nested property of a JSON answer (`at(json, 'error', 'type')`). */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Reflect.get(current, key);
  }
  return current;
}

/** The `_id` of every hit. */
export const ids = (answer: Answer): unknown[] => {
  const hits = at(answer.json, 'hits', 'hits');
  return Array.isArray(hits) ? hits.map((hit) => at(hit, '_id')) : [];
};

/** The `_score` of every hit. */
export const scores = (answer: Answer): unknown[] => {
  const hits = at(answer.json, 'hits', 'hits');
  return Array.isArray(hits) ? hits.map((hit) => at(hit, '_score')) : [];
};

/** An NDJSON body (`_bulk`, `_msearch`): one JSON line each, newline-terminated. */
export const ndjson = (...lines: unknown[]): string =>
  lines.map((line) => JSON.stringify(line)).join('\n') + '\n';

/** The `Authorization` header of HTTP Basic credentials. */
export const basic = (name: string, password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`,
});

/** A stand-in for one test file: started once, reset after each test, closed at the end. */
export function useStandIn(options: OpenSearchStandInOptions = {}): {
  readonly standIn: StandIn;
  request: (method: string, path: string, body?: Body, headers?: Record<string, string>) => Promise<Answer>;
} {
  let started: StandIn | undefined;
  beforeAll(async () => {
    started = await startOpenSearchStandIn({ port: 0, ...options });
  });
  afterEach(async () => {
    await started?.reset();
  });
  afterAll(async () => {
    await started?.close();
  });
  const running = (): StandIn => {
    if (started === undefined) throw new Error('the stand-in has not started');
    return started;
  };
  return {
    get standIn() {
      return running();
    },
    request: (method, path, body, headers) => call(running(), method, path, body, headers),
  };
}
