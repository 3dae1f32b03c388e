/**
 * What OpenSearch's document parser refuses because of the mapping: a new field where `dynamic`
 * is `strict` (on the root or the enclosing object, inherited downwards) and a concrete value
 * where an object is mapped. A disabled object (`enabled: false`) takes any shape, unchecked.
 * New fields elsewhere are accepted (dynamic mapping is not recorded in the stand-in's mapping).
 */
import { isJsonObject, type JsonObject } from './json.js';
import { mapperParsing, OpenSearchFailure } from './responses.js';

const strictRefusal = (field: string, within: string): OpenSearchFailure =>
  new OpenSearchFailure(400, {
    type: 'strict_dynamic_mapping_exception',
    reason: `mapping set to strict, dynamic introduction of [${field}] within [${within}] is not allowed`,
  });

const isObjectLike = (definition: JsonObject): boolean =>
  [undefined, 'object', 'nested'].includes(definition['type'] as string | undefined);

function checkObject(
  source: JsonObject,
  properties: unknown,
  dynamic: unknown,
  within: string,
  prefix: string,
): void {
  const mapped = isJsonObject(properties) ? properties : {};
  for (const [key, value] of Object.entries(source)) {
    const definition = Object.hasOwn(mapped, key) ? mapped[key] : undefined;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (!isJsonObject(definition)) {
      if (dynamic === 'strict' && definition === undefined) throw strictRefusal(key, within);
      continue;
    }
    if (!isObjectLike(definition) || definition['enabled'] === false) continue;
    for (const element of Array.isArray(value) ? value : [value]) {
      if (element === null) continue;
      if (!isJsonObject(element)) {
        throw mapperParsing(
          `object mapping for [${path}] tried to parse field [${key}] as object, but found a concrete value`,
        );
      }
      checkObject(element, definition['properties'], definition['dynamic'] ?? dynamic, path, path);
    }
  }
}

/** Throws OpenSearch's 400 when `source` cannot be indexed under `mappings`. */
export function checkDocumentMapping(mappings: JsonObject, source: JsonObject): void {
  checkObject(source, mappings['properties'], mappings['dynamic'], '_doc', '');
}
