import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/painless/lexer.js';
import { compileErrorOf, run } from './helpers.js';

describe('tokenize', () => {
  it('records 1-based lines and columns, skipping comments', () => {
    const tokens = tokenize('def x = 1; // note\n/* block\ncomment */  x += 2');
    expect(tokens.map((token) => [token.text, token.line, token.column])).toEqual([
      ['def', 1, 1],
      ['x', 1, 5],
      ['=', 1, 7],
      ['1', 1, 9],
      [';', 1, 10],
      ['x', 3, 13],
      ['+=', 3, 15],
      ['2', 3, 18],
      ['', 3, 19],
    ]);
  });

  it('reads multi-character operators longest first', () => {
    expect(tokenize('a >>>= b ?. c ?: d === e').map((token) => token.text)).toEqual([
      'a',
      '>>>=',
      'b',
      '?.',
      'c',
      '?:',
      'd',
      '===',
      'e',
      '',
    ]);
  });

  it('counts lines inside multi-line string literals', () => {
    const tokens = tokenize("'line one\nline two' x");
    expect(tokens[1]).toMatchObject({ text: 'x', line: 2, column: 11 });
  });
});

describe('literals', () => {
  it.each([
    ['"double \\"quoted\\""', 'double "quoted"'],
    ["'single \\'quoted\\''", "single 'quoted'"],
    ['\'mixed "quotes"\'', 'mixed "quotes"'],
    ['"back\\\\slash"', 'back\\slash'],
    ['"tab\\tnew\\nline\\r\\b\\f"', 'tab\tnew\nline\r\b\f'],
    ['"\\u0041\\101"', 'AA'],
    ['"" + 0x1F', '31'],
    ['"" + 0xFFFFFFFF', '-1'],
    ['"" + 017', '15'],
    ['"" + 12L', '12'],
    ['"" + 1.5e2', '150.0'],
    ['"" + -2147483648', '-2147483648'],
  ])('%s reads as %j', (source, expected) => {
    expect(run(source)).toBe(expected);
  });
});

describe('lexical errors carry positions', () => {
  it.each([
    ['def x = "open', 'line 1, column 9: unterminated string literal'],
    ['def x = 1;\n  /* never closed', 'line 2, column 3: unterminated comment'],
    [
      'def x = "bad \\q escape"',
      "line 1, column 9: illegal escape character '\\q' in string literal",
    ],
    ['def x = 1 # 2', "line 1, column 11: unexpected character '#'"],
    ['def x = 12abc', "line 1, column 9: invalid number '12abc'"],
    ['def x = 09', 'line 1, column 9: invalid octal constant [09]'],
    ['def x = 3000000000', 'line 1, column 9: invalid int constant [3000000000]'],
  ])('%j fails with %j', (source, expected) => {
    const error = compileErrorOf(source);
    expect(error.reason).toBe(`Painless compile error at ${expected}`);
    expect(error.status).toBe(400);
    expect(error.type).toBe('script_exception');
  });
});
