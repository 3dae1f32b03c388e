import { describe, expect, it } from 'vitest';
import type { ConnectorAction } from '../../../src/connectors/connector-record.js';
import { escapeJson, gsonEscape } from '../../../src/connectors/template/escape-json.js';
import { assembleParameters } from '../../../src/connectors/template/parameter-map.js';
import { renderBody, renderRequest } from '../../../src/connectors/template/render-request.js';
import { substitute } from '../../../src/connectors/template/string-substitutor.js';

const P = '${parameters.';
const body = (template: string, parameters: Record<string, string | null>) => renderBody({ request_body: template }, parameters);

describe('substitute (commons-text StringSubstitutor)', () => {
  it.each([
    ['plain', 'a ${parameters.x} b', { x: '1' }, 'a 1 b'],
    ['unresolved stays', '${parameters.y}', {}, '${parameters.y}'],
    ['default', '${parameters.y:-fallback}', {}, 'fallback'],
    ['default not used', '${parameters.x:-fallback}', { x: 'set' }, 'set'],
    ['empty default', '"${parameters.q:-}"', {}, '""'],
    ['recursive', '${parameters.a}', { a: 'x${parameters.b}y', b: 'B' }, 'xBy'],
    ['nested placeholder in a default is not expanded (first suffix wins)', '${parameters.a:-${parameters.b}}', { b: 'B' }, '${parameters.b}'],
    ['escape', '$${parameters.x} ${parameters.x}', { x: '1' }, '${parameters.x} 1'],
    ['dotted and dashed names', '${parameters.deploy-name}/${parameters.a.b}', { 'deploy-name': 'd', 'a.b': 'c' }, 'd/c'],
    ['no prototype access', '${parameters.constructor}', {}, '${parameters.constructor}'],
  ])('%s', (_case, template, values, expected) => {
    const map = values as Record<string, string>;
    expect(substitute(template, P, (name) => (Object.hasOwn(map, name) ? map[name] : undefined))).toBe(expected);
  });

  it('should report a cycle instead of looping', () => {
    const map: Record<string, string> = { a: '${parameters.b}', b: '${parameters.a}' };
    expect(() => substitute('${parameters.a}', P, (name) => map[name])).toThrow(/Infinite loop in property interpolation/);
  });
});

describe('escapeJson (commons-text) and gsonEscape', () => {
  it.each([
    ['quotes and backslash', 'say "hi" \\ ok', 'say \\"hi\\" \\\\ ok'],
    ['slash', 'a/b', 'a\\/b'],
    ['controls', 'l1\nl2\tt\r\b\f', 'l1\\nl2\\tt\\r\\b\\f'],
    ['other control', '\u0001', '\\u0001'],
    ['non-ASCII', 'café 😀', 'caf\\u00E9 \\uD83D\\uDE00'],
  ])('escapeJson: %s', (_case, input, expected) => {
    expect(escapeJson(input)).toBe(expected);
    expect(JSON.parse(`"${escapeJson(input)}"`)).toBe(input);
  });

  it('gsonEscape escapes HTML characters and keeps non-ASCII', () => {
    expect(gsonEscape('<a href="x">&é</a>')).toBe('\\u003ca href\\u003d\\"x\\"\\u003e\\u0026é\\u003c/a\\u003e');
  });
});

