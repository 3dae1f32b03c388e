import { describe, expect, it } from 'vitest';
import { compilePainless, painlessEscape } from '../../src/painless/index.js';
import { compileErrorOf } from './helpers.js';

describe('painlessEscape', () => {
  it.each([
    ['plain', 'plain'],
    ['back\\slash', 'back\\\\slash'],
    ['say "hi"', 'say \\"hi\\"'],
    ['line\nbreak', 'line\\nbreak'],
    ['carriage\rreturn', 'carriage\\rreturn'],
    ['tab\there', 'tab\\there'],
    ['back\bspace', 'back\\bspace'],
    ['form\ffeed', 'form\\ffeed'],
    ['\\"', '\\\\\\"'],
    ['unicode é ✓', 'unicode é ✓'],
  ])('escape(%j) is %j', (input, expected) => {
    expect(painlessEscape(input)).toBe(expected);
  });

  it('makes any text safe inside a JSON string literal', () => {
    const text = 'He said "use C:\\temp"\r\n\tthen\b\fleft';
    expect(JSON.parse(`"${painlessEscape(text)}"`)).toBe(text);
  });

  it('fails for null as the Java helper does', () => {
    expect(() => painlessEscape(null)).toThrow('escape expects a String but got null');
  });
});

describe('builtins', () => {
  const builtins = { escape: painlessEscape };

  it('makes escape() callable without a declaration', () => {
    const script = compilePainless('return \'{"r":"\' + escape(params.t) + \'"}\'', { builtins });
    expect(JSON.parse(script.execute({ params: { t: 'a "b"\nc' } }) as string)).toEqual({
      r: 'a "b"\nc',
    });
  });

  it('lets a script-declared function with the same name win', () => {
    const script = compilePainless(
      "String escape(def input) { return 'mine:' + input } return escape('x')",
      { builtins },
    );
    expect(script.execute({})).toBe('mine:x');
  });

  it('is a compile error to call escape() without the builtin or a declaration', () => {
    expect(compileErrorOf("return escape('x')").reason).toBe(
      'Painless compile error at line 1, column 8: unknown function [escape] with 1 argument(s)',
    );
  });

  it('reports a failing builtin as a runtime error at the call', () => {
    const error = (() => {
      try {
        compilePainless('def t = null;\nreturn escape(t)', { builtins }).execute({});
      } catch (caught) {
        return caught as { reason: string };
      }
      throw new Error('expected a failure');
    })();
    expect(error.reason).toBe(
      'Painless runtime error at line 2, column 8: function [escape] failed: escape expects a String but got null',
    );
  });

  it('passes plain copies to builtins and accepts their results', () => {
    const seen: unknown[] = [];
    const record = (value: unknown): unknown => {
      seen.push(value);
      (value as number[]).push(99);
      return { count: (value as unknown[]).length };
    };
    const script = compilePainless('def l = [1.0, 2]; def r = record(l); return [l, r.count]', {
      builtins: { record },
    });
    expect(script.execute({})).toEqual([[1, 2], 3]);
    expect(seen).toEqual([[1, 2, 99]]);
  });
});
