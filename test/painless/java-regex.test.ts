import { describe, expect, it } from 'vitest';
import { javaSplit } from '../../src/painless/java-regex.js';
import { run, runError } from './helpers.js';

describe('String.split with Java semantics', () => {
  it.each([
    ['a,b,c', ',', 0, ['a', 'b', 'c']],
    ['a,b,,c,,', ',', 0, ['a', 'b', '', 'c']],
    ['a,b,,c,,', ',', -1, ['a', 'b', '', 'c', '', '']],
    ['a,b,c', ',', 2, ['a', 'b,c']],
    [',a', ',', 0, ['', 'a']],
    ['', ',', 0, ['']],
    [',,,', ',', 0, []],
    ['abc', '', 0, ['a', 'b', 'c']],
    ['abc', '', -1, ['a', 'b', 'c', '']],
    ['no match', ',', 0, ['no match']],
    ['one  two\tthree', '\\s+', 0, ['one', 'two', 'three']],
    ['a|b|c', '\\|', 0, ['a', 'b', 'c']],
    ['a.b.c', '\\.', 0, ['a', 'b', 'c']],
    ['a1b22c', '[0-9]+', 0, ['a', 'b', 'c']],
    ['AxbXc', '(?i)x', 0, ['A', 'b', 'c']],
  ])('%j.split(%j, %d) is %j', (input, pattern, limit, expected) => {
    expect(javaSplit(input, pattern, limit)).toEqual(expected);
  });

  it('is what scripts call', () => {
    expect(run("'k1=v1;k2=v2;'.split(';')")).toEqual(['k1=v1', 'k2=v2']);
    expect(run("'a b'.split(' ', 1)")).toEqual(['a b']);
  });

  it('reports a bad pattern as PatternSyntaxException', () => {
    const error = runError("'abc'.split('(')");
    expect(error.reason).toMatch(
      /^Painless runtime error at line 1, column 7: invalid regular expression \[\(\]/,
    );
    expect(error.extra['caused_by']).toMatchObject({ type: 'pattern_syntax_exception' });
  });
});
