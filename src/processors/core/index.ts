import type { ProcessorDefinition } from '../processor-definition.js';

/** OpenSearch's everyday ingest processors. One import and one line per processor. */
export const coreIngestProcessors = {} as const satisfies Record<string, ProcessorDefinition<any, 'ingest'>>;
