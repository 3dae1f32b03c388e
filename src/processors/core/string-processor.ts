/**
 * OpenSearch's AbstractStringProcessor, behind `lowercase`, `uppercase`, `trim`, `gsub` and
 * `html_strip`: the field holds a string or a list of strings; the result goes to `target_field`.
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import { javaToString } from '../../painless/index.js';
import type { IngestDocument } from '../../pipeline/ingest-document.js';
import { defineProcessor } from '../processor-definition.js';
import { javaClassName, readField } from './field-value.js';
import { ignoreMissingOption, stringOption, targetFieldOption } from './options.js';

/** The options every string processor has. */
export interface StringFieldConfig {
  field: string;
  target_field?: string;
  ignore_missing: boolean;
}

/** Schema properties for `field`, `target_field` and `ignore_missing`. */
export const stringFieldProperties = {
  field: stringOption('The field holding a string or a list of strings.'),
  target_field: targetFieldOption,
  ignore_missing: ignoreMissingOption,
} as const;

/** Java's `String.trim`: every character up to U+0020 at either end, and no other whitespace. */
export const javaTrim = (value: string): string =>
  value.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');

/** Applies `transform` to the field's string (or to each string of its list) and writes the result. */
export function transformStringField(
  document: IngestDocument,
  config: StringFieldConfig,
  transform: (value: string) => string,
): void {
  const { field, ignore_missing: ignoreMissing } = config;
  const value = readField(document, field, 'object', ignoreMissing);
  if ((value === undefined || value === null) && ignoreMissing) return;
  if (value === undefined || value === null)
    throw illegalArgument(`field [${field}] is null, cannot process it.`);
  let result: string | string[];
  if (Array.isArray(value)) {
    result = value.map((item: unknown) => {
      if (typeof item === 'string') return transform(item);
      throw illegalArgument(
        `value [${javaToString(item)}] of type [${javaClassName(item)}] in list field [${field}] cannot be cast to [java.lang.String]`,
      );
    });
  } else if (typeof value === 'string') {
    result = transform(value);
  } else {
    throw illegalArgument(
      `field [${field}] of type [${javaClassName(value)}] cannot be cast to [java.lang.String]`,
    );
  }
  document.setField(config.target_field ?? field, result);
}

/** A processor that rewrites one string field (or list of strings) with `transform`. */
export function defineStringProcessor(type: string, transform: (value: string) => string) {
  return defineProcessor({
    type,
    kind: 'ingest',
    configSchema: { type: 'object', additionalProperties: false, required: ['field'], properties: stringFieldProperties },
    create: (config: StringFieldConfig) => ({
      type,
      execute: async (document) => transformStringField(document, config, transform),
    }),
  });
}
