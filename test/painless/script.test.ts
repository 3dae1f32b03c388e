import { describe, expect, it } from 'vitest';
import {
  compilePainless,
  compilePainlessCached,
  painlessEscape,
} from '../../src/painless/index.js';

describe('compilePainless', () => {
  it('compiles once and runs many times with different variables', () => {
    const script = compilePainless('params.a + params.b');
    expect(script.source).toBe('params.a + params.b');
    expect(script.execute({ params: { a: 1, b: 2 } })).toBe(3);
    expect(script.execute({ params: { a: 'x', b: 'y' } })).toBe('xy');
  });

  it('returns null when the script neither returns nor ends with an expression', () => {
    expect(compilePainless('def x = 1;').execute({})).toBeNull();
  });

  it('returns JSON-compatible values', () => {
    const result = compilePainless("['n': 1.0, 'l': [2.0, 'x', null, true], 'm': [:]]").execute({});
    expect(JSON.parse(JSON.stringify(result))).toEqual({ n: 1, l: [2, 'x', null, true], m: {} });
  });

  it('treats undefined in caller data as null', () => {
    expect(compilePainless('params.x == null').execute({ params: { x: undefined } })).toBe(true);
  });
});

describe('compilePainlessCached', () => {
  it('returns the same compiled script for the same source and builtins', () => {
    const builtins = { escape: painlessEscape };
    const first = compilePainlessCached('return escape("a")', { builtins });
    expect(compilePainlessCached('return escape("a")', { builtins })).toBe(first);
    expect(first.execute({})).toBe('a');
  });

  it('recompiles when the builtins object differs', () => {
    const first = compilePainlessCached("return f('x')", { builtins: { f: () => 'one' } });
    const second = compilePainlessCached("return f('x')", { builtins: { f: () => 'two' } });
    expect(second).not.toBe(first);
    expect(second.execute({})).toBe('two');
  });

  it('does not cache compile errors', () => {
    expect(() => compilePainlessCached('return (')).toThrow(/compile error/);
    expect(() => compilePainlessCached('return (')).toThrow(/compile error/);
  });
});
