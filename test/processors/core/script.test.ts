import { describe, expect, it } from 'vitest';
import { configError, create, ingestDocument, run, runError } from './helpers.js';

describe('script', () => {
  it.each([
    {
      name: 'params and ctx',
      options: { source: 'ctx.total = ctx.price * params.factor', params: { factor: 2 } },
      input: { price: 21 },
      expected: { price: 21, total: 42 },
    },
    {
      name: 'the docs syntax example (ctx._source is a plain field in ingest scripts)',
      options: { source: 'ctx.new_field = ctx.old_field * 2;' },
      input: { old_field: 4 },
      expected: { old_field: 4, new_field: 8 },
    },
    {
      name: 'removing a field',
      options: { source: "ctx.remove('secret')" },
      input: { secret: 1, kept: 2 },
      expected: { kept: 2 },
    },
    {
      name: 'nested changes',
      options: {
        source: 'ctx.user.tags.add(params.tag); ctx.user.name = ctx.user.name.toUpperCase()',
        params: { tag: 'new' },
      },
      input: { user: { name: 'ada', tags: ['old'] } },
      expected: { user: { name: 'ADA', tags: ['old', 'new'] } },
    },
    {
      name: 'the deprecated inline name',
      options: { inline: 'ctx.a = 1' },
      input: {},
      expected: { a: 1 },
    },
    {
      name: 'an explicit painless lang',
      options: { source: 'ctx.a = 1', lang: 'painless' },
      input: {},
      expected: { a: 1 },
    },
  ])('$name', async ({ options, input, expected }) => {
    expect(await run('script', options, input)).toEqual(expected);
  });

  it('sees metadata fields in ctx and can change them', async () => {
    const document = ingestDocument({ a: 1 });
    await create('script', { source: "ctx._index = ctx._index + '-' + ctx.a" }).execute(document);
    expect(document.metadata('_index')).toBe('my-index-1');
  });

  it('gives each document fresh params', async () => {
    const processor = create('script', {
      source: 'params.seen.add(ctx.id); ctx.count = params.seen.size()',
      params: { seen: [] },
    });
    const first = ingestDocument({ id: 1 });
    const second = ingestDocument({ id: 2 });
    await processor.execute(first);
    await processor.execute(second);
    expect(second.getField('count')).toBe(1);
  });

  it('fails a document with the script’s own exception', async () => {
    expect(
      await runError(
        'script',
        { source: "if (ctx.a == null) { throw new IllegalArgumentException('a is required') }" },
        {},
      ),
    ).toMatchObject({
      status: 400,
      type: 'illegal_argument_exception',
      reason: 'a is required',
    });
  });

  it('refuses a script that does not compile when the pipeline is built', async () => {
    const error = await configError('script', { source: 'ctx.a = ' });
    expect(error).toMatchObject({
      status: 400,
      type: 'script_exception',
      extra: { lang: 'painless', processor_type: 'script' },
    });
    expect(error.reason).toMatch(/^Painless compile error at line 1, column \d+: /);
  });

  it.each([
    {
      name: 'a stored script id',
      options: { id: 'my-script' },
      reason:
        'stored scripts are not supported: put the script in [source] instead of referring to [id] [my-script]',
    },
    {
      name: 'both source and id',
      options: { source: 'ctx.a = 1', id: 'x' },
      reason: 'must only use one of [source, id] when specifying a script',
    },
    {
      name: 'neither source nor id',
      options: { params: {} },
      reason: 'must specify either [source] for an inline script or [id] for a stored script',
    },
    {
      name: 'another language',
      options: { source: 'doc.a', lang: 'expression' },
      reason: 'script_lang not supported [expression]',
    },
    {
      name: 'compiler options',
      options: { source: 'ctx.a = 1', options: { flag: 'x' } },
      reason: 'illegal compiler options [{flag=x}] specified',
    },
  ])('refuses $name', async ({ options, reason }) => {
    expect(await configError('script', options)).toMatchObject({
      status: 400,
      type: 'illegal_argument_exception',
      reason,
      extra: { processor_type: 'script' },
    });
  });

  it('accepts the content_type compiler option', async () => {
    expect(
      await run(
        'script',
        { source: 'ctx.a = 1', options: { content_type: 'application/json' } },
        {},
      ),
    ).toEqual({ a: 1 });
  });

  it('refuses params that are not a map', async () => {
    expect((await configError('script', { source: 'ctx.a = 1', params: [1] })).reason).toBe(
      "[params] property isn't a map, but of type [java.util.ArrayList]",
    );
  });
});
