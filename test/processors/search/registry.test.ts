import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProcessorDefinition } from '../../../src/processors/processor-definition.js';
import { searchPhaseResultsProcessors, searchRequestProcessors, searchResponseProcessors } from '../../../src/processors/search/index.js';
import { compileSchema } from '../../../src/schemas/ajv.js';

type Json = Record<string, unknown>;

/** The test file of each registry entry (a new processor needs a line here, and its tests). */
const TEST_FILES: Record<string, Record<string, string>> = {
  search_request: {
    neural_query_enricher: 'neural-query-enricher.test.ts',
    ml_inference: 'ml-inference-request.test.ts',
    filter_query: 'filter-query.test.ts',
    neural_sparse_two_phase_processor: 'neural-sparse-two-phase.test.ts',
  },
  search_response: {
    ml_inference: 'ml-inference-response.test.ts',
    retrieval_augmented_generation: 'retrieval-augmented-generation.test.ts',
    rerank: 'rerank.test.ts',
    rename_field: 'rename-field.test.ts',
    hybrid_score_explanation: 'hybrid/hybrid-score-explanation.test.ts',
  },
  search_phase_results: {
    'normalization-processor': 'hybrid/normalization-processor.test.ts',
    'score-ranker-processor': 'hybrid/score-ranker-processor.test.ts',
  },
};

const registries: Array<[string, Readonly<Record<string, ProcessorDefinition<unknown>>>]> = [
  ['search_request', searchRequestProcessors],
  ['search_response', searchResponseProcessors],
  ['search_phase_results', searchPhaseResultsProcessors],
];

/** Every `properties` entry of a schema, nested ones too, with its path. */
function propertiesOf(schema: Json, path = ''): Array<[string, Json]> {
  const properties = (schema['properties'] ?? {}) as Record<string, Json>;
  return Object.entries(properties).flatMap(([name, property]) => [[`${path}${name}`, property] as [string, Json], ...propertiesOf(property, `${path}${name}.`)]);
}

describe.each(registries)('%s registry', (kind, registry) => {
  it('should have a test file for every entry, and no entry without one', () => {
    expect(Object.keys(registry).sort()).toEqual(Object.keys(TEST_FILES[kind] ?? {}).sort());
    for (const file of Object.values(TEST_FILES[kind] ?? {})) expect(existsSync(new URL(file, import.meta.url)), file).toBe(true);
  });

  it.each(Object.entries(registry))('%s: key, kind and schema', (key, definition) => {
    expect(definition.type).toBe(key);
    expect(definition.kind).toBe(kind);
    const schema = definition.configSchema as Json;
    expect(() => compileSchema(schema)).not.toThrow();
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
    for (const [path, property] of propertiesOf(schema)) expect(property['description'], path).toEqual(expect.any(String));
    for (const common of ['tag', 'description', 'ignore_failure']) expect(Object.keys(schema['properties'] as Json)).not.toContain(common);
  });
});

describe('ml_inference', () => {
  it('should be two different processors for requests and responses', () => {
    expect(searchRequestProcessors.ml_inference).not.toBe(searchResponseProcessors.ml_inference);
  });
});
