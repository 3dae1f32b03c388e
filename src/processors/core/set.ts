import { illegalArgument } from '../../errors/opensearch-error.js';
import type { IngestDocument } from '../../pipeline/ingest-document.js';
import { defineProcessor } from '../processor-definition.js';
import { deepCopy } from './field-value.js';
import { booleanOption, compileOption, optionError, stringOption } from './options.js';
import { compileTemplate, templateModel } from './template.js';
import { wrapValue } from './value-source.js';

interface SetConfig {
  field: string;
  value?: unknown;
  copy_from?: string;
  override: boolean;
  ignore_empty_value: boolean;
}

/** `set`: sets a field to a (templated) value, or to a copy of another field with `copy_from`. */
export const setProcessor = defineProcessor({
  type: 'set',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field'],
    properties: {
      field: stringOption('The field to set; supports `{{field}}` templates.'),
      value: {
        description:
          'Any JSON value; strings (and map keys) support `{{field}}` templates. Required unless `copy_from` is set.',
      },
      copy_from: stringOption(
        'A field whose value is deep-copied into `field`, instead of `value`.',
      ),
      override: booleanOption(
        true,
        'Replace an existing non-null value; when false, only missing or null fields are set.',
      ),
      ignore_empty_value: booleanOption(
        false,
        'Do nothing when a templated `value` (or the `copy_from` field) is null or empty.',
      ),
    },
  },
  create(config: SetConfig, _deps, tag) {
    const field = compileOption('set', tag, 'field', () => compileTemplate(config.field));
    const copyFrom = config.copy_from;
    if (copyFrom !== undefined && config.value !== undefined && config.value !== null) {
      throw optionError('set', tag, 'copy_from', 'either copy_from or value can be set');
    }
    if (copyFrom === undefined && (config.value === undefined || config.value === null)) {
      throw optionError('set', tag, 'value', 'required property is missing');
    }
    const value =
      copyFrom === undefined
        ? compileOption('set', tag, 'value', () => wrapValue(config.value))
        : undefined;
    const copyField = (document: IngestDocument, from: string, to: string): void => {
      if (from === '') throw illegalArgument('copy_from cannot be empty');
      const source = document.getField(from, config.ignore_empty_value);
      const empty = source === undefined || source === null || source === '';
      if (config.ignore_empty_value && empty) return;
      document.setField(to, deepCopy(source));
    };
    return {
      type: 'set',
      async execute(document) {
        const model = templateModel(document);
        if (!config.override) {
          const path = field.render(model);
          if (document.hasField(path) && document.getField(path) !== null) return;
        }
        if (value === undefined) {
          if (copyFrom !== undefined) copyField(document, copyFrom, field.render(model));
          return;
        }
        const resolved = value.resolve(model);
        // OpenSearch only treats a templated value as possibly empty; a literal "" is still set.
        if (config.ignore_empty_value && value.isTemplate && resolved === '') return;
        document.setField(field.render(model), resolved);
      },
    };
  },
});