describe('renderBody (HttpConnector.createPayload)', () => {
  it.each([
    ['string slot', '{"text": "${parameters.text}"}', { text: 'hello' }, '{"text": "hello"}'],
    ['array slot', '{"input": ${parameters.input}}', { input: '["a","b"]' }, '{"input": ["a","b"]}'],
    ['number slot', '{"n": ${parameters.n}}', { n: '7' }, '{"n": 7}'],
    [':-null when missing', '{"a": "${parameters.a:-null}"}', {}, '{"a": null}'],
    [':-null when null', '{"a": "${parameters.a:-null}"}', { a: null }, '{"a": null}'],
    [':-null when set', '{"a": "${parameters.a:-null}"}', { a: 'v' }, '{"a": "v"}'],
    ['toString()', '{"q": "${parameters.obj.toString()}"}', { obj: '{"k":"v"}' }, '{"q": "{\\"k\\":\\"v\\"}"}'],
    ['NDJSON', '{"a":1}\n{"b":"${parameters.x}"}', { x: 'y' }, '{"a":1}\n{"b":"y"}'],
    ['skip missing check', '{"a": "${parameters.gone}"}', { skip_validating_missing_parameters: 'true' }, '{"a": "${parameters.gone}"}'],
  ])('%s', (_case, template, parameters, expected) => {
    expect(body(template, parameters as Record<string, string | null>)).toBe(expected);
  });

  it('should list every missing parameter with ML Commons message', () => {
    expect(() => body('{"a": "${parameters.x}", "b": "${parameters.y}"}', {})).toThrow(
      'Some parameter placeholder not filled in payload: x, y',
    );
  });

  it.each([
    ['an unquoted slot', '{"messages": ${parameters.messages}}'],
    ['a quoted slot', '{"messages": "${parameters.messages}"}'],
  ])('should name a missing parameter in %s rather than call the payload invalid', (_case, template) => {
    expect(() => body(template, { mesages: '[]' })).toThrow(/^Some parameter placeholder not filled in payload: messages$/);
  });

  it('should still call a payload invalid when missing parameters are not checked', () => {
    expect(() => body('{"m": ${parameters.m}}', { skip_validating_missing_parameters: 'true' })).toThrow(
      'Invalid payload: {"m": ${parameters.m}}',
    );
  });

  it('should reject an invalid payload with the payload in the message', () => {
    expect(() => body('{"a": ${parameters.x}}', { x: 'not json' })).toThrow('Invalid payload: {"a": not json}');
  });

  it('should use the http_body parameter when there is no request_body', () => {
    expect(renderBody({}, { http_body: '{"raw":true}' })).toBe('{"raw":true}');
  });
});

describe('assembleParameters (ML Commons order and escaping)', () => {
  it('should escape caller strings, keep JSON raw, honour no_escape_params and let the caller win', () => {
    const parameters = assembleParameters({
      connector: { model: 'm', temperature: '0', prompt: 'from connector' },
      request: { prompt: 'say "hi"', messages: '[{"role":"user"}]', raw: 'a"b', no_escape_params: 'raw' },
      preProcessed: { model: 'overridden', inputText: 'line\nbreak', prompt: 'from pre-process' },
    });
    expect(parameters['model']).toBe('overridden');
    expect(parameters['temperature']).toBe('0');
    expect(parameters['prompt']).toBe('say \\"hi\\"');
    expect(parameters['messages']).toBe('[{"role":"user"}]');
    expect(parameters['raw']).toBe('a"b');
    expect(parameters['inputText']).toBe('line\\nbreak');
  });

  it('should not escape connector parameters', () => {
    expect(assembleParameters({ connector: { a: 'x"y' }, request: {}, preProcessed: {} })['a']).toBe('x"y');
  });
});

describe('renderRequest', () => {
  const action: ConnectorAction = {
    action_type: 'PREDICT',
    method: 'post',
    url: 'https://${parameters.endpoint}/v1/chat?v=${parameters.version:-1}',
    headers: { Authorization: 'Bearer ${credential.key}', 'x-trace': '${parameters.trace}' },
    request_body: '{"m": "${parameters.model}"}',
  };

  it('should render URL, credential and parameter headers, and default the content type', () => {
    const rendered = renderRequest({ action, parameters: { endpoint: 'api.example', model: 'x', trace: 't1' }, credential: { key: 'secret' } });
    expect(rendered).toEqual({
      method: 'POST',
      url: 'https://api.example/v1/chat?v=1',
      headers: { Authorization: 'Bearer secret', 'x-trace': 't1', 'Content-Type': 'application/json' },
      body: '{"m": "x"}',
    });
  });

  it.each([
    [{ headers: { Authorization: 'Bearer ${parameters.token}' } }, { token: 't' }, "Header 'Authorization' cannot use ${parameters.*} placeholders for security reasons. Use ${credential.*} instead."],
    [{ headers: { 'x-trace': '${parameters.trace}' } }, {}, "Header 'x-trace' contains unresolved placeholder. Required parameter is missing."],
    [{ url: 'https://${parameters.host}/x' }, {}, 'Encountered error when trying to create uri from endpoint in ml connector.'],
  ])('should refuse %j', (change, parameters, message) => {
    expect(() =>
      renderRequest({ action: { ...action, ...change }, parameters: { endpoint: 'e', model: 'm', ...parameters }, credential: { key: 'k' } }),
    ).toThrow(message);
  });

  it('should never substitute credentials into the URL or body', () => {
    const rendered = renderRequest({
      action: { ...action, url: 'https://e/${credential.key}', request_body: '{"k": "${credential.key}"}' },
      parameters: { model: 'm', trace: 't' },
      credential: { key: 'secret' },
    });
    expect(rendered.url).not.toContain('secret');
    expect(rendered.body).not.toContain('secret');
  });
});
