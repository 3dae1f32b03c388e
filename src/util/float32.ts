/**
 * Java `float` arithmetic in JavaScript: each operation rounds to float32, as Java does between
 * float operations, so scores computed here equal the ones OpenSearch's plugins compute.
 */

/** Rounds to the nearest float32. */
export const f32: (value: number) => number = Math.fround;

/**
 * The shortest decimal that reads back as the same float32: the digits Java's `Float.toString`
 * prints (0.9251075, not 0.925107479095459), so scores serialise as OpenSearch serialises them.
 */
export function shortestFloat32(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const single = Math.fround(value);
  for (let digits = 1; digits <= 9; digits += 1) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return single;
}

/** Java's `Float.toString`: `1.0`, `0.3`, `1.0E-4`, `1.2345678E7`. */
export function javaFloatString(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const shortest = shortestFloat32(value);
  const magnitude = Math.abs(shortest);
  if (magnitude === 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
    const text = String(shortest);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '', exponent = ''] = shortest.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}
