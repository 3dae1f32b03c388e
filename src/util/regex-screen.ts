/** The longest trusted-endpoint expression accepted (ML Commons 3.7's limit). */
export const MAX_SCREENED_REGEX_LENGTH = 256;

/**
 * Screens an operator-supplied regular expression for catastrophic backtracking before it is used
 * on every request (ML Commons 3.7's ReDoS screen): too long, back-references, and quantified
 * groups that themselves contain a quantifier (`(a+)+`, `(.*)*`, `(x|y+){2,}`) are refused.
 * Returns the reason, or undefined when the expression is acceptable.
 */
export function screenRegex(expression: string): string | undefined {
  if (expression.length > MAX_SCREENED_REGEX_LENGTH) return `longer than ${MAX_SCREENED_REGEX_LENGTH} characters`;
  if (/\\[1-9]|\\k</.test(expression)) return 'back-references are not allowed';
  // For each open group: whether a quantifier appeared inside it.
  const groups: boolean[] = [];
  let inClass = false;
  for (let index = 0; index < expression.length; index++) {
    const character = expression[index];
    if (character === '\\') {
      index++;
      continue;
    }
    if (inClass) {
      if (character === ']') inClass = false;
      continue;
    }
    if (character === '[') inClass = true;
    else if (character === '(') groups.push(false);
    else if (character === ')') {
      const hadQuantifier = groups.pop() ?? false;
      if (hadQuantifier && isQuantifierAt(expression, index + 1)) return 'nested quantifiers can backtrack catastrophically';
      if (hadQuantifier && groups.length > 0) groups[groups.length - 1] = true;
    } else if (isQuantifierAt(expression, index) && groups.length > 0) {
      groups[groups.length - 1] = true;
    }
  }
  return undefined;
}

/** `*`, `+`, or `{n,}` / `{n,m}` with m > 1 at `index` (`?` and `{0,1}` cannot blow up). */
function isQuantifierAt(expression: string, index: number): boolean {
  const character = expression[index];
  if (character === '*' || character === '+') return true;
  if (character !== '{') return false;
  const match = /^\{(\d*)(,(\d*))?\}/.exec(expression.slice(index));
  if (!match) return false;
  if (match[2] === undefined) return Number(match[1]) > 1;
  return match[3] === '' || Number(match[3]) > 1;
}
