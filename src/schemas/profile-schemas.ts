/** The optional body of ML Commons' profile API (`MLProfileInput`). */
export const profileBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    node_ids: { type: 'array', items: { type: 'string' }, description: 'Nodes to profile (this replica answers for itself).' },
    model_ids: { type: 'array', items: { type: 'string' }, description: 'Models to profile.' },
    task_ids: { type: 'array', items: { type: 'string' }, description: 'Tasks to profile.' },
    return_all_models: { type: 'boolean', description: 'Profile every deployed model.' },
    return_all_tasks: { type: 'boolean', description: 'Profile every running task.' },
  },
} as const;
