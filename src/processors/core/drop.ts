import { defineProcessor } from '../processor-definition.js';

/** `drop`: drops the document (no error; the bulk item reports a noop). Usually guarded by `if`. */
export const dropProcessor = defineProcessor({
  type: 'drop',
  kind: 'ingest',
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({ type: 'drop', execute: async () => 'drop' as const }),
});
