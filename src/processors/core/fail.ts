import { OpenSearchError } from '../../errors/opensearch-error.js';
import { defineProcessor } from '../processor-definition.js';
import { compileOption, stringOption } from './options.js';
import { compileTemplate, renderTemplate } from './template.js';

/** `fail`: fails the document with a (templated) message, as OpenSearch's FailProcessorException. */
export const failProcessor = defineProcessor({
  type: 'fail',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['message'],
    properties: { message: stringOption('The failure message; supports `{{field}}` templates.') },
  },
  create(config: { message: string }, _deps, tag) {
    const message = compileOption('fail', tag, 'message', () => compileTemplate(config.message));
    return {
      type: 'fail',
      async execute(document) {
        // A RuntimeException in OpenSearch, hence 500 rather than 400.
        throw new OpenSearchError({
          status: 500,
          type: 'fail_processor_exception',
          reason: renderTemplate(message, document),
        });
      },
    };
  },
});
