import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  jsonEscape,
  javaUrlEncode,
  renderTemplate,
  TemplateSyntaxError,
} from '../../../src/processors/core/template.js';
import { TIMESTAMP, ingestDocument } from './helpers.js';

const source = {
  name: 'John "J" Doe',
  user: { first: 'Ada', roles: ['admin', 'dev'], address: { city: 'Paris' } },
  tags: ['a', 'b'],
  count: 3,
  ratio: 1.5,
  flag: true,
  off: false,
  empty: [],
  items: [{ id: 1 }, { id: 2 }],
  nothing: null,
  _ingest: 'shadowed source field',
};

describe('templates', () => {
  it.each([
    { name: 'plain text', template: 'no templates here', expected: 'no templates here' },
    { name: 'JSON-escaped variable', template: '{{name}}', expected: 'John \\"J\\" Doe' },
    { name: 'triple braces are raw', template: '{{{name}}}', expected: 'John "J" Doe' },
    { name: 'ampersand is raw', template: '{{& name}}', expected: 'John "J" Doe' },
    { name: 'spaces inside the tag', template: '{{ user.first }}', expected: 'Ada' },
    { name: 'dotted path', template: '{{user.address.city}}', expected: 'Paris' },
    { name: 'list index', template: '{{user.roles.1}}', expected: 'dev' },
    { name: 'list size', template: '{{tags.size}}', expected: '2' },
    { name: 'list prints as Java', template: '{{{tags}}}', expected: '[a, b]' },
    { name: 'map prints as Java', template: '{{{user.address}}}', expected: '{city=Paris}' },
    {
      name: 'numbers and booleans',
      template: '{{count}} {{ratio}} {{flag}}',
      expected: '3 1.5 true',
    },
    {
      name: 'missing renders empty',
      template: '[{{missing}}][{{user.missing.deeper}}][{{tags.9}}]',
      expected: '[][][]',
    },
    { name: 'null renders empty', template: '[{{nothing}}]', expected: '[]' },
    { name: '_source', template: '{{_source.user.first}}', expected: 'Ada' },
    { name: '_ingest.timestamp', template: '{{_ingest.timestamp}}', expected: TIMESTAMP },
    {
      name: '_ingest shadows a source field of that name',
      template: '{{_source._ingest}}',
      expected: 'shadowed source field',
    },
    { name: 'comment', template: 'a{{! ignored }}b', expected: 'ab' },
    { name: 'section over a list', template: '{{#items}}<{{id}}>{{/items}}', expected: '<1><2>' },
    {
      name: 'section with the current item',
      template: '{{#tags}}{{.}};{{/tags}}',
      expected: 'a;b;',
    },
    {
      name: 'section over a map',
      template: '{{#user}}{{first}} in {{address.city}}{{/user}}',
      expected: 'Ada in Paris',
    },
    {
      name: 'outer names inside a section',
      template: '{{#items}}{{count}}{{/items}}',
      expected: '33',
    },
    {
      name: 'false section',
      template: '[{{#off}}x{{/off}}][{{#empty}}x{{/empty}}][{{#missing}}x{{/missing}}]',
      expected: '[][][]',
    },
    { name: 'true section', template: '{{#flag}}yes{{/flag}}', expected: 'yes' },
    {
      name: 'inverted section',
      template:
        '{{^off}}a{{/off}}{{^empty}}b{{/empty}}{{^missing}}c{{/missing}}{{^flag}}d{{/flag}}',
      expected: 'abc',
    },
    {
      name: 'toJson of a map',
      template: '{{#toJson}}user.address{{/toJson}}',
      expected: '{"city":"Paris"}',
    },
    {
      name: 'toJson of a list',
      template: '{{#toJson}}items{{/toJson}}',
      expected: '[{"id":1},{"id":2}]',
    },
    { name: 'join', template: '{{#join}}tags{{/join}}', expected: 'a,b' },
    {
      name: 'join with a delimiter',
      template: "{{#join delimiter=' | '}}tags{{/join delimiter=' | '}}",
      expected: 'a | b',
    },
    {
      name: 'join of a non-list gives the text back',
      template: '{{#join}}count{{/join}}',
      expected: 'count',
    },
    {
      name: 'url',
      template: '{{#url}}{{{user.address.city}}} & co{{/url}}',
      expected: 'Paris+%26+co',
    },
  ])('$name', ({ template, expected }) => {
    expect(renderTemplate(compileTemplate(template), ingestDocument(source))).toBe(expected);
  });

  it.each([
    { template: '{{#a}}x', message: "Failed to close 'a' tag @[query-template:1]" },
    { template: '{{#a}}x{{/b}}', message: 'Mismatched start/end tags: a != b in query-template:1' },
    { template: 'line\n{{name', message: 'Improperly closed variable in query-template:2' },
    { template: '{{{name}}', message: 'Improperly closed variable in query-template:1' },
    {
      template: '{{> partial}}',
      message: 'Partials are not supported in ingest templates: {{> partial}}',
    },
  ])('refuses $template', ({ template, message }) => {
    expect(() => compileTemplate(template)).toThrow(new TemplateSyntaxError(message));
  });

  it('escapes as Jackson quoteAsString does', () => {
    expect(jsonEscape('a"b\\c\n\t\r\b\f\u0001/é')).toBe('a\\"b\\\\c\\n\\t\\r\\b\\f\\u0001/é');
  });

  it('URL-encodes as java.net.URLEncoder does', () => {
    expect(javaUrlEncode("a b!'()~*._-é")).toBe('a+b%21%27%28%29%7E*._-%C3%A9');
  });
});
