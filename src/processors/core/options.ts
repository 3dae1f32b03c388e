/**
 * Pieces shared by the core processors' option schemas, and the configuration error for checks a
 * schema cannot express (OpenSearch's `newConfigurationException` with a property name).
 */
import { OpenSearchError } from '../../errors/opensearch-error.js';
import { processorConfigError } from '../validate-config.js';
import { TemplateSyntaxError } from './template.js';

/** `[property] reason`, a 400 `parse_exception` naming the processor, as ConfigurationUtils words it. */
export const optionError = (
  type: string,
  tag: string | undefined,
  property: string,
  reason: string,
): OpenSearchError => processorConfigError(type, tag, property, `[${property}] ${reason}`);

/** A required or optional string option. */
export const stringOption = (description: string) => ({ type: 'string', description }) as const;

/** A boolean option with its default. */
export const booleanOption = (defaultValue: boolean, description: string) =>
  ({ type: 'boolean', default: defaultValue, description }) as const;

/** `ignore_missing` as every field processor has it. */
export const ignoreMissingOption = booleanOption(
  false,
  'Leave the document unchanged when the field is missing or null, instead of failing.',
);

/** `target_field` of the processors that write their result elsewhere (default: the field itself). */
export const targetFieldOption = stringOption('Where to write the result; defaults to `field`.');

/**
 * Compiles a templated option (ConfigurationUtils.compileTemplate, ValueSource.wrap) at create
 * time; a template that does not parse is the pipeline's error, not each document's.
 */
export function compileOption<T>(
  type: string,
  tag: string | undefined,
  property: string,
  compile: () => T,
): T {
  try {
    return compile();
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    throw new OpenSearchError({
      status: 400,
      type: 'script_exception',
      reason: error.message,
      extra: {
        lang: 'mustache',
        property_name: property,
        processor_type: type,
        ...(tag === undefined ? {} : { processor_tag: tag }),
      },
    });
  }
}
