import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Pipeline definitions read from a folder, split by kind. */
export interface PipelineFiles {
  readonly ingest: ReadonlyMap<string, unknown>;
  readonly search: ReadonlyMap<string, unknown>;
}

/**
 * Reads `<folder>/*.json` (id = file name without `.json`). A body with `processors` is an ingest
 * pipeline; one with `request_processors`, `response_processors` or `phase_results_processors` is a
 * search pipeline. A missing folder is an empty catalog; an unreadable file stops the start.
 */
export function loadPipelineFiles(folder: string | undefined): PipelineFiles {
  const ingest = new Map<string, unknown>();
  const search = new Map<string, unknown>();
  if (folder === undefined) return { ingest, search };
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ingest, search };
    throw error;
  }
  for (const name of names) {
    const id = basename(name, '.json');
    let body: unknown;
    try {
      body = JSON.parse(readFileSync(join(folder, name), 'utf8'));
    } catch (error) {
      throw new Error(`pipelines/${name} is not valid JSON: ${(error as Error).message}`);
    }
    const keys = typeof body === 'object' && body !== null ? Object.keys(body) : [];
    if (keys.some((key) => key.endsWith('_processors'))) search.set(id, body);
    else ingest.set(id, body);
  }
  return { ingest, search };
}
