import { OpenSearchError } from '../../errors/opensearch-error.js';

/**
 * A factory's `IllegalArgumentException`, as OpenSearch reports it when a pipeline is stored:
 * `ConfigurationUtils.readProcessor` keeps the exception's own type (unlike
 * `newConfigurationException(..., String reason)`, which is a `parse_exception`) and adds the
 * processor's type and tag to it.
 */
export function processorIllegalArgument(
  type: string,
  tag: string | undefined,
  reason: string,
): OpenSearchError {
  return new OpenSearchError({
    status: 400,
    type: 'illegal_argument_exception',
    reason,
    extra: { processor_type: type, ...(tag === undefined ? {} : { processor_tag: tag }) },
  });
}
