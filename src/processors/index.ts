import { coreIngestProcessors } from './core/index.js';
import { mlIngestProcessors } from './ml/index.js';
import type { ProcessorDefinition } from './processor-definition.js';

/** Every ingest processor type, by the key pipelines use. */
export const ingestProcessorDefinitions = {
  ...coreIngestProcessors,
  ...mlIngestProcessors,
} as const satisfies Record<string, ProcessorDefinition<any, 'ingest'>>;
