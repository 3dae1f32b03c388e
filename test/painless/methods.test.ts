import { describe, expect, it } from 'vitest';
import { run, runError } from './helpers.js';

describe('String methods', () => {
  it.each([
    ['"hello".length()', 5],
    ['"hello".length', 5],
    ['"".isEmpty()', true],
    ['"  ".isBlank()', true],
    ['"hello".substring(1)', 'ello'],
    ['"hello".substring(1, 3)', 'el'],
    ['"a-b-a".replace("a", "$&")', '$&-b-$&'],
    ['"abc".replace("", "-")', '-a-b-c-'],
    ['"hello".startsWith("he")', true],
    ['"hello".startsWith("l", 2)', true],
    ['"hello".endsWith("lo")', true],
    ['" \\t padded \\n".trim()', 'padded'],
    ['"MiXeD".toLowerCase()', 'mixed'],
    ['"MiXeD".toUpperCase()', 'MIXED'],
    ['"hello".indexOf("l")', 2],
    ['"hello".indexOf("l", 3)', 3],
    ['"hello".indexOf("z")', -1],
    ['"hello".lastIndexOf("l")', 3],
    ['"hello".charAt(1)', 'e'],
    ['"hello".charAt(1) == "e"', true],
    ['"abc".equals("abc")', true],
    ['"abc".equals(null)', false],
    ['"ABC".equalsIgnoreCase("abc")', true],
    ['"hello".contains("ell")', true],
    ['"a".compareTo("b")', -1],
    ['"abc".compareTo("ab")', 1],
    ['"ab".concat("cd")', 'abcd'],
    ['"hello".toString()', 'hello'],
    ['"hello".hashCode()', 99162322],
    ['"a1b22c".replaceAll("[0-9]+", "#")', 'a#b#c'],
    ['"John Smith".replaceAll("(\\\\w+) (\\\\w+)", "$2, $1")', 'Smith, John'],
    ['"aaa".replaceFirst("a", "b")', 'baa'],
    ['"abc123".matches("[a-z]+[0-9]+")', true],
    ['"abc123x".matches("[a-z]+[0-9]+")', false],
    ['"hi".toCharArray()', ['h', 'i']],
  ])('%s is %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each([
    ['"abc".substring(2, 5)', 'begin 2, end 5, length 3'],
    ['"abc".charAt(3)', 'Index 3 out of bounds for length 3'],
    ['"abc".substring("1")', 'beginIndex must be an int, not [String]'],
    ['"abc".startsWith(null)', 'argument is null'],
  ])('%s fails with %j', (source, message) => {
    expect(runError(source).reason).toBe(`Painless runtime error at line 1, column 7: ${message}`);
  });
});

describe('List methods', () => {
  it.each([
    ['[1, 2, 3].size()', 3],
    ['[1, 2, 3].length', 3],
    ['[].isEmpty()', true],
    ['[1, 2, 3].get(1)', 2],
    ['def l = [1, 2]; l.add(3); return l', [1, 2, 3]],
    ['def l = [1, 3]; l.add(1, 2); return l', [1, 2, 3]],
    ['[1, 2].add(3)', true],
    ['def l = [1]; l.addAll([2, 3]); return l', [1, 2, 3]],
    ['def l = [1, 4]; l.addAll(1, [2, 3]); return l', [1, 2, 3, 4]],
    ['def l = ["a", "b", "c"]; def removed = l.remove(1); return [removed, l]', ['b', ['a', 'c']]],
    ['def l = ["a", "b"]; return [l.remove("a"), l.remove("z"), l]', [true, false, ['b']]],
    ['def l = [1, 2]; def old = l.set(0, 9); return [old, l]', [1, [9, 2]]],
    ['[1, 2, 3].contains(2)', true],
    ['[1, 2, 3].contains(2.0)', false],
    ["['a', 'b'].indexOf('b')", 1],
    ["['a', 'b', 'a'].lastIndexOf('a')", 2],
    ['def l = [1, 2]; l.clear(); return l', []],
    ['[1, 2, 3, 4].subList(1, 3)', [2, 3]],
    ['def l = [3, 1, 2]; l.sort(null); return l', [1, 2, 3]],
    ["def l = ['b', 'a']; l.sort(null); return l", ['a', 'b']],
    ['[1, 2].equals([1, 2])', true],
    ['[1, 2].toString()', '[1, 2]'],
    ['new ArrayList([1, 2]).size()', 2],
    ['def a = [1]; def b = new ArrayList(a); b.add(2); return a', [1]],
  ])('%s is %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each([
    ['[1, 2].get(2)', 'Index 2 out of bounds for length 2'],
    ['[1, 2].get(-1)', 'Index -1 out of bounds for length 2'],
    ['[1, 2][5]', 'Index 5 out of bounds for length 2'],
    ['[1].add(3, 1)', 'Index 3 out of bounds for length 1'],
  ])('%s fails with %j', (source, message) => {
    expect(runError(source).reason).toContain(message);
  });
});

