import { describe, expect, it } from 'vitest';
import { run, runError } from './helpers.js';

describe('instanceof', () => {
  it.each([
    ['"s" instanceof String', true],
    ['1 instanceof String', false],
    ['[:] instanceof Map', true],
    ['params.obj instanceof Map', true],
    ['[] instanceof List', true],
    ['params.list instanceof List', true],
    ['params.list instanceof Map', false],
    ['1 instanceof Integer', true],
    ['1 instanceof Long', true],
    ['10000000000L instanceof Integer', false],
    ['1.5 instanceof Double', true],
    ['1.0 instanceof Double', true],
    ['1.0 instanceof Integer', false],
    ['params.half instanceof Double', true],
    ['params.whole instanceof Integer', true],
    ['1 instanceof Number', true],
    ['2.5 instanceof Number', true],
    ['"1" instanceof Number', false],
    ['true instanceof Boolean', true],
    ['null instanceof Object', false],
    ['params.missing instanceof String', false],
    ['new StringBuilder() instanceof CharSequence', true],
    ["new IllegalArgumentException('x') instanceof RuntimeException", true],
  ])('%s is %j', (source, expected) => {
    expect(run(source, { params: { obj: { a: 1 }, list: [1], half: 0.5, whole: 3 } })).toBe(
      expected,
    );
  });
});

describe('casts', () => {
  it.each([
    ['(int) 2.9', 2],
    ['(int) -2.9', -2],
    ['(long) 1e10', 10000000000],
    ['(int) 1e12', 2147483647],
    ['(int) 10000000000L', 1410065408],
    ["'' + (double) 3", '3.0'],
    ["'' + (float) 3", '3.0'],
    ['(String) params.s', 'text'],
    ['(Map) params.m', { k: 1 }],
    ['(List) params.l', [1]],
    ['(def) 5', 5],
    ["(int) 'a'", 97],
    ['(char) 98', 'b'],
    ['(byte) 200', -56],
    ['(short) 70000', 4464],
    ['(String) null', null],
  ])('%s gives %j', (source, expected) => {
    expect(run(source, { params: { s: 'text', m: { k: 1 }, l: [1] } })).toEqual(expected);
  });

  it.each([
    ['(String) 5', 'cannot cast [Integer] to [String]'],
    ['(int) "55"', 'cannot cast [String] to [int]'],
    ['(Map) [1]', 'cannot cast [List] to [Map]'],
    ['(int) null', 'cannot cast null to primitive type [int]'],
    ['(boolean) 1', 'cannot cast [Integer] to [boolean]'],
  ])('%s fails with %j', (source, message) => {
    expect(runError(source).reason).toBe(`Painless runtime error at line 1, column 1: ${message}`);
  });
});

describe('declared types', () => {
  it.each([
    ['double d = 2; return "" + d', '2.0'],
    ['long l = 5; return l', 5],
    ['String s = null; return s', null],
    ['Map m = [:]; m.a = 1; return m', { a: 1 }],
    ['List l = []; l.add(1); return l', [1]],
    ['Object o = "x"; return o', 'x'],
    ["char c = 'x'; return c", 'x'],
    ['boolean b = 1 < 2; return b', true],
    ['String s = params.text; return s.length()', 4],
  ])('%s gives %j', (source, expected) => {
    expect(run(source, { params: { text: 'abcd' } })).toEqual(expected);
  });

  it.each([
    ['int i = 1.5;', 'line 1, column 5: cannot cast [double] to [int]'],
    ['String s = 5;', 'line 1, column 8: cannot cast [Integer] to [String]'],
    ['int i = null;', 'line 1, column 5: cannot assign null to a variable of primitive type [int]'],
    ['Map m = [];', 'line 1, column 5: cannot cast [List] to [Map]'],
    ['int i = 0;\ni = "x";', 'line 2, column 1: cannot cast [String] to [int]'],
    ['boolean b = "true";', 'line 1, column 9: cannot cast [String] to [boolean]'],
    ['for (String s : [1]) {}', 'line 1, column 1: cannot cast [Integer] to [String]'],
  ])('%s fails at %j', (source, expected) => {
    expect(runError(source).reason).toBe(`Painless runtime error at ${expected}`);
  });
});
