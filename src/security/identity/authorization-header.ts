/**
 * Reading the `Authorization` header without ever failing with a 5xx: every malformed shape is the
 * same 401, decided before any hashing, and nothing from the header reaches an error message.
 */
import { missingCredentials, unauthorized } from './auth-errors.js';
import type { HeaderReader } from './identity.js';

/** Longest header accepted; longer ones are refused before any decoding or hashing. */
export const MAX_AUTHORIZATION_LENGTH = 8 * 1024;

/** HTTP Basic credentials. */
export interface BasicCredentials {
  readonly scheme: 'basic';
  readonly name: string;
  readonly password: string;
  /** `Basic <token>`, re-spelled canonically (one space, canonical scheme case). */
  readonly header: string;
}

/** A bearer token (an API key, or a JWT the cluster checks). */
export interface BearerCredentials {
  readonly scheme: 'bearer';
  readonly token: string;
  /** `Bearer <token>`, re-spelled canonically. */
  readonly header: string;
}

/** What a well-formed `Authorization` header carries. */
export type Credentials = BasicCredentials | BearerCredentials;

// RFC 7235 token68; a bearer token must be one.
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// Rejects invalid UTF-8 instead of silently replacing it with U+FFFD.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
// Control characters have no place in a user name or password and could forge log lines.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Reads the caller's credentials; a missing header or any malformed one is a 401 with the Basic challenge. */
export function readCredentials(headers: HeaderReader): Credentials {
  const header = headers.get('authorization');
  if (header === null || header === undefined || header.trim() === '') throw missingCredentials();
  if (header.length > MAX_AUTHORIZATION_LENGTH) throw unauthorized();
  const match = /^\s*([A-Za-z]+) +(\S+)\s*$/.exec(header);
  if (match === null) throw unauthorized();
  const scheme = (match[1] as string).toLowerCase();
  const token = match[2] as string;
  if (scheme === 'basic') return readBasic(token);
  if (scheme === 'bearer' && TOKEN68.test(token))
    return { scheme: 'bearer', token, header: `Bearer ${token}` };
  throw unauthorized();
}

function readBasic(token: string): BasicCredentials {
  if (!BASE64.test(token)) throw unauthorized();
  let decoded: string;
  try {
    decoded = strictUtf8.decode(Buffer.from(token, 'base64'));
  } catch {
    throw unauthorized();
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0 || CONTROL_CHARACTERS.test(decoded)) throw unauthorized();
  return {
    scheme: 'basic',
    name: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    header: `Basic ${token}`,
  };
}
