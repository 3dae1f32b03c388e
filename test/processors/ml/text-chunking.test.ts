import { describe, expect, it } from 'vitest';
import { TOKENIZERS } from '../../../src/processors/ml/chunkers/tokenizers.js';
import { textChunkingProcessor } from '../../../src/processors/ml/text-chunking.js';
import { buildProcessor, caught, FakePredictor, makeDocument } from './fake-predictor.js';

const DOC_EXAMPLE =
  'This is an example document to be chunked. The document contains a single paragraph, two sentences and 24 tokens by standard tokenizer in OpenSearch.';

async function chunk(
  algorithm: Record<string, unknown>,
  source: Record<string, unknown>,
  fieldMap: Record<string, unknown> = { text: 'chunks' },
  extra: Record<string, unknown> = {},
) {
  const document = makeDocument(source);
  await buildProcessor(textChunkingProcessor, { field_map: fieldMap, algorithm, ...extra }).execute(
    document,
  );
  return document.source();
}

describe('text_chunking algorithms', () => {
  it('reproduces the fixed_token_length example of the OpenSearch documentation', async () => {
    const source = await chunk(
      { fixed_token_length: { token_limit: 10, overlap_rate: 0.2, tokenizer: 'standard' } },
      { text: DOC_EXAMPLE },
    );
    expect(source['chunks']).toEqual([
      'This is an example document to be chunked. The document ',
      'The document contains a single paragraph, two sentences and 24 ',
      'and 24 tokens by standard tokenizer in OpenSearch.',
    ]);
  });

  it.each([
    [
      'fixed_token_length without overlap',
      { fixed_token_length: { token_limit: 2 } },
      'a b c d e',
      ['a b ', 'c d ', 'e'],
    ],
    [
      'fixed_token_length keeping leading text',
      { fixed_token_length: { token_limit: 2 } },
      '  -- a b c',
      ['  -- a b ', 'c'],
    ],
    [
      'fixed_token_length, text shorter than the limit',
      { fixed_token_length: {} },
      'short text',
      ['short text'],
    ],
    ['fixed_token_length, no tokens at all', { fixed_token_length: {} }, '-- !!', []],
    [
      'fixed_token_length, whitespace tokenizer',
      { fixed_token_length: { token_limit: 2, tokenizer: 'whitespace' } },
      "it's a-b c.d e",
      ["it's a-b ", 'c.d e'],
    ],
    ['the default algorithm ({})', {}, 'a b c', ['a b c']],
    [
      'delimiter, default paragraph breaks',
      { delimiter: {} },
      'p1\n\np2\n\np3',
      ['p1\n\n', 'p2\n\n', 'p3'],
    ],
    [
      'delimiter ".", trailing delimiter',
      { delimiter: { delimiter: '.' } },
      'One. Two. Three.',
      ['One.', ' Two.', ' Three.'],
    ],
    ['delimiter absent from the text', { delimiter: { delimiter: '|' } }, 'no pipes', ['no pipes']],
    [
      'fixed_char_length',
      { fixed_char_length: { char_limit: 4 } },
      'abcdefghij',
      ['abcd', 'efgh', 'ij'],
    ],
    [
      'fixed_char_length with overlap',
      { fixed_char_length: { char_limit: 4, overlap_rate: 0.5 } },
      'abcdefgh',
      ['abcd', 'cdef', 'efgh'],
    ],
    ['fixed_char_length, text within the limit', { fixed_char_length: {} }, 'abc', ['abc']],
  ])('chunks with %s', async (_case, algorithm, text, expected) => {
    expect((await chunk(algorithm, { text }))['chunks']).toEqual(expected);
  });

  it.each([
    [
      'fixed_token_length',
      { fixed_token_length: { token_limit: 1, max_chunk_limit: 3 } },
      'a b c d e',
      ['a ', 'b ', 'c d e'],
    ],
    [
      'delimiter',
      { delimiter: { delimiter: ',', max_chunk_limit: 2 } },
      'a,b,c,d',
      ['a,', 'b,c,d'],
    ],
    [
      'fixed_char_length',
      { fixed_char_length: { char_limit: 2, max_chunk_limit: 2 } },
      'aabbccdd',
      ['aa', 'bbccdd'],
    ],
    [
      'a disabled limit',
      { delimiter: { delimiter: ',', max_chunk_limit: -1 } },
      'a,b,c,d',
      ['a,', 'b,', 'c,', 'd'],
    ],
  ])(
    'puts the rest of the text in the last chunk beyond max_chunk_limit (%s)',
    async (_case, algorithm, text, expected) => {
      expect((await chunk(algorithm, { text }))['chunks']).toEqual(expected);
    },
  );

  it('applies max_chunk_limit to the whole document, keeping a chunk for every later string', async () => {
    const source = await chunk(
      { delimiter: { delimiter: ',', max_chunk_limit: 4 } },
      { first: 'a,b,c,d', second: ['e,f', 'g,h'] },
      { first: 'first_chunks', second: 'second_chunks' },
    );
    expect(source['first_chunks']).toEqual(['a,', 'b,c,d']);
    expect(source['second_chunks']).toEqual(['e,f', 'g,h']);
  });
});

