import type { PredictInput } from '../functions/types.js';
import { streamFormatFor, type ProviderStreamEvent } from '../streaming/index.js';
import { findPredictAction, renderCall, sendPolicyOf, signedRequest, withPreviousCredential, type InvokeOptions } from './invoke-connector.js';

/** A provider answer under way: its deltas as they arrive, and a way to end the call early. */
export interface ConnectorStream {
  /** The answer's deltas, and the usage the provider reports before the end. */
  readonly deltas: AsyncIterable<ProviderStreamEvent>;
  /** Ends the provider call (closing its connection) if it is still under way. */
  cancel(): void;
}

/**
 * Calls a connector's predict action as a stream: the request is rendered (and pre-processed)
 * exactly as for predict, turned into the provider's streaming request (`_llm_interface`, or the
 * URL's API), checked against the trusted endpoints, signed, and sent with every transport guard.
 * Failures before the answer starts throw, as predict's do; later ones arrive as an error delta.
 */
export async function invokeConnectorStream(options: InvokeOptions & { readonly signal?: AbortSignal }): Promise<ConnectorStream> {
  const action = findPredictAction(options.connector);
  // As ML Commons: `stream` is true for the request's templates (a body may say `"stream": ${parameters.stream}`).
  const input: PredictInput = options.input.kind === 'remote' ? { kind: 'remote', parameters: { stream: 'true', ...options.input.parameters } } : options.input;
  const llmInterface = input.kind === 'remote' ? input.parameters['_llm_interface'] ?? undefined : undefined;
  const send = async (credential: Readonly<Record<string, string>>) => {
    const { request, parameters } = renderCall(options, action, input, credential);
    const format = streamFormatFor(llmInterface, request.url);
    const streaming = format.streamingRequest({ url: request.url, body: request.body });
    const streamed = { ...request, url: streaming.url, body: streaming.body };
    options.assertUrlAllowed(streamed.url);
    options.beforeCall?.();
    const response = await options.http.stream(signedRequest(options, streamed, parameters, credential), sendPolicyOf(options, options.signal));
    return { format, response };
  };
  // A provider refusing the new key of a rotation window is asked again with the previous one.
  const { format, response } = await withPreviousCredential(options, send);
  return { deltas: format.deltas(response.body), cancel: () => response.cancel() };
}
