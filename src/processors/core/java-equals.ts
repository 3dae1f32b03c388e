/** Java's `equals` on JSON values: lists in order, maps regardless of key order. */
export function javaEquals(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => javaEquals(item, right[index]))
    );
  }
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null)
    return false;
  const leftKeys = Object.keys(left);
  const rightMap = right as Record<string, unknown>;
  return (
    leftKeys.length === Object.keys(right).length &&
    leftKeys.every(
      (key) =>
        Object.hasOwn(rightMap, key) &&
        javaEquals((left as Record<string, unknown>)[key], rightMap[key]),
    )
  );
}
