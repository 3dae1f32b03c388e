/** JSON Schemas of the predict bodies, one per input data set ML Commons parses. */

export const predictBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    parameters: { type: 'object', description: 'Request parameters; non-string values become JSON text.' },
    action_type: { type: 'string', description: 'Only predict is served here.' },
    dlq: { type: 'object', description: 'Accepted for compatibility; ignored.' },
  },
} as const;

export const textDocsBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['text_docs'],
  properties: {
    text_docs: { type: 'array', items: { type: ['string', 'null'] }, description: 'Texts to embed.' },
    return_number: { type: 'boolean', description: 'Accepted for compatibility.' },
    target_response: { type: 'array', items: { type: 'string' }, description: 'Accepted for compatibility.' },
    result_filter: { type: 'object', description: 'Accepted for compatibility.' },
  },
} as const;

export const textSimilarityBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['query_text', 'text_docs'],
  properties: {
    query_text: { type: 'string', description: 'The query.' },
    text_docs: { type: 'array', items: { type: 'string' }, description: 'Documents to score against the query.' },
  },
} as const;
