import { escapeJson, isJsonObjectOrArray } from './escape-json.js';

/**
 * ML Commons' escaping of predict parameters (ConnectorUtils.escapeRemoteInferenceInputData):
 * values that are whole JSON objects or arrays stay raw, so they can fill `${parameters.messages}`
 * slots; other strings are escaped for a `"${parameters.x}"` slot. `no_escape_params` (a comma
 * list) exempts keys whose templates quote nothing.
 */
export function escapeParameters(
  parameters: Readonly<Record<string, string | null>>,
  noEscape: ReadonlySet<string>,
): Record<string, string | null> {
  const escaped: Record<string, string | null> = Object.create(null);
  for (const [key, value] of Object.entries(parameters)) {
    escaped[key] = value === null || noEscape.has(key) || isJsonObjectOrArray(value) ? value : escapeJson(value);
  }
  return escaped;
}

/** The keys `no_escape_params` lists, wherever the parameter came from. */
export function noEscapeKeys(...sources: ReadonlyArray<Readonly<Record<string, string | null>> | undefined>): Set<string> {
  for (const source of [...sources].reverse()) {
    const list = source?.['no_escape_params'];
    if (typeof list === 'string') return new Set(list.split(',').map((key) => key.trim()).filter(Boolean));
  }
  return new Set();
}

/**
 * The parameter map of one provider call, in ML Commons' order: connector parameters, then the
 * caller's (escaped), then the pre-process output (escaped), then the caller's again so the
 * caller always wins.
 */
export function assembleParameters(options: {
  connector: Readonly<Record<string, string>> | undefined;
  request: Readonly<Record<string, string | null>>;
  preProcessed: Readonly<Record<string, string | null>>;
}): Record<string, string | null> {
  const noEscape = noEscapeKeys(options.connector, options.request);
  const request = escapeParameters(options.request, noEscape);
  return Object.assign(
    Object.create(null) as Record<string, string | null>,
    options.connector,
    request,
    escapeParameters(options.preProcessed, noEscape),
    request,
  );
}