describe('text_chunking field_map', () => {
  it.each([
    [
      'a nested map',
      { body: { text: 'chunks' } },
      { body: { text: 'a,b' } },
      { body: { text: 'a,b', chunks: ['a,', 'b'] } },
    ],
    [
      'a list of objects',
      { items: { text: 'chunks' } },
      { items: [{ text: 'a,b' }, { text: 'c' }, 'skipped'] },
      { items: [{ text: 'a,b', chunks: ['a,', 'b'] }, { text: 'c', chunks: ['c'] }, 'skipped'] },
    ],
    [
      'a list of strings (one flat list)',
      { texts: 'chunks' },
      { texts: ['a,b', 'c'] },
      { texts: ['a,b', 'c'], chunks: ['a,', 'b', 'c'] },
    ],
    ['a blank string', { text: 'chunks' }, { text: '   ' }, { text: '   ', chunks: [] }],
    ['a missing field (empty list)', { text: 'chunks' }, { other: 1 }, { other: 1, chunks: [] }],
    [
      'a dotted key (literal, not a path)',
      { 'a.b': 'chunks' },
      { a: { b: 'x,y' } },
      { a: { b: 'x,y' }, chunks: [] },
    ],
  ])('handles %s', async (_case, fieldMap, source, expected) => {
    expect(await chunk({ delimiter: { delimiter: ',' } }, source, fieldMap)).toEqual(expected);
  });

  it('leaves missing fields out with ignore_missing', async () => {
    expect(
      await chunk({ delimiter: {} }, { other: 1 }, { text: 'chunks' }, { ignore_missing: true }),
    ).toEqual({ other: 1 });
  });

  it.each([
    [
      'a number',
      { text: 3 },
      'map type field [text] is neither string nor nested type, cannot process it',
    ],
    [
      'a list with a number',
      { text: ['a', 3] },
      'list type field [text] has non string value, cannot process it',
    ],
    ['a list with null', { text: [null] }, 'list type field [text] has null, cannot process it'],
  ])('refuses %s', async (_case, source, reason) => {
    const error = await caught(() => chunk({ delimiter: {} }, source));
    expect(error.type).toBe('illegal_argument_exception');
    expect(error.reason).toBe(reason);
  });

  it('never calls a model', async () => {
    const predictor = new FakePredictor();
    await buildProcessor(
      textChunkingProcessor,
      { field_map: { text: 'chunks' }, algorithm: {} },
      predictor,
    ).execute(makeDocument({ text: 'a b' }));
    expect(predictor.calls).toHaveLength(0);
  });

  it('refuses a text over index.analyze.max_token_count (10,000 tokens)', async () => {
    const error = await caught(() =>
      chunk({ fixed_token_length: {} }, { text: 'word '.repeat(10_001) }),
    );
    expect(error.status).toBe(500);
    expect(error.reason).toContain('has exceeded the allowed maximum of [10000]');
  });
});

