import { illegalArgument } from '../../errors/opensearch-error.js';
import type { ConnectorAction } from '../connector-record.js';
import { gsonEscape, isValidPayload } from './escape-json.js';
import { SENSITIVE_HEADERS } from './header-policy.js';
import { mapResolver, substitute } from './string-substitutor.js';

const PARAMETERS = '${parameters.';
const CREDENTIAL = '${credential.';
const SKIP_MISSING_CHECK = 'skip_validating_missing_parameters';
const NULL_DEFAULT = /"\$\{parameters\.(\w+):-null\}"/g;
const TO_STRING = /\$\{parameters\.([^}]+?)\.toString\(\)\}/g;
const LEFTOVER = /\$\{parameters\.([^}]+)\}/g;

/** An HTTP request ready to sign and send. */
export interface RenderedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/**
 * Renders an action's URL, headers and body from the parameter map and the decrypted credential,
 * with ML Commons' rules and messages (HttpConnector.createPayload, validatePayload,
 * createDecryptedHeaders).
 */
export function renderRequest(options: {
  action: ConnectorAction;
  parameters: Readonly<Record<string, string | null>>;
  credential: Readonly<Record<string, string>>;
}): RenderedRequest {
  const { action, parameters } = options;
  const method = action.method.toUpperCase();
  const body = renderBody(action, parameters);
  if (body !== undefined && method === 'POST' && body.length === 0) {
    throw illegalArgument('Content length is 0. Aborting request to remote model');
  }
  return { method, url: renderUrl(action.url, parameters), headers: renderHeaders(action.headers ?? {}, parameters, options.credential), body };
}

/** The body: `request_body` rendered, or the raw `http_body` parameter when there is no template. */
export function renderBody(action: Pick<ConnectorAction, 'request_body'>, parameters: Readonly<Record<string, string | null>>): string | undefined {
  if (action.request_body === undefined) return parameters['http_body'] ?? undefined;
  const values: Record<string, string | null> = Object.assign(Object.create(null), parameters);
  const template = action.request_body.replace(NULL_DEFAULT, (placeholder, name: string) =>
    values[name] === undefined || values[name] === null ? 'null' : placeholder,
  );
  for (const match of template.matchAll(TO_STRING)) {
    const name = match[1]!;
    const value = values[name];
    if (typeof value === 'string') values[`${name}.toString()`] = gsonEscape(value);
  }
  const payload = substitute(template, PARAMETERS, mapResolver(values));
  // Missing parameters first: an unfilled `${parameters.x}` also makes the payload invalid JSON,
  // and naming `x` says what to fix where `Invalid payload: ...` does not (ML Commons checks JSON first).
  if (values[SKIP_MISSING_CHECK] !== 'true') {
    const missing = [...payload.matchAll(LEFTOVER)].map((match) => match[1]);
    if (missing.length > 0) throw illegalArgument(`Some parameter placeholder not filled in payload: ${missing.join(', ')}`);
  }
  if (!isValidPayload(payload)) throw illegalArgument(`Invalid payload: ${payload}`);
  return payload;
}

function renderUrl(template: string, parameters: Readonly<Record<string, string | null>>): string {
  const url = substitute(template, PARAMETERS, mapResolver(parameters));
  if (url.includes(PARAMETERS)) {
    throw illegalArgument(
      `Encountered error when trying to create uri from endpoint in ml connector. Please update the endpoint in connection configuration: ${url}`,
    );
  }
  return url;
}

function renderHeaders(
  templates: Readonly<Record<string, string>>,
  parameters: Readonly<Record<string, string | null>>,
  credential: Readonly<Record<string, string>>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(templates)) {
    let value = substitute(template, CREDENTIAL, mapResolver(credential));
    if (value.includes(PARAMETERS)) {
      if (SENSITIVE_HEADERS.has(name.toLowerCase())) {
        throw illegalArgument(`Header '${name}' cannot use \${parameters.*} placeholders for security reasons. Use \${credential.*} instead.`);
      }
      value = substitute(value, PARAMETERS, mapResolver(parameters));
      if (value.includes(PARAMETERS)) throw illegalArgument(`Header '${name}' contains unresolved placeholder. Required parameter is missing.`);
    }
    headers[name] = value;
  }
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  return headers;
}
