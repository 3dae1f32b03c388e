import { randomBytes } from 'node:crypto';

/** Produces record ids. Injected so tests can make ids predictable. */
export type IdGenerator = () => string;

/** 20 url-safe characters, the length and alphabet of OpenSearch's auto-generated ids. */
export const randomId: IdGenerator = () => randomBytes(15).toString('base64url');