describe('text_chunking options', () => {
  it.each([
    ['a missing algorithm', { field_map: { a: 'b' } }, '[algorithm] required property is missing'],
    [
      'two algorithms',
      { field_map: { a: 'b' }, algorithm: { delimiter: {}, fixed_token_length: {} } },
      'Unable to create text_chunking processor as [algorithm] contains multiple algorithms',
    ],
    [
      'an unknown algorithm',
      { field_map: { a: 'b' }, algorithm: { sentences: {} } },
      'Chunking algorithm [sentences] is not supported. Supported chunking algorithms are [fixed_token_length, delimiter, fixed_char_length]',
    ],
    [
      'parameters that are not an object',
      { field_map: { a: 'b' }, algorithm: { delimiter: 'x' } },
      'Unable to create text_chunking processor as parameters for [delimiter] algorithm must be an object',
    ],
    [
      'a zero token_limit',
      { field_map: { a: 'b' }, algorithm: { fixed_token_length: { token_limit: 0 } } },
      'Parameter [token_limit] must be positive.',
    ],
    [
      'a text token_limit',
      { field_map: { a: 'b' }, algorithm: { fixed_token_length: { token_limit: 'ten' } } },
      'Parameter [token_limit] must be of java.lang.Integer type',
    ],
    [
      'too much overlap',
      { field_map: { a: 'b' }, algorithm: { fixed_token_length: { overlap_rate: 0.6 } } },
      'Parameter [overlap_rate] must be between 0.0 and 0.5',
    ],
    [
      'too much character overlap',
      { field_map: { a: 'b' }, algorithm: { fixed_char_length: { overlap_rate: 0.6 } } },
      'Parameter [overlap_rate] must be between 0.0 and 0.5, but was 0.6',
    ],
    [
      'an unsupported tokenizer',
      { field_map: { a: 'b' }, algorithm: { fixed_token_length: { tokenizer: 'keyword' } } },
      'Tokenizer [keyword] is not supported for [fixed_token_length] algorithm. Supported tokenizers are [standard, letter, lowercase, whitespace]',
    ],
    [
      'an empty delimiter',
      { field_map: { a: 'b' }, algorithm: { delimiter: { delimiter: '' } } },
      'Parameter [delimiter] should not be empty.',
    ],
    [
      'a zero max_chunk_limit',
      { field_map: { a: 'b' }, algorithm: { delimiter: { max_chunk_limit: 0 } } },
      'Parameter [max_chunk_limit] must be positive or -1 to disable this parameter',
    ],
    [
      'an empty field_map',
      { field_map: {}, algorithm: {} },
      'Unable to create the processor as field_map has invalid key or value',
    ],
  ])('refuses %s', async (_case, config, reason) => {
    const error = await caught(() => buildProcessor(textChunkingProcessor, config));
    expect(error.status).toBe(400);
    expect(error.reason).toBe(reason);
  });

  it('accepts numbers given as strings, as OpenSearch does', async () => {
    const source = await chunk(
      { fixed_token_length: { token_limit: '1', overlap_rate: '0' } },
      { text: 'a b' },
    );
    expect(source['chunks']).toEqual(['a ', 'b']);
  });
});

describe('word tokenizers', () => {
  const words = (tokenizer: string, text: string) =>
    TOKENIZERS[tokenizer]!(text).map((token) => text.slice(token.start, token.end));

  it.each([
    ["can't stop", ["can't", 'stop']],
    ['U.S.A. rocks', ['U.S.A', 'rocks']],
    ['3.14 and 1,000.50', ['3.14', 'and', '1,000.50']],
    ['foo_bar e-mail', ['foo_bar', 'e', 'mail']],
    ['hello, world!', ['hello', 'world']],
    ['test@example.com', ['test', 'example.com']],
    ['abc123 x2', ['abc123', 'x2']],
    ['日本語', ['日', '本', '語']],
    ['カタカナ abc', ['カタカナ', 'abc']],
    ['I ❤️ 🍕 👍🏽', ['I', '❤️', '🍕', '👍🏽']],
    ['café naïve', ['café', 'naïve']],
    ['___ _x', ['_x']],
  ])('standard splits %j', (text, expected) => {
    expect(words('standard', text)).toEqual(expected);
  });

  it.each([
    ['letter', "it's 42nd", ['it', 's', 'nd']],
    ['lowercase', 'Hello World', ['Hello', 'World']],
    ['whitespace', "it's  a-b\tc", ["it's", 'a-b', 'c']],
  ])('%s splits its own way', (tokenizer, text, expected) => {
    expect(words(tokenizer, text)).toEqual(expected);
  });

  it('cuts tokens longer than 255 characters', () => {
    expect(words('standard', 'a'.repeat(300)).map((word) => word.length)).toEqual([255, 45]);
  });
});
