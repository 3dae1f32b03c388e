import { illegalArgument } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import { defineProcessor } from '../processor-definition.js';
import { searchHits } from './search-hits.js';

export interface RenameFieldConfig {
  field: string;
  target_field: string;
  ignore_missing: boolean;
}

const TYPE = 'rename_field';

/**
 * `rename_field` (OpenSearch RenameFieldResponseProcessor): renames a top-level field in each
 * hit's `fields` and `_source`. A hit that has it in neither fails the search unless
 * `ignore_missing`. OpenSearch stops checking once any earlier hit had the field [quirk]; here
 * every hit is checked.
 */
export const renameFieldProcessor = defineProcessor({
  type: TYPE,
  kind: 'search_response',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['field', 'target_field'],
    properties: {
      field: { type: 'string', description: 'The top-level field to rename.' },
      target_field: { type: 'string', description: 'Its new name.' },
      ignore_missing: { type: 'boolean', default: false, description: 'Let hits without the field through instead of failing.' },
    },
  },
  create(config: RenameFieldConfig) {
    if (config.target_field === '__proto__') throw illegalArgument('Illegal key [__proto__] in target_field');
    return {
      type: TYPE,
      async processResponse(context) {
        for (const hit of searchHits(context.response)) {
          const renamedField = renameIn(hit['fields'], config.field, config.target_field);
          const renamedSource = renameIn(hit['_source'], config.field, config.target_field);
          if (!renamedField && !renamedSource && !config.ignore_missing) {
            throw illegalArgument(`Document with id ${String(hit['_id'])} is missing field ${config.field}`);
          }
        }
      },
    };
  },
});

function renameIn(container: unknown, field: string, target: string): boolean {
  if (!isJsonObject(container) || !Object.hasOwn(container, field)) return false;
  const value = container[field];
  delete container[field];
  container[target] = value;
  return true;
}
