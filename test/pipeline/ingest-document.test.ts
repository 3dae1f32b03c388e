import { describe, expect, it } from 'vitest';
import { IngestDocument } from '../../src/pipeline/ingest-document.js';

const make = () =>
  IngestDocument.create({ a: { b: 1, list: [{ c: 'x' }, { c: 'y' }] }, top: 'v', nil: null }, { _index: 'idx', _id: '1' }, '2026-01-01T00:00:00.000Z');

describe('IngestDocument', () => {
  it.each([
    ['a.b', 1],
    ['a.list.1.c', 'y'],
    ['top', 'v'],
    ['_source.top', 'v'],
    ['_index', 'idx'],
    ['_ingest.timestamp', '2026-01-01T00:00:00.000Z'],
    ['nil', null],
  ])('should read %s', (path, expected) => {
    expect(make().getField(path)).toEqual(expected);
    expect(make().hasField(path)).toBe(true);
  });

  it.each([
    ['missing', 'field [missing] not present as part of path [missing]'],
    ['a.zz', 'field [zz] not present as part of path [a.zz]'],
    ['a.list.5.c', '[5] is out of bounds for array with length [2] as part of path [a.list.5.c]'],
    ['a.list.x', '[x] is not an integer, cannot be used as an index as part of path [a.list.x]'],
    ['top.deeper', 'cannot resolve [deeper] from object of type [java.lang.String] as part of path [top.deeper]'],
  ])('should report a missing %s as OpenSearch does', (path, message) => {
    expect(() => make().getField(path)).toThrow(message);
    expect(make().getField(path, true)).toBeUndefined();
    expect(make().hasField(path)).toBe(false);
  });

  it('should set with intermediate objects, into lists, and into _ingest', () => {
    const document = make();
    document.setField('new.deep.field', 3);
    document.setField('a.list.0.c', 'z');
    document.setField('_ingest._value', 'v');
    expect(document.source()).toMatchObject({ new: { deep: { field: 3 } }, a: { list: [{ c: 'z' }, { c: 'y' }] } });
    expect(document.ingestMetadata['_value']).toBe('v');
    expect(() => document.setField('top.x', 1)).toThrow('cannot set [x] with parent object of type [java.lang.String] as part of path [top.x]');
  });

  it('should remove fields and list elements', () => {
    const document = make();
    document.removeField('a.list.0');
    document.removeField('top');
    expect(document.source()).toEqual({ a: { b: 1, list: [{ c: 'y' }] }, nil: null });
    expect(() => document.removeField('top')).toThrow('field [top] not present as part of path [top]');
    expect(() => document.removeField('top', true)).not.toThrow();
  });

  it('should append, turning a scalar into a list, and honour allow_duplicates', () => {
    const document = make();
    document.appendField('top', ['w', 'v']);
    expect(document.getField('top')).toEqual(['v', 'w', 'v']);
    document.appendField('top', 'v', false);
    expect(document.getField('top')).toEqual(['v', 'w', 'v']);
    document.appendField('fresh', 1);
    expect(document.getField('fresh')).toEqual([1]);
  });

  it('should keep metadata out of the source and never reach prototypes', () => {
    const document = make();
    expect(document.source()).not.toHaveProperty('_index');
    expect(document.hasField('constructor')).toBe(false);
    expect(document.hasField('a.__proto__')).toBe(false);
    expect(() => document.setField('__proto__.polluted', true)).toThrow('path [__proto__.polluted] is not valid');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
