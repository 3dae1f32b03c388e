/**
 * "Did you mean" for a misspelled name, scored the way OpenSearch scores an unknown setting
 * against the known ones (`AbstractScopedSettings.validate`): Lucene's Levenshtein similarity,
 * `1 - distance / longer length`, must be above 0.7.
 */
const SIMILARITY_THRESHOLD = 0.7;

/** The candidate most similar to `name` (the first of equals), or undefined when none is close. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: { candidate: string; similarity: number } | undefined;
  for (const candidate of candidates) {
    const longer = Math.max(name.length, candidate.length);
    if (longer === 0 || candidate === name) continue;
    const similarity = 1 - levenshtein(name, candidate) / longer;
    if (similarity > SIMILARITY_THRESHOLD && similarity > (best?.similarity ?? 0)) best = { candidate, similarity };
  }
  return best?.candidate;
}

/** `, did you mean [x]?` naming the closest candidate, or nothing when no name is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const closest = closestName(name, candidates);
  return closest === undefined ? '' : `, did you mean [${closest}]?`;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
