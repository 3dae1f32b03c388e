/**
 * `exists`: the field has at least one indexed value. `null`, `[]`, a keyword past its
 * `ignore_above` and a text value with no tokens are absent, as in OpenSearch. On an object field
 * it asks whether any sub-field has a value.
 */
import { badValue, parsingException } from '../errors.js';
import { childPath, expectMap, expectString } from '../json.js';
import { checkKeys, option, readBoost, readName } from '../parse-util.js';
import { NO_MATCH, type CompileEnv, type QueryNode } from '../query-node.js';
import { collectValues, hasScalar } from '../values.js';

/** `{"exists": {"field": "f"}}`. */
export function compileExists(body: unknown, env: CompileEnv, path: string): QueryNode {
  const map = expectMap(body, path);
  checkKeys('exists', map, ['field'], path);
  readName(map, path);
  const raw = option(map, 'field');
  if (raw === undefined)
    throw parsingException(`[exists] must be provided with a [field] at [${path}]`);
  const name = expectString(raw, childPath(path, 'field'));
  if (name.includes('*'))
    throw badValue(
      `[exists] field patterns are not supported by this service: [${name}] at [${childPath(path, 'field')}]`,
    );
  const boost = readBoost(map, path);
  const field = env.field(name);
  switch (field.kind) {
    case 'none':
      return NO_MATCH;
    case 'object':
      return {
        evaluate: (doc) =>
          field.nestedPath === doc.nestedPath &&
          collectValues(doc.source, field.sourcePath).some(hasScalar)
            ? boost
            : null,
      };
    case 'dynamic':
      return {
        evaluate(doc, ctx) {
          if (ctx.values(field, doc).length > 0) return boost;
          if (field.nestedPath !== doc.nestedPath) return null;
          // An unmapped object (dynamic `object`) exists when any of its leaves does.
          const objects = collectValues(doc.source, field.sourcePath).filter(
            (v) => typeof v === 'object',
          );
          return objects.some(hasScalar) ? boost : null;
        },
      };
    default:
      return { evaluate: (doc, ctx) => (ctx.values(field, doc).length > 0 ? boost : null) };
  }
}
