/**
 * Small readers for parsed JSON, in the terms ML Commons' Java checks use.
 */

/** A JSON object (Java `instanceof Map`): not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The Java class Jayway's default provider (json-smart) parses a non-number JSON value into, for
 * messages that name it, e.g. `Unexpected type for relevanceScore: java.lang.String`.
 */
export function javaClassName(value: unknown): string {
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (Array.isArray(value)) return 'net.minidev.json.JSONArray';
  return 'java.util.LinkedHashMap';
}
