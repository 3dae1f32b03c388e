import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { illegalArgument } from '../errors/opensearch-error.js';

/**
 * Models' `interface.input` schemas are the users' own JSON Schema (Draft 2020-12, as ML Commons
 * validates them), not this service's request schemas, so they get their own lenient instance
 * instead of the shared strict one.
 */
const userSchemas = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<string, ValidateFunction>();
const MAX_CACHED = 500;

/** Compiles (once) a model's interface schema; a schema that does not compile is a 400. */
export function compileInterfaceSchema(schemaText: string): ValidateFunction {
  let validate = compiled.get(schemaText);
  if (!validate) {
    try {
      validate = userSchemas.compile(JSON.parse(schemaText) as object);
    } catch (error) {
      throw illegalArgument(`Invalid interface schema: ${(error as Error).message}`);
    }
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(schemaText, validate);
  }
  return validate;
}

/** Validates predict input against a model's `interface.input`, with ML Commons' message. */
export function assertMatchesInterface(schemaText: string, value: unknown): void {
  const validate = compileInterfaceSchema(schemaText);
  if (validate(value)) return;
  const details = (validate.errors ?? [])
    .map((error) => `${error.instancePath || '$'}: ${error.message ?? 'is invalid'}`)
    .join('; ');
  throw illegalArgument(
    `Error validating input schema, if you think this is expected, please update your 'input' field in the 'interface' field for this model: ${details}`,
  );
}
