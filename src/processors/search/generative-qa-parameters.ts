/**
 * The request's `ext.generative_qa_parameters`, read as ML Commons' GenerativeQAParameters.parse
 * reads them: known keys checked, unknown ones skipped, a question required. `stream` is this
 * service's extension (answer tokens streamed after the hits, see the proxy).
 */
import { illegalArgument, OpenSearchError } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';

export interface GenerativeQaParameters {
  llmQuestion: string;
  llmModel?: string;
  memoryId?: string;
  contextSize?: number;
  /** How many earlier interactions of the memory go into the prompt (`message_size`; `interaction_size` before ML Commons 2.12). */
  messageSize?: number;
  timeoutSeconds?: number;
  systemPrompt?: string;
  userInstructions?: string;
  llmResponseField?: string;
  stream: boolean;
}

type Parsed = Omit<GenerativeQaParameters, 'llmQuestion' | 'stream'> & { llmQuestion?: string };

const TEXT_PARAMETERS = {
  llm_question: 'llmQuestion',
  llm_model: 'llmModel',
  memory_id: 'memoryId',
  system_prompt: 'systemPrompt',
  user_instructions: 'userInstructions',
  llm_response_field: 'llmResponseField',
} as const;
const INTEGER_PARAMETERS = { context_size: 'contextSize', timeout: 'timeoutSeconds', message_size: 'messageSize' } as const;

export function generativeQaParameters(body: Record<string, unknown>): GenerativeQaParameters {
  const ext = isJsonObject(body['ext']) ? body['ext'] : {};
  const raw = isJsonObject(ext['generative_qa_parameters']) ? ext['generative_qa_parameters'] : {};
  const parameters: Parsed = {};
  for (const [key, property] of Object.entries(TEXT_PARAMETERS)) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') throw parsingException(`[generative_qa_parameters] failed to parse field [${key}]: expected a string`);
    parameters[property] = String(value);
  }
  for (const [key, property] of Object.entries(INTEGER_PARAMETERS)) {
    const value = integerParameter(raw, key);
    if (value !== undefined) parameters[property] = value;
  }
  parameters.messageSize ??= integerParameter(raw, 'interaction_size');
  if (parameters.llmQuestion === undefined || parameters.llmQuestion === '') {
    throw illegalArgument('At least one of llm_question or llm_messages must be provided.');
  }
  if (parameters.memoryId !== undefined && parameters.memoryId.trim() === '') throw illegalArgument('Empty conversation_id is not allowed.');
  if (parameters.messageSize !== undefined && parameters.messageSize !== -1 && parameters.messageSize < 1) {
    throw illegalArgument('message_size must be at least 1.');
  }
  const stream = raw['stream'] ?? false;
  if (typeof stream !== 'boolean') throw parsingException('[generative_qa_parameters] failed to parse field [stream]: expected a boolean');
  return { ...parameters, llmQuestion: parameters.llmQuestion, stream };
}

function integerParameter(raw: Record<string, unknown>, key: string): number | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw parsingException(`[generative_qa_parameters] failed to parse field [${key}]: expected an integer`);
  return number;
}

function parsingException(reason: string): OpenSearchError {
  return new OpenSearchError({ status: 400, type: 'parsing_exception', reason });
}
