/**
 * Wildcard patterns. `wildcardRegExp` follows Lucene's WildcardQuery (`*` any run, `?` one
 * character, `\` escapes). `GlobMatcher` serves `_source` filtering, where `*` may cross dots and
 * the filter must also know whether a path could still lead to a match deeper down.
 */

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;

/** A RegExp matching exactly what a Lucene wildcard pattern matches. */
export function wildcardRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '\\' && i + 1 < chars.length)
      source += (chars[++i] ?? '').replace(REGEX_SPECIAL, '\\$&');
    else source += ch.replace(REGEX_SPECIAL, '\\$&');
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'isu' : 'su');
}

/** A `*`-only glob that can test full matches and live prefixes. */
export class GlobMatcher {
  private readonly parts: readonly string[];

  constructor(readonly pattern: string) {
    this.parts = [...pattern];
  }

  /** States reachable after consuming `text` (index into the pattern; `*` may match nothing). */
  private run(text: string): Set<number> {
    let states = this.closure(new Set([0]));
    for (const ch of text) {
      const next = new Set<number>();
      for (const state of states) {
        const part = this.parts[state];
        if (part === '*') next.add(state);
        else if (part === ch) next.add(state + 1);
      }
      states = this.closure(next);
      if (states.size === 0) break;
    }
    return states;
  }

  private closure(states: Set<number>): Set<number> {
    for (const state of states) if (this.parts[state] === '*') states.add(state + 1);
    return states;
  }

  /** True when the whole of `text` matches. */
  matches(text: string): boolean {
    return this.run(text).has(this.parts.length);
  }

  /** True when some string starting with `prefix` could match. */
  canExtend(prefix: string): boolean {
    const states = this.run(prefix);
    return [...states].some((s) => s < this.parts.length || this.parts.length === 0);
  }
}
