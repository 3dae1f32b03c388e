/** JSON Schemas of the ingest and search pipeline bodies (the processors are checked one by one). */

const processorList = {
  type: 'array',
  items: { type: 'object', description: 'One processor: `{ "<type>": { ...options } }`.' },
} as const;

export const ingestPipelineSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['processors'],
  properties: {
    description: { type: 'string', description: 'Free text.' },
    processors: { ...processorList, description: 'The processors, run in order.' },
    on_failure: { ...processorList, minItems: 1, description: 'Run when a processor fails and nothing else handled it.' },
    version: { type: 'integer', description: 'A version number for the caller’s bookkeeping.' },
    _meta: { type: 'object', description: 'Free-form metadata.' },
  },
} as const;

export const simulateBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['docs'],
  properties: {
    pipeline: { type: 'object', description: 'An inline pipeline (required without a pipeline id).' },
    docs: {
      type: 'array',
      description: 'Documents to run through the pipeline.',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          _index: { type: 'string', description: 'Index name (default `_index`).' },
          _id: { type: 'string', description: 'Document id (default `_id`).' },
          _routing: { type: 'string', description: 'Routing value.' },
          _source: { type: 'object', description: 'The document.' },
        },
      },
    },
  },
} as const;

export const searchPipelineSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    description: { type: 'string', description: 'Free text.' },
    version: { type: 'integer', description: 'A version number for the caller’s bookkeeping.' },
    request_processors: { ...processorList, description: 'Run on the search request, in order.' },
    response_processors: { ...processorList, description: 'Run on the search response, in order.' },
    phase_results_processors: { ...processorList, description: 'Between the query and fetch phases: how a hybrid query is scored.' },
    _meta: { type: 'object', description: 'Free-form metadata.' },
  },
} as const;

export const searchSimulateBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['request'],
  properties: {
    pipeline: { type: 'object', description: 'An inline search pipeline (required without a pipeline id).' },
    request: { type: 'object', description: 'The search body to rewrite.' },
    response: { type: 'object', description: 'A search response to process (as the cluster would answer).' },
  },
} as const;
