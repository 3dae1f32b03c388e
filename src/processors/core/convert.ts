import { isIP } from 'node:net';
import { illegalArgument } from '../../errors/opensearch-error.js';
import { javaToString } from '../../painless/index.js';
import { defineProcessor } from '../processor-definition.js';
import { readField } from './field-value.js';
import { parseJavaDouble, parseJavaFloat, parseJavaInteger } from './java-number.js';
import { ignoreMissingOption, optionError, stringOption, targetFieldOption } from './options.js';

const CONVERT_TYPES = [
  'integer',
  'long',
  'float',
  'double',
  'boolean',
  'string',
  'ip',
  'auto',
] as const;
type ConvertType = (typeof CONVERT_TYPES)[number];

const CONVERSIONS: Record<ConvertType, (value: unknown) => unknown> = {
  integer: (value: unknown) =>
    parsedOrFail(value, parseJavaInteger(javaToString(value), 32), 'integer'),
  long: (value: unknown) => parsedOrFail(value, parseJavaInteger(javaToString(value), 64), 'long'),
  float: (value: unknown) => parsedOrFail(value, parseJavaFloat(javaToString(value)), 'float'),
  double: (value: unknown) => parsedOrFail(value, parseJavaDouble(javaToString(value)), 'double'),
  boolean: (value: unknown): boolean => {
    const text = javaToString(value).toLowerCase();
    if (text === 'true' || text === 'false') return text === 'true';
    throw illegalArgument(
      `[${javaToString(value)}] is not a boolean value, cannot convert to boolean`,
    );
  },
  string: (value: unknown): string => javaToString(value),
  // A valid address stays the string it was: the ip field type indexes strings.
  ip: (value: unknown): string => {
    if (typeof value === 'string' && isIP(value) !== 0) return value;
    throw illegalArgument(`[${javaToString(value)}] is not a valid ipv4/ipv6 address`);
  },
  auto: (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
    // Float before double, as OpenSearch tries them: any decimal becomes a float.
    return (
      parseJavaInteger(value, 32) ?? parseJavaInteger(value, 64) ?? parseJavaFloat(value) ?? value
    );
  },
};

function parsedOrFail(value: unknown, parsed: number | undefined, type: ConvertType): number {
  if (parsed === undefined)
    throw illegalArgument(`unable to convert [${javaToString(value)}] to ${type}`);
  return parsed;
}

interface ConvertConfig {
  field: string;
  type: string;
  target_field?: string;
  ignore_missing: boolean;
}

/** `convert`: converts a field (or each element of a list) to another type, with Java's parsing rules. */
export const convertProcessor = defineProcessor({
  type: 'convert',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field', 'type'],
    properties: {
      field: stringOption('The field to convert.'),
      type: stringOption('integer, long, float, double, boolean, string, ip or auto (any case).'),
      target_field: targetFieldOption,
      ignore_missing: ignoreMissingOption,
    },
  },
  create(config: ConvertConfig, _deps, tag) {
    // Type.valueOf(type.toUpperCase(Locale.ROOT)): case-insensitive, and uppercased first (`ı` becomes `I`).
    const type = config.type.toUpperCase().toLowerCase();
    if (!(CONVERT_TYPES as readonly string[]).includes(type)) {
      throw optionError(
        'convert',
        tag,
        'type',
        `type [${config.type}] not supported, cannot convert field.`,
      );
    }
    const convert = CONVERSIONS[type as ConvertType];
    return {
      type: 'convert',
      async execute(document) {
        const value = readField(document, config.field, 'object', config.ignore_missing);
        if ((value === undefined || value === null) && config.ignore_missing) return;
        if (value === undefined || value === null) {
          throw illegalArgument(
            `Field [${config.field}] is null, cannot be converted to type [${type}]`,
          );
        }
        document.setField(
          config.target_field ?? config.field,
          Array.isArray(value) ? value.map(convert) : convert(value),
        );
      },
    };
  },
});
