import { describe, expect, it } from 'vitest';
import { javaFloatString, shortestFloat32 } from '../../src/util/float32.js';

describe('float32', () => {
  it.each<[number, number]>([
    [5 / 6, 0.8333333],
    [Math.fround(Math.fround(Math.fround(2 / 3) + 1) / 2), 0.8333334],
    [Math.fround(0.1), 0.1],
    [1 / 3, 0.33333334],
    [0.0005, 0.0005],
    [0, 0],
    [2, 2],
  ])('should print %d as Java prints the float (%d)', (value, expected) => {
    expect(shortestFloat32(value)).toBe(expected);
  });

  it.each<[number, string]>([
    [1, '1.0'],
    [0.3, '0.3'],
    [-0.5, '-0.5'],
    [64, '64.0'],
    [0.0001, '1.0E-4'],
    [12345678, '1.2345678E7'],
    [Number.NaN, 'NaN'],
  ])("should write %d as Java's Float.toString (%s)", (value, expected) => {
    expect(javaFloatString(value)).toBe(expected);
  });
});
