/**
 * A URL fit for an error message. Query values may be keys (Gemini's `?key=`, signed URLs), so each
 * becomes `***`; user info is dropped and so is the fragment. The text is not re-serialised, so an
 * unresolved `${parameters.x}` still reads as written.
 */
export function redactUrl(url: string): string {
  const beforeFragment = url.split('#', 1)[0] as string;
  const queryAt = beforeFragment.indexOf('?');
  const base = (queryAt === -1 ? beforeFragment : beforeFragment.slice(0, queryAt)).replace(
    /^([a-z][a-z0-9+.-]*:\/\/)[^@/?]*@/i,
    '$1',
  );
  if (queryAt === -1) return base;
  const query = beforeFragment
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      // A bare `?AIza...` may be a key as much as a value is.
      return equals === -1 ? (pair === '' ? '' : '***') : `${pair.slice(0, equals)}=***`;
    })
    .join('&');
  return `${base}?${query}`;
}
