/**
 * Removes credential values from text that came from a provider: some providers echo the key they
 * rejected, and the text ends up in an error API callers see.
 */
const REDACTED = '[REDACTED]';
/** Shorter values are too likely to occur by chance to be worth scrubbing (and are not real keys). */
const MIN_SCRUBBED_LENGTH = 4;

/** Replaces every secret (and its JSON-escaped and URL-encoded forms) in `text`. */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let scrubbed = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SCRUBBED_LENGTH) continue;
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])) {
      scrubbed = scrubbed.split(form).join(REDACTED);
    }
  }
  return scrubbed;
}
