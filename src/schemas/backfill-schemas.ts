/** JSON Schemas of the `_reindex` and `_update_by_query` bodies the sidecar runs itself. */

const conflicts = {
  type: 'string',
  enum: ['abort', 'proceed'],
  description: 'What a version conflict does: stop the job (abort, the default) or count it and go on.',
} as const;

const maxDocs = { type: 'integer', minimum: 0, description: 'The most documents the job processes.' } as const;

const query = { type: 'object', description: 'The query selecting the documents (default match_all).' } as const;

export const reindexBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['source', 'dest'],
  properties: {
    source: {
      type: 'object',
      additionalProperties: false,
      required: ['index'],
      properties: {
        index: {
          type: ['string', 'array'],
          items: { type: 'string' },
          description: 'The index expressions to read (a string, a comma list or an array).',
        },
        query,
        size: { type: 'integer', minimum: 1, description: 'Documents per batch (default 1000).' },
        _source: { description: 'Source filtering of the documents read, as in a search.' },
        remote: { description: 'Reindex from a remote cluster: refused when the sidecar runs the job.' },
        slice: { description: 'Manual slicing: refused when the sidecar runs the job.' },
        sort: { description: 'Deprecated in OpenSearch: refused when the sidecar runs the job.' },
      },
    },
    dest: {
      type: 'object',
      additionalProperties: false,
      required: ['index'],
      properties: {
        index: { type: 'string', description: 'The index written.' },
        pipeline: { type: 'string', description: 'The ingest pipeline (a sidecar pipeline makes the sidecar run the job).' },
        op_type: { type: 'string', enum: ['index', 'create'], description: 'index (overwrite) or create (only new ids).' },
        version_type: {
          type: 'string',
          enum: ['internal', 'external', 'external_gte'],
          description: 'external and external_gte keep the source versions.',
        },
        routing: { type: 'string', description: 'keep (default), discard, or =<value>.' },
      },
    },
    max_docs: maxDocs,
    size: { ...maxDocs, description: 'Deprecated spelling of max_docs.' },
    conflicts,
    script: { description: 'A reindex script: refused when the sidecar runs the job (use the pipeline).' },
  },
} as const;

export const updateByQueryBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    query,
    max_docs: maxDocs,
    conflicts,
    script: { description: 'An update script: refused when the sidecar runs the job (use the pipeline).' },
    slice: { description: 'Manual slicing: refused when the sidecar runs the job.' },
    sort: { description: 'Deprecated in OpenSearch: refused when the sidecar runs the job.' },
  },
} as const;