describe('Map methods', () => {
  it.each([
    ["['a': 1].get('a')", 1],
    ["['a': 1].get('b')", null],
    ["def m = [:]; def old = m.put('a', 1); return [old, m.put('a', 2), m]", [null, 1, { a: 2 }]],
    ["['a': 1].containsKey('a')", true],
    ["['a': null].containsKey('a')", true],
    ["['a': 1].containsKey('constructor')", false],
    ["['a': 1].containsValue(1)", true],
    ["['a': 1].getOrDefault('b', 5)", 5],
    ["['a': null].getOrDefault('a', 5)", null],
    ["def m = ['a': 1, 'b': 2]; return [m.remove('a'), m]", [1, { b: 2 }]],
    ["['a': 1, 'b': 2].size()", 2],
    ['[:].isEmpty()', true],
    ["['a': 1, 'b': 2].keySet()", ['a', 'b']],
    ["['a': 1, 'b': 2].values()", [1, 2]],
    ["['a': 1].keySet().contains('a')", true],
    ["def m = ['a': 1]; m.putAll(['b': 2]); return m", { a: 1, b: 2 }],
    ["def m = ['a': 1]; m.putIfAbsent('a', 9); m.putIfAbsent('b', 2); return m", { a: 1, b: 2 }],
    ["def m = ['a': 1]; m.clear(); return m", {}],
    ["['a': 1].equals(['a': 1])", true],
    ["['a': 1].toString()", '{a=1}'],
    ['def m = new HashMap(); m.x = 1; return m', { x: 1 }],
    ["def src = ['a': 1]; def copy = new HashMap(src); copy.b = 2; return src", { a: 1 }],
    ['def m = [:]; m[1] = "one"; return m.get(1)', 'one'],
  ])('%s is %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('reads ordinary JSON objects passed by the caller', () => {
    const params = JSON.parse('{"data":{"items":[{"id":7}]},"keys":{"x":1,"y":2}}') as unknown;
    expect(
      run('params.data.items[0].id + params.keys.size() + params.get("keys").get("y")', { params }),
    ).toBe(11);
  });
});

describe('StringBuilder methods', () => {
  it.each([
    [
      'new StringBuilder().append("a").append(1).append(2.0).append(null).append([1]).toString()',
      'a12.0null[1]',
    ],
    ['def b = new StringBuilder("x"); b.append("y"); return b.length()', 2],
    ['new StringBuilder("abc").reverse().toString()', 'cba'],
    ['new StringBuilder("ac").insert(1, "b").toString()', 'abc'],
    ['new StringBuilder("abc").charAt(2)', 'c'],
    ['def b = new StringBuilder("abcd"); b.setLength(2); return b.toString()', 'ab'],
    ['new StringBuilder("abc").deleteCharAt(1).toString()', 'ac'],
    ['new StringBuilder(16).length()', 0],
    ['"[" + new StringBuilder("x") + "]"', '[x]'],
  ])('%s is %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });
});

describe('Number and Boolean methods', () => {
  it.each([
    ['"" + (2.7).intValue()', '2'],
    ['"" + (5).doubleValue()', '5.0'],
    ['(3).compareTo(5)', -1],
    ['(3).equals(3)', true],
    ['(3).equals(3.0)', false],
    ['(0).equals((int) -0.5)', true],
    ['(0.0).equals(-0.0)', false],
    ['(0.0 / 0).equals(0.0 / 0)', true],
    ['(1.5).toString()', '1.5'],
    ['true.toString()', 'true'],
    ['true.booleanValue()', true],
  ])('%s is %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });
});

describe('the whitelist', () => {
  it.each([
    [
      'params.hasOwnProperty("x")',
      'method [hasOwnProperty] with 1 argument is not allowed on [Map]',
    ],
    ['"abc".constructor()', 'method [constructor] with 0 arguments is not allowed on [String]'],
    ['[1].map(1)', 'method [map] with 1 argument is not allowed on [List]'],
    ['"abc".valueOf()', 'method [valueOf] with 0 arguments is not allowed on [String]'],
    ['"abc".__proto__()', 'method [__proto__] with 0 arguments is not allowed on [String]'],
    ['(1).toFixed(2)', 'method [toFixed] with 1 argument is not allowed on [Number]'],
    ['"abc".substring(1, 2, 3)', 'method [String.substring] does not take 3 arguments'],
    ['def x = null; x.size()', 'cannot call method [size] on null'],
  ])('%s fails with %j', (source, message) => {
    const error = runError(source, { params: { x: 1 } });
    expect(error.reason).toMatch(/^Painless runtime error at line 1, column \d+: /);
    expect(error.reason.endsWith(message)).toBe(true);
  });
});
