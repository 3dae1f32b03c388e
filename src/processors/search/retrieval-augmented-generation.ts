import { illegalArgument, OpenSearchError } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import { processorConfigError } from '../validate-config.js';
import { defineProcessor } from '../processor-definition.js';
import { firstDataAsMap, type PredictAnswer } from './model-answers.js';
import { chatParameters, providerOf, readChatOutput, type ChatCompletionOutput } from './rag-prompts.js';
import { javaString, searchHits } from './search-hits.js';

export interface RetrievalAugmentedGenerationConfig {
  model_id: string;
  context_field_list: string[];
  system_prompt?: string;
  user_instructions?: string;
  llm_model?: string;
}

/** The request's `ext.generative_qa_parameters`, checked. */
interface GenerativeQaParameters {
  llmQuestion?: string;
  llmModel?: string;
  memoryId?: string;
  contextSize?: number;
  timeoutSeconds?: number;
  systemPrompt?: string;
  userInstructions?: string;
  llmResponseField?: string;
}

const TYPE = 'retrieval_augmented_generation';
const DEFAULT_TIMEOUT_SECONDS = 30;
const TEXT_PARAMETERS = { llm_question: 'llmQuestion', llm_model: 'llmModel', memory_id: 'memoryId', system_prompt: 'systemPrompt', user_instructions: 'userInstructions', llm_response_field: 'llmResponseField' } as const;
const INTEGER_PARAMETERS = { context_size: 'contextSize', timeout: 'timeoutSeconds', message_size: undefined } as const;

/**
 * `retrieval_augmented_generation` (ML Commons GenerativeQAResponseProcessor): asks the LLM
 * `llm_question` with the top `context_size` hits' `context_field_list` values as search
 * results, in the prompt format of the `llm_model`'s provider, and puts the answer in
 * `ext.retrieval_augmented_generation.answer`. An error the LLM answers, or no answer within
 * `timeout` seconds (default 30, really applied here), goes to `...error` with the search still a
 * 200. Conversation memory is not implemented: `memory_id` and `message_size` are accepted and
 * ignored, and no `message_id` is returned.
 */
export const retrievalAugmentedGenerationProcessor = defineProcessor({
  type: TYPE,
  kind: 'search_response',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['model_id', 'context_field_list'],
    properties: {
      model_id: { type: 'string', description: 'The remote LLM.' },
      context_field_list: { type: 'array', items: { type: 'string' }, description: 'Top-level `_source` fields sent as search results.' },
      system_prompt: { type: 'string', description: 'The system prompt (a request may override it).' },
      user_instructions: { type: 'string', description: 'Instructions placed before the search results (a request may override them).' },
      llm_model: { type: 'string', description: 'Default `llm_model` (e.g. `gpt-4o`, `bedrock/...`, `cohere/...`, `bedrock-converse/...`).' },
    },
  },
  create(config: RetrievalAugmentedGenerationConfig, deps, tag) {
    if (config.context_field_list.length === 0) {
      throw processorConfigError(TYPE, tag, 'context_field_list', "[context_field_list] required property can't be empty.");
    }
    return {
      type: TYPE,
      async processResponse(context) {
        const parameters = generativeQaParameters(context.request.body);
        const llmModel = parameters.llmModel ?? config.llm_model;
        if (llmModel === undefined) throw illegalArgument('llm_model cannot be null.');
        const hits = searchHits(context.response);
        const contextSize = parameters.contextSize ?? -1;
        const used = contextSize >= 0 ? hits.slice(0, contextSize) : hits;
        const contexts = used.flatMap((hit) => {
          const source = isJsonObject(hit['_source']) ? hit['_source'] : {};
          return config.context_field_list.map((field) => {
            const value = source[field];
            if (value === undefined || value === null) throw runtimeException(`Context ${field} not found in search hit ${JSON.stringify(hit)}`);
            return javaString(value);
          });
        });
        const input = {
          llmModel,
          question: parameters.llmQuestion as string,
          contexts,
          systemPrompt: parameters.systemPrompt ?? config.system_prompt,
          userInstructions: parameters.userInstructions ?? config.user_instructions,
          llmResponseField: parameters.llmResponseField,
        };
        const timeoutSeconds = parameters.timeoutSeconds !== undefined && parameters.timeoutSeconds > 0 ? parameters.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
        const call = deps.predictor.predict(config.model_id, { kind: 'remote', parameters: chatParameters(input) });
        const answer = await withTimeout(call, timeoutSeconds);
        const output: ChatCompletionOutput =
          answer === 'timed_out'
            ? { error: `The LLM did not answer within the ${timeoutSeconds} second timeout.` }
            : readChatOutput(providerOf(llmModel, input.llmResponseField), firstDataAsMap(answer) ?? {}, input.llmResponseField);
        const ext = isJsonObject(context.response['ext']) ? context.response['ext'] : {};
        context.response['ext'] = { ...ext, [TYPE]: 'error' in output ? { error: output.error } : { answer: output.answer } };
      },
    };
  },
});

/** GenerativeQAParameters.parse: known keys checked, unknown ones skipped, a question required. */
function generativeQaParameters(body: Record<string, unknown>): GenerativeQaParameters {
  const ext = isJsonObject(body['ext']) ? body['ext'] : {};
  const raw = isJsonObject(ext['generative_qa_parameters']) ? ext['generative_qa_parameters'] : {};
  const parameters: GenerativeQaParameters = {};
  for (const [key, property] of Object.entries(TEXT_PARAMETERS)) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') throw parsingException(`[generative_qa_parameters] failed to parse field [${key}]: expected a string`);
    parameters[property] = String(value);
  }
  for (const [key, property] of Object.entries(INTEGER_PARAMETERS)) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number)) throw parsingException(`[generative_qa_parameters] failed to parse field [${key}]: expected an integer`);
    if (property !== undefined) parameters[property] = number;
  }
  if (parameters.llmQuestion === undefined || parameters.llmQuestion === '') {
    throw illegalArgument('At least one of llm_question or llm_messages must be provided.');
  }
  if (parameters.memoryId !== undefined && parameters.memoryId.trim() === '') throw illegalArgument('Empty conversation_id is not allowed.');
  return parameters;
}

/** The model's answer, or `timed_out` when it takes longer; the late answer is then dropped. */
async function withTimeout(call: Promise<PredictAnswer>, seconds: number): Promise<PredictAnswer | 'timed_out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed_out'>((resolve) => (timer = setTimeout(() => resolve('timed_out'), seconds * 1000)));
  // A failure after the timeout has nobody to report to; observe it so it is not an unhandled rejection.
  call.catch(() => undefined);
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function runtimeException(reason: string): OpenSearchError {
  return new OpenSearchError({ status: 500, type: 'runtime_exception', reason });
}

function parsingException(reason: string): OpenSearchError {
  return new OpenSearchError({ status: 400, type: 'parsing_exception', reason });
}
