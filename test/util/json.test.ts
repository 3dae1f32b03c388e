import { describe, expect, it } from 'vitest';
import { MAX_JSON_NESTING_DEPTH, parseJsonBody } from '../../src/util/json.js';
import { findExcessNesting } from '../../src/util/json-nesting.js';
import { locateJsonSyntaxError } from '../../src/util/json-syntax-error.js';

const arrays = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
const objects = (levels: number): string => '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);
const NESTING_REASON = 'Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)';

describe('parseJsonBody', () => {
  it.each([
    ['arrays', arrays],
    ['objects', objects],
  ])('should accept %s nested as deep as OpenSearch allows and refuse one level more', (_shape, nest) => {
    expect(() => parseJsonBody(nest(MAX_JSON_NESTING_DEPTH))).not.toThrow();
    expect(() => parseJsonBody(nest(MAX_JSON_NESTING_DEPTH + 1))).toThrow(
      expect.objectContaining({ status: 400, type: 'stream_constraints_exception', reason: NESTING_REASON }),
    );
  });

  it('should refuse 10,000 levels without overflowing the stack', () => {
    expect(() => parseJsonBody(arrays(10_000))).toThrow(expect.objectContaining({ type: 'stream_constraints_exception' }));
    expect(() => parseJsonBody(`{"__proto__x": ${objects(10_000)}}`)).toThrow(expect.objectContaining({ type: 'stream_constraints_exception' }));
  });

  it('should not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ text: '['.repeat(5_000), quoted: `\\"${'{'.repeat(5_000)}`, nested: JSON.parse(arrays(990)) });
    expect(() => parseJsonBody(text)).not.toThrow();
  });

  it('should keep refusing __proto__ keys', () => {
    expect(() => parseJsonBody('{"a": {"__proto__": {"polluted": true}}}')).toThrow('Illegal key [__proto__] in request body');
  });

  const SECRET = 'sk-live-4f9a8b7c';
  it.each([
    ['a bare word after a credential', `{"credential": {"openAI_key": "${SECRET}" oops}}`, 1, 50, "unexpected character: expected ',' or '}' after an object entry"],
    ['a missing comma on line 3', `{\n  "credential": {"key": "${SECRET}"}\n  "name": "x"\n}`, 3, 3, "unexpected character: expected ',' or '}' after an object entry"],
    ['a bare word as a value', `{"key": ${SECRET}}`, 1, 9, 'unrecognized token: expected a value (string, number, object, array, true, false or null)'],
    ['an unterminated string', `{"key": "${SECRET}`, 1, 26, 'unexpected end of input in a string'],
    ['a truncated body', '{"name": ', 1, 10, 'unexpected end of input: expected a value (string, number, object, array, true, false or null)'],
    ['a trailing comma', '[1, 2,]', 1, 7, 'unexpected character: expected a value (string, number, object, array, true, false or null)'],
    ['a single-quoted name', `{'key': '${SECRET}'}`, 1, 2, "unexpected character: expected a double-quoted field name or '}'"],
    ['a missing colon', `{"key" "${SECRET}"}`, 1, 8, "unexpected character: expected ':' after a field name"],
    ['a bad escape', `{"key": "${SECRET}\\q"}`, 1, 26, 'invalid escape in a string'],
    ['a short unicode escape', '{"key": "\\u12"}', 1, 10, 'invalid \\u escape in a string: expected 4 hexadecimal digits'],
    ['a raw control character', '{"key": "a\tb"}', 1, 11, 'control character in a string: it must be escaped'],
    ['a leading zero', '{"n": 012}', 1, 7, 'invalid number'],
    ['a lone minus', '[-]', 1, 2, 'invalid number'],
    ['content after the value', `{"key": 1} {"key": "${SECRET}"}`, 1, 12, 'unexpected content after the end of the JSON value'],
    ['an emoji before the error', '{"😀": x}', 1, 7, 'unrecognized token: expected a value (string, number, object, array, true, false or null)'],
    ['an empty text', '', 1, 1, 'unexpected end of input: expected a value (string, number, object, array, true, false or null)'],
  ])('should locate %s without quoting the body', (_case, text, line, column, problem) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonSyntaxError(text)).toEqual({ line, column, problem });
    let reason = '';
    try {
      parseJsonBody(text);
    } catch (error) {
      expect(error).toMatchObject({ status: 400, type: 'json_parse_exception' });
      reason = (error as { reason: string }).reason;
    }
    expect(reason).toBe(`Failed to parse request body at line ${line}, column ${column}: ${problem}`);
    expect(reason).not.toContain(SECRET.slice(3));
  });

  it('should number lines from firstLine when the text is one line of a larger body', () => {
    expect(() => parseJsonBody('{"a": x}', { firstLine: 7 })).toThrow('Failed to parse request body at line 7, column 7:');
  });

  it('should find no error in valid JSON', () => {
    for (const text of ['{"a": [1, -2.5e+3, true, false, null, "\\u00e9\\n"]}', ' 3 ', '"x"', arrays(50)]) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(locateJsonSyntaxError(text)).toBeUndefined();
    }
  });
});

describe('findExcessNesting', () => {
  it.each([
    ['a short text', '[[[', 2, 2],
    ['text within the limit', '[[{"a": []}]]', 4, -1],
    ['text one level over', '[[{"a": []}]]', 3, 8],
    ['brackets in strings', '["[[[[", "\\"[[["]', 1, -1],
    ['an escaped backslash before a closing quote', '["\\\\", [[]]]', 2, 8],
    ['an unterminated string', '["[[[[[', 1, -1],
  ])('should handle %s', (_case, text, maxDepth, offset) => {
    expect(findExcessNesting(text, maxDepth)).toBe(offset);
  });
});
