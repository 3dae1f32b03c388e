import { illegalArgument } from '../errors/opensearch-error.js';
import { compileSchema, validateOrThrow } from '../schemas/ajv.js';
import { compileInterfaceSchema } from '../schemas/interface-validator.js';
import { registerModelSchema, registerModelValidationMessages, updateModelSchema } from '../schemas/model-schemas.js';
import type { AccessMode } from '../security/access/index.js';
import type { BatchInferenceConfig, DeploySetting, ModelInterface, PricePerThousandTokens, RateLimiter } from './model-record.js';

/** A register or update body after validation. */
export interface ModelInput {
  name?: string;
  description?: string;
  model_group_id?: string;
  connector_id?: string;
  connector?: Record<string, unknown>;
  is_enabled?: boolean;
  rate_limiter?: RateLimiter;
  interface?: ModelInterface;
  model_config?: Record<string, unknown>;
  deploy_setting?: DeploySetting;
  batch_inference_config?: BatchInferenceConfig;
  price_per_1k_tokens?: PricePerThousandTokens;
  guardrails?: Record<string, unknown>;
  tenant_id?: string;
  function_name?: string;
  backend_roles?: string[];
  add_all_backend_roles?: boolean;
  access_mode?: AccessMode;
}

interface RawModelInput extends Omit<ModelInput, 'rate_limiter' | 'interface'> {
  rate_limiter?: { limit?: string | number; unit?: string };
  interface?: { input?: string | object; output?: string | object };
}

const validateRegister = compileSchema<RawModelInput>(registerModelSchema);
const validateUpdate = compileSchema<RawModelInput>(updateModelSchema);

const TIME_UNITS = ['NANOSECONDS', 'MICROSECONDS', 'MILLISECONDS', 'SECONDS', 'MINUTES', 'HOURS', 'DAYS'];
/** ML Commons' FunctionName values: anything else is `Wrong function name`. */
const FUNCTION_NAMES = [
  'LINEAR_REGRESSION', 'KMEANS', 'AD_LIBSVM', 'SAMPLE_ALGO', 'LOCAL_SAMPLE_CALCULATOR', 'FIT_RCF', 'BATCH_RCF',
  'ANOMALY_LOCALIZATION', 'RCF_SUMMARIZE', 'LOGISTIC_REGRESSION', 'TEXT_EMBEDDING', 'METRICS_CORRELATION', 'REMOTE',
  'SPARSE_ENCODING', 'SPARSE_TOKENIZE', 'TEXT_SIMILARITY', 'QUESTION_ANSWERING', 'AGENT', 'CONNECTOR',
];

/** Validates a register (`mode: 'register'`) or update body the way ML Commons does. */
export function parseModelInput(body: unknown, mode: 'register' | 'update'): ModelInput {
  const raw = validateOrThrow(mode === 'register' ? validateRegister : validateUpdate, body, {
    what: 'model',
    messages: registerModelValidationMessages,
    toError: illegalArgument,
  });
  if (mode === 'register') assertRemoteFunction(raw.function_name);
  const { rate_limiter: rateLimiter, interface: modelInterface, ...rest } = raw;
  const input: ModelInput = { ...rest };
  if (rateLimiter !== undefined) input.rate_limiter = parseRateLimiter(rateLimiter);
  if (modelInterface !== undefined) input.interface = parseInterface(modelInterface);
  if (input.connector_id !== undefined && input.connector !== undefined) {
    throw illegalArgument(
      mode === 'update'
        ? 'Model cannot have both stand-alone connector and internal connector. Please check your update input body.'
        : 'Model cannot have both stand-alone connector and internal connector.',
    );
  }
  return input;
}

function assertRemoteFunction(functionName: string | undefined): void {
  if (functionName === undefined) {
    throw illegalArgument('function_name is required: this service registers remote models only ("function_name": "remote")');
  }
  const normalized = functionName.toUpperCase();
  if (!FUNCTION_NAMES.includes(normalized)) throw illegalArgument('Wrong function name');
  if (normalized !== 'REMOTE') {
    throw illegalArgument(`Only remote models can be registered with this service; function_name [${functionName}] needs a local model`);
  }
}

/** `limit` is kept as text and must be a number ≥ 0; `unit` is a Java TimeUnit name. */
function parseRateLimiter(rateLimiter: { limit?: string | number; unit?: string }): RateLimiter {
  const result: RateLimiter = {};
  if (rateLimiter.limit !== undefined) {
    const limit = String(rateLimiter.limit);
    if (limit.trim() === '' || !Number.isFinite(Number(limit)) || Number(limit) < 0) {
      throw illegalArgument('Limit field must be a positive number.');
    }
    result.limit = limit;
  }
  if (rateLimiter.unit !== undefined) {
    const unit = rateLimiter.unit.toUpperCase();
    if (!TIME_UNITS.includes(unit)) throw illegalArgument(`Unknown rate limiter unit [${rateLimiter.unit}]; known: [${TIME_UNITS.join(', ')}]`);
    result.unit = unit;
  }
  return result;
}

/** ML Commons keeps only `input` and `output`, as JSON text. */
function parseInterface(value: { input?: string | object; output?: string | object }): ModelInterface {
  const result: ModelInterface = {};
  for (const key of ['input', 'output'] as const) {
    const schema = value[key];
    if (schema === undefined) continue;
    const text = typeof schema === 'string' ? schema : JSON.stringify(schema);
    try {
      JSON.parse(text);
    } catch {
      throw illegalArgument(`Invalid interface ${key}: it must be a JSON Schema (an object or its JSON text)`);
    }
    compileInterfaceSchema(text);
    result[key] = text;
  }
  return result;
}
