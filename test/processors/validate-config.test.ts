import { describe, expect, it } from 'vitest';
import { isOpenSearchError, type OpenSearchError } from '../../src/errors/opensearch-error.js';
import { ingestProcessorDefinitions } from '../../src/processors/index.js';
import type { ProcessorDefinition } from '../../src/processors/processor-definition.js';
import { searchPhaseResultsProcessors, searchRequestProcessors, searchResponseProcessors } from '../../src/processors/search/index.js';
import { validateProcessorConfig } from '../../src/processors/validate-config.js';

const everyProcessor: Array<[string, ProcessorDefinition]> = [
  ...Object.entries(ingestProcessorDefinitions),
  ...Object.entries(searchRequestProcessors),
  ...Object.entries(searchResponseProcessors),
  ...Object.entries(searchPhaseResultsProcessors),
].map(([type, definition]) => [`${definition.kind} ${type}`, definition as ProcessorDefinition]);

function rejection(definition: ProcessorDefinition, config: Record<string, unknown>, tag?: string): OpenSearchError {
  try {
    validateProcessorConfig(definition, config, tag);
  } catch (error) {
    if (isOpenSearchError(error)) return error;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('validateProcessorConfig', () => {
  it.each(everyProcessor)('%s reports an unknown option before any missing required one', (_name, definition) => {
    const error = rejection(definition, { field_mapp: { a: 'b' } });
    expect(error.status).toBe(400);
    expect(error.type).toBe('parse_exception');
    expect(error.reason).toContain("doesn't support one or more provided configuration parameters");
    expect(error.reason).toContain('[field_mapp]');
  });

  it.each([
    [
      'text_embedding with a misspelt field_map',
      ingestProcessorDefinitions.text_embedding,
      { model_id: 'm', field_mapp: { text: 'vector' } },
      undefined,
      "processor [text_embedding] doesn't support one or more provided configuration parameters [field_mapp]",
    ],
    [
      'an ingest processor with a tag (the type alone is named)',
      ingestProcessorDefinitions.lowercase,
      { fild: 'a', colour: 'red' },
      'low',
      "processor [lowercase] doesn't support one or more provided configuration parameters [fild, colour]",
    ],
    [
      'a search response processor without a tag',
      searchResponseProcessors.rename_field,
      { feld: 'a' },
      undefined,
      "processor [rename_field] doesn't support one or more provided configuration parameters: [feld]",
    ],
    [
      'a search request processor with a tag (type:tag, as Pipeline.readProcessors)',
      searchRequestProcessors.neural_query_enricher,
      { model_id: 'x' },
      'enrich',
      "processor [neural_query_enricher:enrich] doesn't support one or more provided configuration parameters: [model_id]",
    ],
  ])('words %s as OpenSearch does', (_case, definition, config, tag, reason) => {
    const error = rejection(definition as ProcessorDefinition, config, tag);
    expect(error.reason).toBe(reason);
    expect(error.extra).toMatchObject({ processor_type: definition.type, ...(tag === undefined ? {} : { processor_tag: tag }) });
  });

  it('still reports a missing required option when every option is known', () => {
    expect(rejection(ingestProcessorDefinitions.text_embedding, { model_id: 'm' }).reason).toBe('[field_map] required property is missing');
  });
});
