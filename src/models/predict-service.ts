import type { PredictInput } from '../connectors/functions/types.js';
import { connectorTransport } from '../connectors/client-config.js';
import { invokeConnector, type InvokeOptions, type ModelTensors } from '../connectors/invoke/invoke-connector.js';
import { invokeConnectorStream } from '../connectors/invoke/invoke-connector-stream.js';
import type { ScriptFunctions } from '../connectors/invoke/script-functions.js';
import { illegalArgument, OpenSearchError } from '../errors/opensearch-error.js';
import type { HttpClient } from '../http/http-client.js';
import { connectorLabel } from '../http/transport-events.js';
import { assertMatchesInterface } from '../schemas/interface-validator.js';
import { assertTrustedEndpoint } from '../security/trusted-endpoints.js';
import { TextDocsBatcher } from './batching/text-docs-batcher.js';
import { CallCircuits, type CallCircuit } from './isolation/call-circuit.js';
import type { ProviderStreamEvent, StreamDelta } from '../connectors/streaming/index.js';
import type { TokenUsage } from '../connectors/usage/token-usage.js';
import { ModelRateLimiters } from './rate-limiter.js';
import type { DeployedModel } from './deployed-models.js';
import { loadModel, type ModelContext } from './model-context.js';
import { denials } from '../security/access/index.js';
import type { CallerIdentity } from '../security/identity/index.js';
import type { ModelDeployment } from './model-deployment.js';
import { NO_PREDICT_EVENTS, type PredictEvents } from './predict-events.js';

/** What predict answers: one `inference_results[]` element per provider call, in order. */
export interface PredictResponse {
  inference_results: ModelTensors[];
}

/** A streamed answer under way: its deltas as they come, and a way to end the call early. */
export interface AnswerStream {
  readonly deltas: AsyncIterable<StreamDelta>;
  cancel(): void;
}

/**
 * The predict path: find the model (deploying it when allowed), check it may serve, then call its
 * connector. `text_docs` predictions go through the batcher (cache, cross-request coalescing);
 * other input kinds go straight to the connector.
 */
export class PredictService {
  private readonly rateLimiters: ModelRateLimiters;
  private readonly batcher: TextDocsBatcher;
  private readonly circuits = new CallCircuits();
  private readonly events: PredictEvents;

  constructor(
    private readonly context: ModelContext,
    private readonly deployment: ModelDeployment,
    private readonly io: { http: HttpClient; scripts: ScriptFunctions; events?: PredictEvents },
  ) {
    this.rateLimiters = new ModelRateLimiters(context.clock);
    this.events = io.events ?? NO_PREDICT_EVENTS;
    this.batcher = new TextDocsBatcher(this.events);
  }

  /**
   * Predicts as `caller` (checked against the model's group; `undefined` is a trusted internal
   * caller). `maxTextsPerCall` bounds the texts of a `text_docs` input in any one provider call.
   */
  async predict(
    modelId: string,
    input: PredictInput,
    caller: CallerIdentity | undefined,
    options: { readonly maxTextsPerCall?: number } = {},
  ): Promise<PredictResponse> {
    const deployed = await this.readyModel(modelId, caller);
    const started = performance.now();
    this.events.began(modelId);
    try {
      const response = await this.predictDeployed(deployed, input, options.maxTextsPerCall);
      this.events.ended(modelId, performance.now() - started, false);
      return response;
    } catch (error) {
      this.events.ended(modelId, performance.now() - started, true);
      throw error;
    }
  }

  /** Whether most of the model's recent calls failed: then its failed batches are not split on a 5xx. */
  isCircuitOpen(modelId: string): boolean {
    return this.circuits.forModel(modelId).isOpen;
  }

  private async predictDeployed(deployed: DeployedModel, input: PredictInput, maxTextsPerCall: number | undefined): Promise<PredictResponse> {
    const { model, modelId } = deployed;
    if (model.interface?.input !== undefined && input.kind === 'remote') {
      assertMatchesInterface(model.interface.input, { parameters: parseParameterValues(input.parameters) });
    }
    if (input.kind === 'text_docs') {
      const target = {
        modelId,
        connector: deployed.connector,
        owner: deployed,
        modelLimits: model.batch_inference_config,
        circuit: this.circuits.forModel(modelId),
        send: (textDocs: readonly (string | null)[]) => this.invoke(deployed, { kind: 'text_docs', textDocs }),
        budget: () => this.io.http.callBudget?.(deployed.poolKey, connectorTransport(deployed.connector.client_config, this.context.replicas.liveCount())),
      };
      return { inference_results: await this.batcher.predict(target, input.textDocs, maxTextsPerCall) };
    }
    return { inference_results: await this.invoke(deployed, input) };
  }

  /** Calls the connector for one input (one result per provider call), recording the outcome in the model's circuit. */
  private async invoke(deployed: DeployedModel, input: PredictInput): Promise<ModelTensors[]> {
    const circuit = this.circuits.forModel(deployed.modelId);
    const started = performance.now();
    try {
      const results = await this.callConnector(deployed, input);
      circuit.record();
      this.events.inferred(deployed.modelId, performance.now() - started, false);
      return results;
    } catch (error) {
      circuit.record(error);
      this.events.inferred(deployed.modelId, performance.now() - started, true);
      throw error;
    }
  }

