import { illegalArgument } from '../../../errors/opensearch-error.js';
import { isJsonObject } from '../../../util/json.js';

const UNRECOGNIZED = 'unrecognized parameters in normalization technique';

/**
 * Checks a normalization technique's `parameters` (ScoreNormalizationUtil.validateParameters):
 * only the technique's top-level names, and inside objects (or lists of objects) only the names
 * it lists for them.
 */
export function checkNormalizationParameters(
  parameters: Readonly<Record<string, unknown>> | undefined,
  supported: readonly string[],
  nested: Readonly<Record<string, readonly string[]>> = {},
): void {
  if (parameters === undefined) return;
  let unknown = false;
  for (const [name, value] of Object.entries(parameters)) {
    if (!supported.includes(name)) {
      unknown = true;
      continue;
    }
    const allowed = nested[name];
    if (isJsonObject(value)) unknown ||= hasUnknownKeys(value, allowed);
    else if (Array.isArray(value)) unknown ||= value.some((item) => !isJsonObject(item) || hasUnknownKeys(item, allowed));
    else if (Object.keys(nested).length > 0) unknown = true;
  }
  if (unknown) throw illegalArgument(UNRECOGNIZED);
}

const hasUnknownKeys = (value: Readonly<Record<string, unknown>>, allowed: readonly string[] | undefined): boolean =>
  allowed !== undefined && Object.keys(value).some((key) => !allowed.includes(key));
