import { illegalArgument, OpenSearchError } from '../../errors/opensearch-error.js';
import { MAX_JSON_NESTING_DEPTH } from '../../util/json.js';
import { findExcessNesting } from '../../util/json-nesting.js';
import { isProviderError } from '../../errors/provider-error.js';
import type { HttpClient, OutboundResponse, SendPolicy } from '../../http/http-client.js';
import { estimateTextTokens } from '../../http/request-pacer.js';
import { awsSigningContext, signSigV4 } from '../../security/sigv4.js';
import { connectorTransport } from '../client-config.js';
import type { ConnectorAction, ConnectorDefinition } from '../connector-record.js';
import type { ModelTensor, PredictInput } from '../functions/types.js';
import { assembleParameters } from '../template/parameter-map.js';
import { renderRequest } from '../template/render-request.js';
import { readTokenUsage, type TokenUsage } from '../usage/token-usage.js';
import { docsPerRequest, runPreProcess } from './process-input.js';
import { runPostProcess } from './process-output.js';
import { stripNullNovaSections } from './nova-payload.js';
import { emptyResponseError, tooDeepResponseError } from './remote-errors.js';
import type { ScriptFunctions } from './script-functions.js';

/** One provider call's result: an `inference_results[]` element. */
export interface ModelTensors {
  output: ModelTensor[];
  status_code: number;
}

export interface InvokeOptions {
  readonly connector: ConnectorDefinition;
  readonly credential: Readonly<Record<string, string>>;
  /**
   * A rotation window's previous credential: a call the provider refuses with 401/403 is sent once
   * more with it, so both keys work while the provider propagates the new one.
   */
  readonly previousCredential?: Readonly<Record<string, string>> | undefined;
  readonly input: PredictInput;
  readonly http: HttpClient;
  readonly scripts: ScriptFunctions;
  /** Called before each provider call (the model's rate limiter hooks in here). */
  readonly beforeCall?: () => void;
  /** Checks the URL as resolved with the request's parameters (the trusted-endpoint regexes). */
  readonly assertUrlAllowed: (url: string) => void;
  /** How the call is sent: the connector's pool and the address guard (its `client_config` and credential are added here). */
  readonly sendPolicy: Omit<SendPolicy, 'transport' | 'secrets'>;
  /** How many replicas share the connector's paced rates (each paces its share); default 1. */
  readonly replicas?: number;
  /** Hears the tokens each provider call reports (before post-processing, so even a call whose answer fails it). */
  readonly onUsage?: (usage: TokenUsage) => void;
}

const STEP_SIZE = 'input_docs_processed_step_size';

/**
 * Calls a connector's predict action for one predict request: splits text docs into provider
 * calls as ML Commons does, runs them concurrently, and returns one result per call, in order.
 * Any failed call fails the whole predict.
 */
export async function invokeConnector(options: InvokeOptions): Promise<ModelTensors[]> {
  const action = findPredictAction(options.connector);
  const chunks = splitInput(options.connector, action, options.input);
  return Promise.all(chunks.map((chunk) => callOnce(options, action, chunk)));
}

export function findPredictAction(connector: ConnectorDefinition): ConnectorAction {
  const action = connector.actions.find((candidate) => candidate.action_type === 'PREDICT');
  if (!action) throw illegalArgument('no predict action found');
  return action;
}

function splitInput(connector: ConnectorDefinition, action: ConnectorAction, input: PredictInput): PredictInput[] {
  if (input.kind !== 'text_docs') return [input];
  const docs = input.textDocs;
  let step = docs.length;
  const configured = connector.parameters?.[STEP_SIZE];
  if (configured !== undefined) {
    step = Number(configured);
    if (!Number.isInteger(step) || step <= 0) {
      throw illegalArgument(`Invalid parameter: ${STEP_SIZE}. It must be positive integer.`);
    }
  } else if (docsPerRequest(action, input) === 'one') {
    step = 1;
  }
  const chunks: PredictInput[] = [];
  for (let start = 0; start < docs.length; start += Math.max(step, 1)) {
    chunks.push({ kind: 'text_docs', textDocs: docs.slice(start, start + step) });
  }
  return chunks;
}

