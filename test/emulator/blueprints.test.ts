import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { blueprintCases, selectPath, type BlueprintCall } from './blueprint-calls.js';
import { send, sha256, signedPost, type Answer } from './client.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

// Where each built-in post-process reads the provider answer (ml-commons MLPostProcessFunction).
const BUILT_IN_PATHS: Record<string, string> = {
  'connector.post_process.openai.embedding': '$.data[*].embedding',
  'connector.post_process.cohere.embedding': '$.embeddings[*]',
  'connector.post_process.default.embedding': '$[*]',
  'connector.post_process.bedrock.embedding': '$.embedding',
  'connector.post_process.bedrock.nova.embedding': '$.embeddings[*].embedding',
};

const isVector = (value: unknown): boolean =>
  Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'number');

/** Why the answer would not survive the call's post-processing, or undefined when it would. */
function postProcessProblem(call: BlueprintCall, answer: Answer): string | undefined {
  if (answer.status !== 200) return `status ${answer.status}: ${answer.text.slice(0, 300)}`;
  if (answer.json === undefined) return 'body is not JSON';
  const builtIn = call.postProcess === undefined ? undefined : BUILT_IN_PATHS[call.postProcess];
  if (builtIn !== undefined) {
    const vectors = selectPath(answer.json, call.responseFilter ?? builtIn);
    return vectors.length > 0 && vectors.every(isVector)
      ? undefined
      : `${builtIn} does not select embeddings`;
  }
  if (call.postProcess !== undefined) {
    // A Painless script: its first `params.<path>` read must exist (e.g. params.choices[0].message.content).
    const accessor = /params\.([A-Za-z_]\w*(?:\[\d+\]|\.[A-Za-z_]\w*)*)/
      .exec(call.postProcess)?.[1]
      ?.replace(/\.length$/, '');
    if (accessor === undefined) return `unsupported post-process ${call.postProcess}`;
    return selectPath(answer.json, `$.${accessor}`).some((value) => value !== null)
      ? undefined
      : `params.${accessor} is missing`;
  }
  if (
    call.responseFilter !== undefined &&
    selectPath(answer.json, call.responseFilter).length === 0
  ) {
    return `response_filter ${call.responseFilter} selects nothing`;
  }
  return undefined;
}

function perform(call: BlueprintCall): Promise<Answer> {
  if (call.sigv4 === undefined)
    return send(emulator, {
      method: call.method,
      path: call.path,
      headers: call.headers,
      body: call.body,
    });
  const headers = { ...call.headers };
  // The client replaces the blueprint's `x-amz-content-sha256: required` with the payload hash.
  if (headers['x-amz-content-sha256'] === 'required')
    headers['x-amz-content-sha256'] = sha256(call.body);
  return signedPost(emulator, call.path, call.body, {
    ...call.sigv4,
    method: call.method,
    headers,
  });
}

describe('every connector blueprint case is answered in the shape its post-process reads', () => {
  const cases = blueprintCases();

  it('finds the blueprint fixtures', () => {
    expect(cases.length).toBeGreaterThan(40);
  });

  it.each(cases.map((blueprintCase) => [blueprintCase.id, blueprintCase] as const))(
    '%s',
    async (_id, blueprintCase) => {
      expect(
        blueprintCase.calls.length,
        'no predict input renders a complete request',
      ).toBeGreaterThan(0);
      const problems: string[] = [];
      let successes = 0;
      for (const call of blueprintCase.calls) {
        const problem = postProcessProblem(call, await perform(call));
        if (problem === undefined) successes += 1;
        else problems.push(`${call.label}: ${problem}`);
      }
      expect(successes, problems.join('\n')).toBeGreaterThan(0);
    },
  );
});
