import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import { parseError } from '../errors/opensearch-error.js';

/**
 * The one ajv instance of the service. Schemas are compiled once, at module load, by the module
 * that owns them. `strict` catches schema typos; `useDefaults` fills documented defaults.
 */
export const ajv = new Ajv({ allErrors: false, strict: true, useDefaults: true, allowUnionTypes: true });
// ajv-formats is CommonJS whose typings do not describe its ESM default; require it directly.
const addFormats = createRequire(import.meta.url)('ajv-formats') as (instance: Ajv) => Ajv;
addFormats(ajv);
// Lets schemas carry human-readable notes for fields without tripping strict mode.
ajv.addKeyword({ keyword: 'x-message' });

/** Compiles a schema with the shared instance. */
export const compileSchema = <T>(schema: object): ValidateFunction<T> => ajv.compile<T>(schema);

/** Wording for a missing or unknown field, keyed `<parentPath>/<field>`; a `*` segment matches any list index. */
export type ValidationMessages = Readonly<Record<string, string>>;

/**
 * Validates `value` and returns it typed, or throws a 400 that says what is wrong and where.
 * `messages` lets a resource keep ML Commons' exact wording for the failures it names.
 */
export function validateOrThrow<T>(
  validate: ValidateFunction<T>,
  value: unknown,
  context: { what: string; messages?: ValidationMessages; toError?: (reason: string) => Error },
): T {
  if (validate(value)) return value;
  const error = validate.errors?.[0];
  const reason = describeValidationError(error, context.what, context.messages ?? {});
  throw (context.toError ?? parseError)(reason);
}

function describeValidationError(
  error: ErrorObject | undefined,
  what: string,
  messages: ValidationMessages,
): string {
  if (!error) return `[${what}] is invalid`;
  const path = error.instancePath;
  // A message key may use `*` for a list index, so one entry covers every element.
  const generic = (key: string) => messages[key] ?? messages[key.replace(/\/\d+(?=\/|$)/g, '/*')];
  const field = path ? ` field [${path.slice(1).replaceAll('/', '.')}]` : '';
  const at = (suffix: string) => [path.slice(1).replaceAll('/', '.'), suffix].filter(Boolean).join('.');
  switch (error.keyword) {
    case 'required': {
      const missing = String(error.params['missingProperty']);
      return generic(`${path}/${missing}`) ?? `[${what}] missing required field [${at(missing)}]`;
    }
    case 'additionalProperties': {
      const extra = String(error.params['additionalProperty']);
      return generic(`${path}/${extra}`) ?? `[${what}] unknown field [${at(extra)}]`;
    }
    case 'type': {
      const expected = String(error.params['type']).replaceAll(',', ' or ');
      return `[${what}]${field} must be of type ${expected}`;
    }
    case 'enum': {
      const allowed = (error.params['allowedValues'] as unknown[]).join(', ');
      return `[${what}]${field} must be one of [${allowed}]`;
    }
    default:
      return `[${what}]${field} ${error.message ?? 'is invalid'}`;
  }
}