  /**
   * Streams a remote prediction (`_predict/stream`) after the same checks as predict (access,
   * enabled, interface schema, rate limiter, transport guards): failures before the answer starts
   * throw; later ones come as an error delta. The model's circuit records how the stream ended.
   */
  async predictStream(
    modelId: string,
    input: PredictInput,
    caller: CallerIdentity | undefined,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<AnswerStream> {
    if (!this.context.settings.get('plugins.ml_commons.stream_enabled')) throw illegalArgument(STREAM_DISABLED);
    if (input.kind !== 'remote') throw illegalArgument('A streamed predict takes {"parameters": {...}}');
    const deployed = await this.readyModel(modelId, caller);
    if (deployed.model.interface?.input !== undefined) {
      assertMatchesInterface(deployed.model.interface.input, { parameters: parseParameterValues(input.parameters) });
    }
    const circuit = this.circuits.forModel(modelId);
    const started = performance.now();
    this.events.began(modelId);
    const ended = (failed: boolean) => this.events.ended(modelId, performance.now() - started, failed);
    try {
      const stream = await invokeConnectorStream({ ...this.invokeOptions(deployed, input), ...options });
      const consumed = (usage: TokenUsage) => this.events.consumed(modelId, usage);
      return { deltas: recordOutcome(stream.deltas, { circuit, ended, consumed }), cancel: () => stream.cancel() };
    } catch (error) {
      circuit.record(error);
      ended(true);
      throw error;
    }
  }

  private callConnector(deployed: DeployedModel, input: PredictInput): Promise<ModelTensors[]> {
    return invokeConnector(this.invokeOptions(deployed, input));
  }

  private invokeOptions(deployed: DeployedModel, input: PredictInput): InvokeOptions {
    const { model, modelId } = deployed;
    const trusted = this.context.settings.get('plugins.ml_commons.trusted_connector_endpoints_regex');
    return {
      connector: deployed.connector,
      credential: deployed.credential,
      previousCredential: deployed.previousCredential,
      input,
      http: this.io.http,
      scripts: this.io.scripts,
      beforeCall: () => this.rateLimiters.take(modelId, model.rate_limiter, this.context.replicas.liveCount()),
      assertUrlAllowed: (url) => {
        try {
          assertTrustedEndpoint(url, trusted);
        } catch (error) {
          this.events.refused(modelId, connectorLabel(deployed.poolKey), (error as OpenSearchError).reason);
          throw error;
        }
      },
      replicas: this.context.replicas.liveCount(),
      onUsage: (usage) => this.events.consumed(modelId, usage),
      sendPolicy: {
        poolKey: deployed.poolKey,
        modelId,
        allowPrivateIps: this.context.settings.get('plugins.ml_commons.connector.private_ip_enabled'),
        restrictedIpPatterns: this.context.settings.get('plugins.ml_commons.connector.restricted_ip_patterns'),
        trustedPrivateEndpoints: this.context.settings.get('plugins.ml_commons.trusted_connector_private_endpoints_regex'),
      },
    };
  }

  /** ML Commons' checks before any call: access, enabled, remote inference on, deployed or auto-deployable. */
  private async readyModel(modelId: string, caller: CallerIdentity | undefined): Promise<DeployedModel> {
    const deployed = await this.deployment.current(modelId);
    const model = deployed?.model ?? (await loadModel(this.context, modelId)).source;
    await this.context.access.assertGroupUsable(model.model_group_id, caller, denials.predictDenied, { cached: true });
    if (model.is_enabled === false) {
      throw new OpenSearchError({ status: 403, type: 'status_exception', reason: 'Model is disabled.' });
    }
    this.context.connectors.assertRemoteInferenceEnabled();
    if (deployed) return deployed;
    if (!this.context.settings.get('plugins.ml_commons.model_auto_deploy.enable')) {
      throw illegalArgument(`Model not ready yet. Please run this first: POST /_plugins/_ml/models/${modelId}/_deploy`);
    }
    if (model.deploy_setting?.is_auto_deploy_enabled === false) {
      throw illegalArgument('Auto deployment disabled for this model, please deploy model first');
    }
    await this.deployment.deploy(modelId, { caller: undefined });
    const redeployed = await this.deployment.current(modelId);
    if (redeployed === undefined) throw illegalArgument(`Model not ready yet. Please run this first: POST /_plugins/_ml/models/${modelId}/_deploy`);
    return redeployed;
  }
}

/** ML Commons' MLExceptionUtils.STREAM_DISABLED_ERR_MSG. */
export const STREAM_DISABLED =
  'Streaming is currently disabled. To enable it, update the setting "plugins.ml_commons.stream_enabled" to true.';

/**
 * Passes deltas on, and records the usage the provider reports (callers never see it); a stream
 * that ends well is a success in the model's circuit (a failure before it started is counted as
 * predict counts it). The predict ends with the stream: done, an error delta (a failure), or the
 * reader leaving early (a client that went away: not the model's failure).
 */
async function* recordOutcome(
  events: AsyncIterable<ProviderStreamEvent>,
  record: { readonly circuit: CallCircuit; readonly ended: (failed: boolean) => void; readonly consumed: (usage: TokenUsage) => void },
): AsyncGenerator<StreamDelta> {
  const { circuit, ended } = record;
  let outcome: boolean | undefined;
  try {
    for await (const delta of events) {
      if ('usage' in delta) {
        record.consumed(delta.usage);
        continue;
      }
      if ('done' in delta) {
        circuit.record();
        outcome ??= false;
      } else if ('error' in delta) {
        outcome ??= true;
      }
      yield delta;
    }
  } finally {
    ended(outcome ?? false);
  }
}

/** Predict parameters are strings; the interface schema sees the JSON values they stand for. */
function parseParameterValues(parameters: Readonly<Record<string, string>>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters)) {
    try {
      values[key] = JSON.parse(value);
    } catch {
      values[key] = value;
    }
  }
  return values;
}
