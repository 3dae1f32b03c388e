import { describe, expect, it } from 'vitest';
import { illegalArgument, statusException } from '../../../src/errors/opensearch-error.js';
import { ProviderError } from '../../../src/errors/provider-error.js';
import { transportError } from '../../../src/http/http-client.js';
import { BatchSplitter, splitBudget, splitCause, type SplitCause } from '../../../src/models/isolation/split-rule.js';

const provider = (statusCode: number, responseHeaders: Record<string, string> = {}) =>
  new ProviderError({ statusCode, responseHeaders, reason: 'Error from remote service: {}' });
const SAGEMAKER_THROTTLING = { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/' };

describe('splitCause', () => {
  it.each<[string, unknown, SplitCause | undefined]>([
    ['a provider 400', provider(400), 'input'],
    ['a provider 413', provider(413), 'input'],
    ['a provider 422', provider(422), 'input'],
    ['SageMaker ModelError 424', provider(424, { 'x-amzn-errortype': 'ModelError:http://internal.amazon.com/' }), 'input'],
    ['a provider 500', provider(500), 'server'],
    ['a provider 502', provider(502), 'server'],
    ['a provider 503', provider(503), 'server'],
    ['SageMaker throttling on a 400', provider(400, SAGEMAKER_THROTTLING), undefined],
    ['AWS throttling on a 503', provider(503, SAGEMAKER_THROTTLING), undefined],
    ['a provider 429', provider(429), undefined],
    ['a provider 401', provider(401), undefined],
    ['a provider 403', provider(403), undefined],
    ['a provider 404', provider(404), undefined],
    ['a provider 407', provider(407), undefined],
    ['a provider 408', provider(408), undefined],
    ['our own 400 (a text the request cannot carry)', illegalArgument('Invalid payload'), 'input'],
    ['our own 429 (the model rate limiter)', statusException(429, 'Request is throttled at model level.'), undefined],
    ['a transport failure', transportError(new Error('socket hang up')), undefined],
    ['an unusable answer', statusException(502, 'Remote service returned empty response body'), undefined],
    ['a plain Error', new Error('bug'), undefined],
    ['a string', 'nope', undefined],
  ])('%s → %s', (_case, error, cause) => {
    expect(splitCause(error)).toBe(cause);
  });
});

describe('BatchSplitter', () => {
  it.each([
    [1, 0],
    [2, 4],
    [8, 12],
    [9, 16],
    [1000, 40],
  ])('should allow %i units %i extra calls', (units, budget) => {
    expect(splitBudget(units)).toBe(budget);
  });

  it.each<[string, unknown, boolean, boolean]>([
    ['an input 4xx, circuit closed', provider(400), false, true],
    ['an input 4xx, circuit open', provider(400), true, true],
    ['a 5xx, circuit closed', provider(503), false, true],
    ['a 5xx, circuit open', provider(503), true, false],
    ['SageMaker throttling, circuit closed', provider(400, SAGEMAKER_THROTTLING), false, false],
    ['a 429, circuit closed', provider(429), false, false],
  ])('should decide %s → split %s', async (_case, error, open, split) => {
    expect(await new BatchSplitter(8, () => open).shouldSplit(error)).toBe(split);
  });

  it('should stop splitting once the batch spent its extra calls, two per split', async () => {
    const splitter = new BatchSplitter(4, () => false);
    const decisions = [];
    for (let attempt = 0; attempt < 6; attempt++) decisions.push(await splitter.shouldSplit(provider(500)));
    expect(decisions).toEqual([true, true, true, true, false, false]);
  });

  it('should share the budget between halves deciding at the same time', async () => {
    const splitter = new BatchSplitter(2, async () => false);
    const decisions = await Promise.all(Array.from({ length: 5 }, () => splitter.shouldSplit(provider(500))));
    expect(decisions.filter(Boolean)).toHaveLength(2);
  });

  it('should not split a 5xx when the circuit cannot be read', async () => {
    const splitter = new BatchSplitter(8, async () => Promise.reject(new Error('model deleted')));
    expect(await splitter.shouldSplit(provider(500))).toBe(false);
    expect(await splitter.shouldSplit(provider(400))).toBe(true);
  });

  it('should ask the circuit only for a 5xx', async () => {
    let asked = 0;
    const splitter = new BatchSplitter(8, () => (asked++, false));
    await splitter.shouldSplit(provider(400));
    await splitter.shouldSplit(provider(429));
    expect(asked).toBe(0);
    await splitter.shouldSplit(provider(500));
    expect(asked).toBe(1);
  });
});
