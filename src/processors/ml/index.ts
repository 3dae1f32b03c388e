import type { ProcessorDefinition } from '../processor-definition.js';

/** The ML ingest processors (neural-search and ml-commons). One import and one line per processor. */
export const mlIngestProcessors = {} as const satisfies Record<string, ProcessorDefinition<any, 'ingest'>>;
