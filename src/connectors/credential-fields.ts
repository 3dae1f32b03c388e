/**
 * Where records keep encrypted credentials: a connector's `credential` and `previous_credential`,
 * and the same two maps of a model's inline `connector`. Copying a state and rotating the master
 * key walk records through this one description.
 */
import { isJsonObject } from '../util/json.js';

/** The maps of encrypted values, by field name (the field is part of each value's associated data). */
export const CREDENTIAL_FIELDS = ['credential', 'previous_credential'] as const;
export type CredentialField = (typeof CREDENTIAL_FIELDS)[number];

/** A connector at the top of the record, or a model's inline connector. */
const HOLDERS: ReadonlyArray<readonly string[]> = [[], ['connector']];

type Transform = (values: Readonly<Record<string, string>>, field: CredentialField) => Record<string, string>;

/** The record with every credential map replaced by `transform(map, field)`; the record itself is not changed. */
export function mapCredentials<T extends Record<string, unknown>>(record: T, transform: Transform): T {
  let result: Record<string, unknown> = record;
  for (const path of HOLDERS) {
    const holder = path.length === 0 ? result : result[path[0]!];
    if (!isJsonObject(holder)) continue;
    let replaced: Record<string, unknown> | undefined;
    for (const field of CREDENTIAL_FIELDS) {
      const values = holder[field];
      if (!isStringMap(values)) continue;
      replaced ??= { ...holder };
      replaced[field] = transform(values, field);
    }
    if (replaced === undefined) continue;
    result = path.length === 0 ? replaced : { ...result, [path[0]!]: replaced };
  }
  return result as T;
}

/** Every encrypted value a record holds. */
export function credentialValues(record: Record<string, unknown>): string[] {
  const values: string[] = [];
  mapCredentials(record, (map) => {
    values.push(...Object.values(map));
    return { ...map };
  });
  return values;
}

function isStringMap(value: unknown): value is Record<string, string> {
  return isJsonObject(value) && Object.values(value).every((entry) => typeof entry === 'string');
}
