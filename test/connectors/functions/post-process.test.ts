import { describe, expect, it } from 'vitest';
import {
  applyResponseFilter,
  dataTypeFromFilter,
  lookupPostProcess,
  type ModelTensor,
} from '../../../src/connectors/functions/index.js';
import { illegalArgumentReason } from './catch-error.js';
import { POST_PROCESS_CASES, POST_PROCESS_ERROR_CASES } from './post-process.cases.js';

/** What ConnectorUtils.processOutput does for a built-in: filter (or default path), data type, function. */
function runBuiltin(name: string, response: unknown, responseFilter: string | undefined): ModelTensor[] {
  const postProcess = lookupPostProcess(name);
  const path = responseFilter ?? postProcess.defaultPath;
  return postProcess.process(applyResponseFilter(response, path), dataTypeFromFilter(path));
}

describe('built-in post-process functions', () => {
  it.for(POST_PROCESS_CASES)('$name: $description', ({ name, response, responseFilter, expected }) => {
    expect(runBuiltin(name, response, responseFilter)).toStrictEqual(expected);
  });

  it.for(POST_PROCESS_ERROR_CASES)('$name rejects $description', ({ name, response, responseFilter, message }) => {
    expect(illegalArgumentReason(() => runBuiltin(name, response, responseFilter))).toBe(message);
  });

  it('keeps numbers as the provider sent them', () => {
    const [tensor] = runBuiltin('connector.post_process.bedrock.embedding', { embedding: [0.1234567891234, 1e-7] }, undefined);
    expect(tensor?.data).toStrictEqual([0.1234567891234, 1e-7]);
  });
});