async function callOnce(options: InvokeOptions, action: ConnectorAction, input: PredictInput): Promise<ModelTensors> {
  const parameters = callParameters(options, action, input);
  // The provider counts the texts, not the JSON around them.
  const estimatedTokens = input.kind === 'text_docs' ? estimateTextTokens(input.textDocs) : undefined;
  const send = (credential: Readonly<Record<string, string>>) => {
    const request = renderWith(action, parameters, credential);
    options.assertUrlAllowed(request.url);
    options.beforeCall?.();
    return options.http.send({ ...signedRequest(options, request, parameters, credential), estimatedTokens }, sendPolicyOf(options));
  };
  const response = await withPreviousCredential(options, send);
  if (response.body.trim() === '') throw emptyResponseError();
  // A hostile or broken endpoint must not overflow the stack of the code that walks the answer.
  if (findExcessNesting(response.body, MAX_JSON_NESTING_DEPTH) !== -1) throw tooDeepResponseError();
  // Parsed once: the usage is read from it and the post-process starts from it.
  const parsed = tryParseJson(response.body);
  if (options.onUsage !== undefined) {
    const usage = readTokenUsage(parsed?.value, response.headers);
    if (usage !== undefined) options.onUsage(usage);
  }
  try {
    return { output: runPostProcess(action, response.body, parameters, options.scripts, parsed), status_code: response.status };
  } catch (error) {
    throw postProcessError(error, response.status);
  }
}

/**
 * Sends with the current credential and, when the provider refuses it (401/403) during a rotation
 * window, once more with the previous one.
 */
export async function withPreviousCredential<Answer>(
  options: InvokeOptions,
  send: (credential: Readonly<Record<string, string>>) => Promise<Answer>,
): Promise<Answer> {
  try {
    return await send(options.credential);
  } catch (error) {
    const refused = isProviderError(error) && (error.statusCode === 401 || error.statusCode === 403);
    if (!refused || options.previousCredential === undefined) throw error;
    return send(options.previousCredential);
  }
}

/** A rendered request (URL, method, unsigned headers, body) and the parameter map it was rendered with. */
export interface RenderedCall {
  readonly request: { url: string; method: string; headers: Record<string, string>; body: string | undefined };
  readonly parameters: Readonly<Record<string, string | null>>;
}

/** The parameter map in ML Commons' order, the pre-process run, and the action rendered with them. */
export function renderCall(
  options: InvokeOptions,
  action: ConnectorAction,
  input: PredictInput,
  credential: Readonly<Record<string, string>> = options.credential,
): RenderedCall {
  const parameters = callParameters(options, action, input);
  return { request: renderWith(action, parameters, credential), parameters };
}

/** The parameter map in ML Commons' order (connector, request, pre-process output, request again). */
function callParameters(options: InvokeOptions, action: ConnectorAction, input: PredictInput): RenderedCall['parameters'] {
  const requestParameters = input.kind === 'remote' ? input.parameters : {};
  const preProcessed = runPreProcess(
    action,
    input,
    () => assembleParameters({ connector: options.connector.parameters, request: requestParameters, preProcessed: {} }),
    options.scripts,
  );
  return assembleParameters({ connector: options.connector.parameters, request: requestParameters, preProcessed });
}

function renderWith(action: ConnectorAction, parameters: RenderedCall['parameters'], credential: Readonly<Record<string, string>>): RenderedCall['request'] {
  const rendered = renderRequest({ action, parameters, credential });
  const body = rendered.body === undefined ? undefined : stripNullNovaSections(rendered.body, parameters['model']);
  return { url: rendered.url, method: rendered.method, headers: { ...rendered.headers }, body };
}

/** The request as sent: SigV4-signed for `aws_sigv4` connectors (after any change to URL or body). */
export function signedRequest(
  options: InvokeOptions,
  request: RenderedCall['request'],
  parameters: RenderedCall['parameters'],
  credential: Readonly<Record<string, string>> = options.credential,
) {
  const headers =
    options.connector.protocol === 'aws_sigv4' ? signSigV4({ ...request, ...awsSigningContext(parameters, credential) }) : request.headers;
  return { url: request.url, method: request.method, headers, body: request.body };
}

/** The transport policy of the connector: its pool, address rules, client config (shared over replicas) and secrets. */
export function sendPolicyOf(options: InvokeOptions, signal?: AbortSignal): SendPolicy {
  return {
    ...options.sendPolicy,
    transport: connectorTransport(options.connector.client_config, options.replicas ?? 1),
    secrets: [...Object.values(options.credential), ...Object.values(options.previousCredential ?? {})],
    ...(signal === undefined ? {} : { signal }),
  };
}

/** The body's JSON value, or undefined when it is not JSON (the post-process decides what that means). */
function tryParseJson(body: string): { readonly value: unknown } | undefined {
  try {
    return { value: JSON.parse(body) };
  } catch {
    return undefined;
  }
}

/** ML Commons loses the remote status when post-processing fails; keep it in the reason and the envelope. */
function postProcessError(error: unknown, remoteStatus: number): OpenSearchError {
  const cause = error instanceof OpenSearchError ? error : undefined;
  return new OpenSearchError({
    status: cause?.status ?? 500,
    type: cause?.type ?? 'status_exception',
    reason: `Failed to process the response of the remote model (remote status ${remoteStatus}): ${cause?.reason ?? 'unexpected error'}`,
    extra: { remote_status: remoteStatus },
    cause: error,
  });
}
