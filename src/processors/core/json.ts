import { illegalArgument } from '../../errors/opensearch-error.js';
import { javaToString } from '../../painless/index.js';
import { defineProcessor } from '../processor-definition.js';
import { setOwn } from './field-value.js';
import { JsonReadError, readFirstJsonValue } from './json-reader.js';
import { booleanOption, optionError, stringOption } from './options.js';

interface JsonConfig {
  field: string;
  target_field?: string;
  add_to_root: boolean;
  add_to_root_conflict_strategy?: string;
  allow_duplicate_keys: boolean;
}

type ConflictStrategy = 'replace' | 'merge';

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses the field's text (Java's `toString` of its value), failing with Jackson's exception as the reason. */
function parse(value: unknown, allowDuplicateKeys: boolean): unknown {
  try {
    return readFirstJsonValue(
      value === undefined || value === null ? 'null' : javaToString(value),
      allowDuplicateKeys,
    );
  } catch (error) {
    if (!(error instanceof JsonReadError)) throw error;
    throw illegalArgument(
      `com.fasterxml.jackson.core.JsonParseException: ${error.message}\n at [line: ${error.line}, column: ${error.column}]`,
      error,
    );
  }
}

/** JsonProcessor.recursiveMerge: maps merge key by key; anything else is replaced. */
function recursiveMerge(target: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(from)) {
    const existing = Object.hasOwn(target, key) ? target[key] : undefined;
    if (isMap(existing) && isMap(value)) recursiveMerge(existing, value);
    else setOwn(target, key, value);
  }
}

/** `json`: parses a JSON string field into its value, or merges a parsed object into the document root. */
export const jsonProcessor = defineProcessor({
  type: 'json',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field'],
    properties: {
      field: stringOption('The field holding JSON text.'),
      target_field: stringOption(
        'Where to write the parsed value; defaults to `field`. Not with `add_to_root`.',
      ),
      add_to_root: booleanOption(
        false,
        'Merge the parsed object into the top level of the document.',
      ),
      add_to_root_conflict_strategy: stringOption(
        'With `add_to_root`: `replace` (default) overwrites existing top-level fields, `merge` merges objects recursively.',
      ),
      allow_duplicate_keys: booleanOption(
        false,
        'Let the last of repeated keys win instead of failing.',
      ),
    },
  },
  create(config: JsonConfig, _deps, tag) {
    const strategyName = config.add_to_root_conflict_strategy ?? 'replace';
    const strategy = strategyName.toUpperCase().toLowerCase();
    if (strategy !== 'replace' && strategy !== 'merge') {
      throw optionError(
        'json',
        tag,
        'add_to_root_conflict_strategy',
        `conflict strategy [${strategyName}] not supported, cannot convert field.`,
      );
    }
    if (config.add_to_root && config.target_field !== undefined) {
      throw optionError(
        'json',
        tag,
        'target_field',
        'Cannot set a target field while also setting `add_to_root` to true',
      );
    }
    if (!config.add_to_root && config.add_to_root_conflict_strategy !== undefined) {
      throw optionError(
        'json',
        tag,
        'add_to_root_conflict_strategy',
        'Cannot set `add_to_root_conflict_strategy` if `add_to_root` is false',
      );
    }
    const conflictStrategy: ConflictStrategy = strategy;
    return {
      type: 'json',
      async execute(document) {
        if (!config.add_to_root) {
          document.setField(
            config.target_field ?? config.field,
            parse(document.getField(config.field), config.allow_duplicate_keys),
          );
          return;
        }
        // OpenSearch reads the key from the top level of ctx here, not as a dotted path.
        const root = document.sourceAndMetadata;
        const parsed = parse(
          Object.hasOwn(root, config.field) ? root[config.field] : null,
          config.allow_duplicate_keys,
        );
        if (!isMap(parsed)) throw illegalArgument('cannot add non-map fields to root of document');
        if (conflictStrategy === 'merge') recursiveMerge(root, parsed);
        else for (const [key, value] of Object.entries(parsed)) setOwn(root, key, value);
      },
    };
  },
});
