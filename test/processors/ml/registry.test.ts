import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mlIngestProcessors } from '../../../src/processors/ml/index.js';

const entries = Object.entries(mlIngestProcessors);

describe('ML ingest processor registry', () => {
  it('lists the four ML ingest processors', () => {
    expect(Object.keys(mlIngestProcessors).sort()).toEqual([
      'ml_inference',
      'sparse_encoding',
      'text_chunking',
      'text_embedding',
    ]);
  });

  it.each(entries)('%s has a test file', (type) => {
    expect(existsSync(new URL(`./${type.replaceAll('_', '-')}.test.ts`, import.meta.url))).toBe(
      true,
    );
  });

  it.each(entries)(
    '%s is registered under its own type, as an ingest processor',
    (type, definition) => {
      expect(definition.type).toBe(type);
      expect(definition.kind).toBe('ingest');
    },
  );

  it.each(entries)(
    '%s has a closed schema that describes every option and leaves common options to the runner',
    (_type, definition) => {
      const schema = definition.configSchema as {
        type: string;
        additionalProperties: boolean;
        properties: Record<string, { description?: string }>;
      };
      expect(schema.type).toBe('object');
      expect(schema.additionalProperties).toBe(false);
      for (const [name, property] of Object.entries(schema.properties))
        expect(property.description, name).toBeTruthy();
      for (const common of ['tag', 'description', 'if', 'ignore_failure', 'on_failure'])
        expect(schema.properties).not.toHaveProperty(common);
    },
  );
});
