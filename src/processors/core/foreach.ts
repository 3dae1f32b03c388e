import { illegalArgument } from '../../errors/opensearch-error.js';
import { defineProcessor } from '../processor-definition.js';
import { readField } from './field-value.js';
import { ignoreMissingOption, optionError, stringOption } from './options.js';

interface ForeachConfig {
  field: string;
  processor: Record<string, unknown>;
  ignore_missing: boolean;
}

/**
 * `foreach`: runs one processor once per element of a list field, with the element in
 * `_ingest._value`; whatever `_ingest._value` holds afterwards becomes the new element.
 */
export const foreachProcessor = defineProcessor({
  type: 'foreach',
  kind: 'ingest',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field', 'processor'],
    properties: {
      field: stringOption('The list field to iterate over.'),
      processor: {
        type: 'object',
        description: 'The processor to run for each element: `{ "<type>": { ...options } }`.',
      },
      ignore_missing: ignoreMissingOption,
    },
  },
  create(config: ForeachConfig, deps, tag) {
    if (Object.keys(config.processor).length !== 1)
      throw optionError('foreach', tag, 'processor', 'Must specify exactly one processor type');
    const processor = deps.buildIngestProcessor(config.processor, 'processor');
    return {
      type: 'foreach',
      async execute(document) {
        const values = readField(document, config.field, 'list', config.ignore_missing) as
          unknown[] | null | undefined;
        if ((values === undefined || values === null) && config.ignore_missing) return;
        if (values === undefined || values === null)
          throw illegalArgument(`field [${config.field}] is null, cannot loop over its elements.`);
        const ingest = document.ingestMetadata;
        const newValues: unknown[] = [];
        // A copy: the nested processor may change the list while we walk it.
        for (const value of [...values]) {
          const previous = ingest['_value'];
          ingest['_value'] = value;
          let outcome: void | 'drop';
          try {
            outcome = await processor.execute(document);
          } finally {
            newValues.push(ingest['_value']);
            // OpenSearch puts the previous value back even when there was none, leaving `_value: null`.
            ingest['_value'] = previous ?? null;
          }
          if (outcome === 'drop') return 'drop';
        }
        document.setField(config.field, newValues);
      },
    };
  },
});
