import { describe, expect, it } from 'vitest';
import { run, runError } from './helpers.js';

// The caller passes ordinary JSON objects (with Object.prototype); none of the JS machinery behind
// them may become visible to a script.
const params = (): Record<string, unknown> => ({
  present: 1,
  list: [1, 2],
  text: 'abc',
  nested: { a: { b: 'deep' } },
});

describe('field and element reads', () => {
  it.each([
    ['params.present', 1],
    ["params['present']", 1],
    ['params.nested.a.b', 'deep'],
    ["params['nested']['a']['b']", 'deep'],
    ['params.list[1]', 2],
    ['params.list[-1]', 2],
    ['params.list.length', 2],
    ['params.text.length', 3],
    ['params.list.empty', false],
    ['params.absent', null],
    ["def key = 'present'; return params[key]", 1],
  ])('%s is %j', (source, expected) => {
    expect(run(source, { params: params() })).toEqual(expected);
  });
});

describe('prototype safety', () => {
  it.each([
    ['params.constructor'],
    ['params.__proto__'],
    ['params.toString'],
    ['params.hasOwnProperty'],
    ['params.valueOf'],
    ["params['constructor']"],
    ["params['__proto__']"],
    ['params.nested.a.constructor'],
    ['[:].constructor'],
    ["['a': 1].__proto__"],
    ["params.get('constructor')"],
    ["params.getOrDefault('toString', null)"],
  ])('%s is a missing key (null)', (source) => {
    expect(run(source, { params: params() })).toBeNull();
  });

  it.each([
    ['params.text.constructor', 'cannot access field [constructor] of [String]'],
    ['params.list.constructor', 'cannot access field [constructor] of [List]'],
    ['params.list.toString', 'cannot access field [toString] of [List]'],
    ['params.present.toString', 'cannot access field [toString] of [Integer]'],
    ["params.list['length']", 'list index must be an int, not [String]'],
    ["params.text['length']", 'cannot index into [String] with []'],
    ['params.list.__proto__', 'cannot access field [__proto__] of [List]'],
  ])('%s fails with %j instead of reaching JS', (source, message) => {
    expect(runError(source, { params: params() }).reason).toMatch(
      new RegExp(`: ${message.replace(/[[\]]/g, '\\$&')}$`),
    );
  });

  it('stores __proto__ as an ordinary key without touching prototypes', () => {
    const ctx: Record<string, unknown> = {};
    run("ctx['__proto__'] = ['polluted': true]; ctx.constructor = 'c'", { ctx });
    expect(Object.getPrototypeOf(ctx)).toBe(Object.prototype);
    expect(Object.keys(ctx)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(run("ctx['__proto__'].polluted", { ctx })).toBe(true);
  });

  it('does not treat class instances or functions as maps', () => {
    const variables = { params: { when: new Date(0), fn: () => 'secret' } };
    expect(runError('params.when.getTime', variables).reason).toMatch(
      /cannot access field \[getTime\] of \[Unsupported\]/,
    );
    expect(runError('params.fn.call()', variables).reason).toMatch(
      /method \[call\] with 0 arguments is not allowed on \[Unsupported\]/,
    );
    expect(runError("'' + params.fn", variables).reason).toMatch(/unsupported type \[function\]/);
  });
});

describe('null handling', () => {
  it.each([
    ['def x = null;\nreturn x.length', 'line 2, column 10: cannot access field [length] of null'],
    ['params.absent.deeper', 'line 1, column 15: cannot access field [deeper] of null'],
    ['params.absent[0]', 'line 1, column 14: cannot read element [0] of null'],
    ['params.absent.x = 1', 'line 1, column 15: cannot assign field [x] of null'],
    ['for (def x : params.absent) {}', 'line 1, column 21: cannot iterate over null'],
  ])('%s fails at %j', (source, expected) => {
    expect(runError(source, { params: params() }).reason).toBe(
      `Painless runtime error at ${expected}`,
    );
  });
});
