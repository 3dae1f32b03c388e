import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreIngestProcessors } from '../../../src/processors/core/index.js';
import { compileSchema } from '../../../src/schemas/ajv.js';

const entries = Object.entries(coreIngestProcessors);
const COMMON_OPTIONS = ['tag', 'description', 'if', 'ignore_failure', 'on_failure'];

interface OptionSchema {
  type?: unknown;
  additionalProperties?: unknown;
  properties?: Record<string, { description?: unknown }>;
}

describe('the core processor registry', () => {
  it('holds the everyday processors', () => {
    expect(Object.keys(coreIngestProcessors).sort()).toEqual([
      'append',
      'convert',
      'copy',
      'drop',
      'fail',
      'foreach',
      'gsub',
      'html_strip',
      'join',
      'json',
      'lowercase',
      'remove',
      'rename',
      'script',
      'set',
      'split',
      'trim',
      'uppercase',
    ]);
  });

  describe.for(entries)('%s', ([key, definition]) => {
    const schema = definition.configSchema as OptionSchema;

    it('is registered under its own type, as an ingest processor', () => {
      expect(definition.type).toBe(key);
      expect(definition.kind).toBe('ingest');
    });

    it('has a schema that compiles in strict mode', () => {
      expect(() => compileSchema(definition.configSchema)).not.toThrow();
    });

    it('has a closed object schema with a description on every option, and no common option', () => {
      expect(schema.type).toBe('object');
      expect(schema.additionalProperties).toBe(false);
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        expect(property.description, name).toEqual(expect.any(String));
        expect(COMMON_OPTIONS).not.toContain(name);
      }
    });

    it('has a test file', () => {
      expect(existsSync(new URL(`./${key.replaceAll('_', '-')}.test.ts`, import.meta.url))).toBe(
        true,
      );
    });
  });
});
