import { defineProcessor } from '../processor-definition.js';
import { patternSyntaxError, replaceAllJava } from './java-pattern.js';
import { optionError, stringOption } from './options.js';
import {
  stringFieldProperties,
  transformStringField,
  type StringFieldConfig,
} from './string-processor.js';

interface GsubConfig extends StringFieldConfig {
  pattern: string;
  replacement: string;
}

/** `gsub`: replaces every match of a Java regular expression in a string field (or list of strings). */
export const gsubProcessor = defineProcessor({
  type: 'gsub',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field', 'pattern', 'replacement'],
    properties: {
      ...stringFieldProperties,
      pattern: stringOption('A Java regular expression.'),
      replacement: stringOption('The replacement; `$1` and `${name}` insert groups, `\\` escapes.'),
    },
  },
  create(config: GsubConfig, _deps, tag) {
    const syntaxError = patternSyntaxError(config.pattern);
    if (syntaxError !== undefined)
      throw optionError('gsub', tag, 'pattern', `Invalid regex pattern. ${syntaxError}`);
    return {
      type: 'gsub',
      execute: async (document) =>
        transformStringField(document, config, (value) =>
          replaceAllJava(value, config.pattern, config.replacement),
        ),
    };
  },
});
