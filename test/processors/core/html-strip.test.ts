import { describe, expect, it } from 'vitest';
import { stripHtml } from '../../../src/processors/core/strip-html.js';
import { configError, run, runError } from './helpers.js';

describe('html_strip', () => {
  it('runs the docs example: description cleaned into cleaned_description', async () => {
    const description = 'This is a <b>test</b> description with <i>some</i> HTML tags.';
    expect(
      await run(
        'html_strip',
        { field: 'description', target_field: 'cleaned_description' },
        { description },
      ),
    ).toEqual({
      description,
      cleaned_description: 'This is a test description with some HTML tags.',
    });
  });

  it.each([
    ['block tags become newlines', '<p>Hello</p><p>World</p>', '\nHello\n\nWorld\n'],
    [
      'unknown and custom tags are block tags',
      '<div><custom-tag x="1">a</custom-tag></div>',
      '\n\na\n\n',
    ],
    ['inline tags vanish', '<span class="x">a</span><a href="/x">b</a><img src="i.png"/>c', 'abc'],
    ['a longer name is not its inline prefix', '<bx>a</bx>', '\na\n'],
    ['br in every spelling', 'a<br>b<br/>c<BR />d</br>e', 'a\nb\nc\nd\ne'],
    ['upper-case tags', '<P>a</P><B>b</B>', '\na\nb'],
    ['quoted attributes may hold > and <', '<a title="x > y < z">t</a>', 't'],
    [
      'script elements become one newline',
      'a<script type="text/javascript">if (a < b) { x(">"); }</script>b',
      'a\nb',
    ],
    ['style elements become one newline', 'a<style>p > b { color: red }</style>b', 'a\nb'],
    ['comments vanish', 'a<!-- <p>hidden</p> -->b', 'ab'],
    ['an unclosed comment drops the rest', 'a<!-- open <p>x</p>', 'a'],
    ['declarations vanish', '<!DOCTYPE html>x', 'x'],
    ['processing instructions vanish', '<?xml version="1.0"?>x<b>', 'x'],
    ['CDATA keeps its text', '<p><![CDATA[a<b & c]]></p>', '\na<b & c\n'],
    [
      'named entities',
      '<b>&lt;tag&gt; &amp; &quot;q&quot; &apos;s&apos; &copy; &eacute; &nbsp;&euro;</b>',
      '<tag> & "q" \'s\' © é \u00a0€',
    ],
    ['the longest entity name wins', '<b>&notin; &not;</b>', '∉ ¬'],
    ['an entity without its semicolon stays', '<b>&amp x &notit;</b>', '&amp x &notit;'],
    ['an entity without its semicolon at the very end is decoded', '<b>x</b> &amp', 'x &'],
    ['numeric references', '<b>&#65;&#x42;&#X43;</b>', 'ABC'],
    ['a surrogate pair', '<b>&#xD83D;&#xDE00;</b>', '😀'],
    ['a lone surrogate', '<b>&#xD83D;x</b>', '\uFFFDx'],
    ['six hex digits are too many for Lucene', '<b>&#x1F600;&#x01F600;</b>', '😀&#x01F600;'],
    ['a lone < is text', 'x < 5 and y > 3', 'x < 5 and y > 3'],
    ['a spaced tag is still a tag', 'a < b > c', 'a  c'],
    ['a tag name at the very end is dropped', 'a > b <c', 'a > b '],
    ['an unclosed tag is text', '<b class="x" <i>y</i>', '<b class="x" y'],
  ])('%s', (_name, input, expected) => {
    expect(stripHtml(input)).toBe(expected);
  });

  it.each([
    ['no markup', 'a &amp; b'],
    ['a < without a >', 'a &amp; <b'],
  ])('returns text with %s unchanged, entities and all', async (_name, text) => {
    expect(await run('html_strip', { field: 'a' }, { a: text })).toEqual({ a: text });
  });

  it('strips every string of a list', async () => {
    expect(await run('html_strip', { field: 'a' }, { a: ['<b>x</b>', 'y'] })).toEqual({
      a: ['x', 'y'],
    });
  });

  it('fails on a null field without ignore_missing, and skips it with', async () => {
    expect((await runError('html_strip', { field: 'a' }, { a: null })).reason).toBe(
      'field [a] is null, cannot process it.',
    );
    expect(await run('html_strip', { field: 'a', ignore_missing: true }, { a: null })).toEqual({
      a: null,
    });
  });

  it('refuses a missing field option', async () => {
    expect((await configError('html_strip', {})).reason).toBe(
      '[field] required property is missing',
    );
  });
});
