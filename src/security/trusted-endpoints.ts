import { illegalArgument } from '../errors/opensearch-error.js';
import { redactUrl } from '../util/redact-url.js';

const compiled = new Map<string, RegExp>();

/** Java's `Pattern.matches` is a full match; anchor the expression the same way. */
function fullMatch(expression: string): RegExp {
  let regex = compiled.get(expression);
  if (!regex) {
    regex = new RegExp(`^(?:${expression})$`);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(expression, regex);
  }
  return regex;
}

/** Whether `url` fully matches one of `expressions` (Java's `Pattern.matches`). */
export function matchesAnyEndpoint(url: string, expressions: readonly string[]): boolean {
  return expressions.some((expression) => fullMatch(expression).test(url));
}

/**
 * Throws ML Commons' error unless `url` fully matches one of the trusted expressions. The message
 * names the URL (query values redacted) as ML Commons 2.9 did, and the setting that would allow it.
 */
export function assertTrustedEndpoint(url: string, trustedExpressions: readonly string[]): void {
  if (trustedExpressions.length === 0) {
    throw illegalArgument(
      'Trusted connector endpoints regex is not configured. Please set plugins.ml_commons.trusted_connector_endpoints_regex.',
    );
  }
  if (!matchesAnyEndpoint(url, trustedExpressions)) {
    throw illegalArgument(
      `Connector URL is not matching the trusted connector endpoint regex, URL is: ${redactUrl(url)}. ` +
        'To allow it, add a regex that fully matches it to plugins.ml_commons.trusted_connector_endpoints_regex.',
    );
  }
}
