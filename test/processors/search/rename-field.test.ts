import { describe, expect, it } from 'vitest';
import { renameFieldProcessor } from '../../../src/processors/search/rename-field.js';
import { build, hitsOf, responseContext, searchResponse } from './helpers.js';

type Json = Record<string, unknown>;

const run = async (options: Json, hits: Json[]) => {
  const context = responseContext({}, searchResponse(hits));
  await build(renameFieldProcessor, options).processResponse(context);
  return hitsOf(context.response);
};

describe('rename_field', () => {
  it('should rename the field in _source and in fields', async () => {
    const hits = await run({ field: 'title', target_field: 'name' }, [
      { _id: '1', _source: { title: 'a', other: 1 } },
      { _id: '2', _source: { other: 2 }, fields: { title: ['b'] } },
    ]);
    expect(hits).toEqual([
      { _id: '1', _source: { name: 'a', other: 1 } },
      { _id: '2', _source: { other: 2 }, fields: { name: ['b'] } },
    ]);
  });

  it('should fail on any hit without the field, even after one that had it', async () => {
    await expect(run({ field: 'title', target_field: 'name' }, [{ _id: '1', _source: { title: 'a' } }, { _id: '2', _source: {} }])).rejects.toMatchObject({
      status: 400,
      type: 'illegal_argument_exception',
      reason: 'Document with id 2 is missing field title',
    });
  });

  it('should let hits without the field through with ignore_missing', async () => {
    const hits = await run({ field: 'title', target_field: 'name', ignore_missing: true }, [{ _id: '1', _source: { x: 1 } }]);
    expect(hits).toEqual([{ _id: '1', _source: { x: 1 } }]);
  });

  it('should only rename a top-level field', async () => {
    await expect(run({ field: 'a.b', target_field: 'c' }, [{ _id: '1', _source: { a: { b: 1 } } }])).rejects.toMatchObject({
      reason: 'Document with id 1 is missing field a.b',
    });
  });

  it.each<[string, Json, string]>([
    ['no field', { target_field: 'x' }, '[field] required property is missing'],
    ['no target_field', { field: 'x' }, '[target_field] required property is missing'],
    ['a non-boolean ignore_missing', { field: 'x', target_field: 'y', ignore_missing: 'yes' }, "[ignore_missing] property isn't a boolean, but of type [java.lang.String]"],
  ])('should refuse %s', (_name, options, reason) => {
    expect(() => build(renameFieldProcessor, options)).toThrow(expect.objectContaining({ status: 400, type: 'parse_exception', reason }));
  });
});
