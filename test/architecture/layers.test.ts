/**
 * The one-way layering of DESIGN.md, checked on the sources' import statements: a layer imports only
 * from layers below it (or its own), so lower layers never learn about the ones built on them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');

/** Folders each layer may not import from (everything above it). */
/** The top: the service's telemetry and usage meter hear events through interfaces the layers below define. */
const TOP = ['telemetry', 'usage'];

const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  http: ['routes', 'pipeline', 'processors', 'models', 'tasks', 'connectors', 'proxy', ...TOP],
  security: ['routes', 'pipeline', 'processors', 'models', 'tasks', 'connectors', 'proxy', ...TOP],
  store: ['routes', 'pipeline', 'processors', 'models', 'tasks', 'connectors', 'http', 'proxy', ...TOP],
  query: ['routes', 'pipeline', 'processors', 'models', 'tasks', 'connectors', 'http', 'proxy', ...TOP],
  errors: ['routes', 'pipeline', 'processors', 'models', 'tasks', 'connectors', 'http', 'security', 'store', 'query', 'proxy', ...TOP],
  util: ['routes', 'pipeline', 'processors', 'models', 'tasks', 'connectors', 'http', 'security', 'store', 'query', 'proxy', ...TOP],
  models: ['routes', 'pipeline', 'processors', 'proxy', ...TOP],
  connectors: ['routes', 'pipeline', 'processors', 'models', 'tasks', 'proxy', ...TOP],
  pipeline: ['routes', 'proxy', ...TOP],
  cluster: ['routes', 'pipeline', 'processors', 'models', 'tasks', 'connectors', 'proxy', ...TOP],
};

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(folder, entry.name)) : entry.name.endsWith('.ts') ? [join(folder, entry.name)] : [],
  );
}

/** The top-level `src/` folder each relative import of `file` lands in. */
function importedLayers(file: string): string[] {
  const specifiers = [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'(\.[^']+)'/gms)].map((match) => match[1]!);
  return specifiers.map((specifier) => relative(SRC, resolve(dirname(file), specifier)).split(/[\\/]/)[0]!);
}

describe.for(Object.entries(FORBIDDEN))('src/%s', ([layer, forbidden]) => {
  it('should import nothing from the layers above it', () => {
    const violations = sourceFiles(join(SRC, layer)).flatMap((file) =>
      importedLayers(file)
        .filter((imported) => forbidden.includes(imported))
        .map((imported) => `${relative(SRC, file)} → ${imported}/`),
    );
    expect(violations).toEqual([]);
  });
});

describe('prom-client', () => {
  it('should be imported by src/telemetry/ only', () => {
    const importers = sourceFiles(SRC)
      .filter((file) => /from\s+'prom-client'/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file).split(/[\\/]/)[0]);
    expect(new Set(importers)).toEqual(new Set(['telemetry']));
  });
});
