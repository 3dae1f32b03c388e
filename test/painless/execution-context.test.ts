import { describe, expect, it } from 'vitest';
import { run, runError } from './helpers.js';

const STEP_LIMIT =
  'The maximum number of statements that can be executed in a loop has been reached.';

describe('step budget', () => {
  it('ends while (true) {} quickly with Painless message, and the interpreter keeps working', () => {
    const started = performance.now();
    const error = runError('while (true) {}');
    expect(performance.now() - started).toBeLessThan(900);
    expect(error.type).toBe('script_exception');
    expect(error.status).toBe(400);
    expect(error.reason).toBe(`Painless runtime error at line 1, column 14: ${STEP_LIMIT}`);
    expect(run('1 + 1')).toBe(2);
  });

  it.each([
    ['for (;;) {}'],
    ['do {} while (true)'],
    ['int i = 0; while (true) { i++ }'],
    ['for (int i = 0; i >= 0; i++) { continue }'],
    ['int f(int n) { return n == 0 ? 0 : f(n - 1) } while (true) { f(3) }'],
  ])('stops %s', (source) => {
    expect(runError(source, {}, { maxSteps: 10_000 }).reason).toContain(STEP_LIMIT);
  });

  it('counts statements and iterations against maxSteps', () => {
    const loop = 'int t = 0; for (int i = 0; i < 100; i++) { t += i } return t';
    expect(run(loop, {}, { maxSteps: 1000 })).toBe(4950);
    expect(runError(loop, {}, { maxSteps: 150 }).reason).toContain(STEP_LIMIT);
  });

  it('allows a million-step loop within the default budget', () => {
    expect(
      run(
        'int t = 0; for (int i = 0; i < 300000; i++) { t++ } return t',
        {},
        { timeoutMs: 10_000 },
      ),
    ).toBe(300000);
  });
});

describe('wall-clock budget', () => {
  it('ends a run that exceeds timeoutMs even with steps to spare', () => {
    const started = performance.now();
    const error = runError(
      'while (true) {}',
      {},
      { maxSteps: Number.MAX_SAFE_INTEGER, timeoutMs: 50 },
    );
    expect(performance.now() - started).toBeLessThan(900);
    expect(error.reason).toContain('The maximum execution time of 50 ms has been reached.');
  });

  it('also bounds a single huge conversion', () => {
    const started = performance.now();
    const error = runError(
      "def a = [1]; for (int i = 0; i < 40; i++) { a = [a, a] } return '' + a",
      {},
      { timeoutMs: 30 },
    );
    expect(performance.now() - started).toBeLessThan(900);
    expect(error.reason).toContain('The maximum execution time of 30 ms has been reached.');
  });
});

describe('size and depth limits', () => {
  it.each([
    [
      'unbounded recursion',
      'int f(int n) { return f(n + 1) } return f(0)',
      'function [f] nested deeper than 100 calls',
    ],
    [
      'string doubling',
      "String s = 'x'; while (true) { s = s + s }",
      'exceeds the limit of 33554432 characters',
    ],
    [
      'StringBuilder doubling',
      "def b = new StringBuilder('x'); while (true) { b.append(b) }",
      'exceeds the limit of 33554432 characters',
    ],
    [
      'list doubling',
      'def l = [1]; while (true) { l.addAll(l) }',
      'list size 16777216 exceeds the limit of 10000000 elements',
    ],
    [
      'shared-structure equality',
      'def a = [1]; def b = [1]; for (int i = 0; i < 40; i++) { a = [a, a]; b = [b, b] } return a == b',
      'equality check compared too many elements',
    ],
  ])('%s fails cleanly', (_name, source, message) => {
    const error = runError(source, {}, { timeoutMs: 10_000 });
    expect(error.type).toBe('script_exception');
    expect(error.reason).toContain(message);
    expect(run('"still" + " working"')).toBe('still working');
  });

  it('allows recursion within the depth limit', () => {
    expect(run('int depth(int n) { return n == 0 ? 0 : 1 + depth(n - 1) } return depth(90)')).toBe(
      90,
    );
  });
});
