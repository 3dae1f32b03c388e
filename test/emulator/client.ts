/** Test client for the provider emulator: plain node:http requests and aws4-signed ones. */
import aws4 from 'aws4';
import { createHash } from 'node:crypto';
import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { Emulator } from '../../fixtures/emulator/start-emulator.js';
import {
  TEST_API_KEY,
  TEST_AWS_ACCESS_KEY_ID,
  TEST_AWS_SECRET_ACCESS_KEY,
  TEST_AWS_SESSION_TOKEN,
  TEST_AWS_TEMPORARY_ACCESS_KEY_ID,
} from '../../fixtures/emulator/test-credentials.js';

/** A received answer. `json` is undefined when the body is not JSON. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The raw body (binary answers: AWS event streams). */
  bytes: Buffer;
  json: unknown;
}

/** Parsed JSON viewed for assertions: any key may be read, and may be missing. */
export type Loose = { readonly [key: string]: Loose };

/** Sends one request without connection reuse; rejects when the connection drops. */
export function send(
  emulator: Emulator,
  options: { method?: string; path: string; headers?: OutgoingHttpHeaders; body?: string | Buffer },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port: emulator.port,
        method: options.method ?? 'POST',
        path: options.path,
        headers: options.headers,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const text = bytes.toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, bytes, json });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** POSTs JSON with `Authorization: Bearer test-key` unless other headers are given. */
export function postJson(
  emulator: Emulator,
  path: string,
  body: unknown,
  headers?: OutgoingHttpHeaders,
): Promise<Answer> {
  return send(emulator, {
    path,
    headers: {
      'content-type': 'application/json',
      ...(headers ?? { authorization: `Bearer ${TEST_API_KEY}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Which test credentials to sign with. */
export type SigningIdentity = 'long-term' | 'temporary' | aws4.Credentials;

/** Options for a SigV4-signed request. */
export interface SignedOptions {
  service: string;
  region?: string;
  identity?: SigningIdentity;
  headers?: Record<string, string>;
  method?: string;
  /** Replaces the body after signing (to prove tampering is caught). */
  bodyAfterSigning?: string;
}

function credentialsFor(identity: SigningIdentity): aws4.Credentials {
  if (identity === 'long-term')
    return { accessKeyId: TEST_AWS_ACCESS_KEY_ID, secretAccessKey: TEST_AWS_SECRET_ACCESS_KEY };
  if (identity === 'temporary') {
    return {
      accessKeyId: TEST_AWS_TEMPORARY_ACCESS_KEY_ID,
      secretAccessKey: TEST_AWS_SECRET_ACCESS_KEY,
      sessionToken: TEST_AWS_SESSION_TOKEN,
    };
  }
  return identity;
}

/** The SHA-256 hex digest of `text`. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Signs with aws4 (as the sidecar would) and sends the exact signed request. */
export function signedPost(
  emulator: Emulator,
  path: string,
  body: unknown,
  options: SignedOptions,
): Promise<Answer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const signed = aws4.sign(
    {
      host: `127.0.0.1:${emulator.port}`,
      method: options.method ?? 'POST',
      path,
      service: options.service,
      region: options.region ?? 'us-east-1',
      body: text,
      headers: {
        'content-type': 'application/json',
        'x-amz-content-sha256': sha256(text),
        ...options.headers,
      },
    },
    credentialsFor(options.identity ?? 'long-term'),
  );
  return send(emulator, {
    method: options.method ?? 'POST',
    path: signed.path ?? path,
    headers: signed.headers,
    body: options.bodyAfterSigning ?? text,
  });
}

/** The answer's JSON body, for `?.` navigation in assertions. */
export const asJson = (answer: Answer): Loose => answer.json as Loose;

/** `value` as an array (throws otherwise, failing the test). */
export function list(value: unknown): unknown[] {
  if (!Array.isArray(value))
    throw new Error(`expected an array, got ${JSON.stringify(value)?.slice(0, 200)}`);
  return value;
}

/** `value` as an array of numbers (throws otherwise, failing the test). */
export function numbers(value: unknown): number[] {
  const items = list(value);
  if (!items.every((item) => typeof item === 'number'))
    throw new Error('expected an array of numbers');
  return items as number[];
}
