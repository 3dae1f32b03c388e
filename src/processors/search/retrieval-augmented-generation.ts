import { illegalArgument, OpenSearchError } from '../../errors/opensearch-error.js';
import { isJsonObject } from '../../util/json.js';
import { processorConfigError } from '../validate-config.js';
import { defineProcessor, type ConversationMemory, type ConversationTurn, type SearchResponseContext } from '../processor-definition.js';
import { generativeQaParameters, type GenerativeQaParameters } from './generative-qa-parameters.js';
import { firstDataAsMap, type PredictAnswer } from './model-answers.js';
import { streamedAnswer } from './rag-answer-stream.js';
import { readChatOutput, type ChatCompletionOutput } from './rag-output.js';
import { chatParameters, promptTemplate, providerOf, type ChatCompletionInput } from './rag-prompts.js';
import { javaString, searchHits } from './search-hits.js';

export interface RetrievalAugmentedGenerationConfig {
  model_id: string;
  context_field_list: string[];
  system_prompt?: string;
  user_instructions?: string;
  llm_model?: string;
}

const TYPE = 'retrieval_augmented_generation';
const DEFAULT_TIMEOUT_SECONDS = 30;
/** GenerativeQAResponseProcessor.DEFAULT_CHAT_HISTORY_WINDOW. */
const DEFAULT_MESSAGE_SIZE = 10;

/**
 * `retrieval_augmented_generation` (ML Commons GenerativeQAResponseProcessor): asks the LLM
 * `llm_question` with the top `context_size` hits' `context_field_list` values as search
 * results, in the prompt format of the `llm_model`'s provider, and puts the answer in
 * `ext.retrieval_augmented_generation.answer`. With a `memory_id`, the memory's last
 * `message_size` interactions (default 10) go into the prompt and the new one (question, answer,
 * the search results used) is saved, its id answered as `message_id`. An error the LLM answers,
 * or no answer within `timeout` seconds (default 30, really applied here), goes to `...error`
 * with the search still a 200 (and nothing saved). With `stream: true` where the search can be
 * streamed (the proxy), the answer follows the hits as it is generated (see rag-answer-stream).
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
        const searchResults = contexts(config, context, parameters.contextSize ?? -1);
        const memory = parameters.memoryId === undefined ? undefined : conversationsOf(deps.conversations);
        const history = memory === undefined ? [] : await memory.recentTurns(parameters.memoryId as string, messageSize(parameters));
        const input = chatInput(config, parameters, llmModel, searchResults, history);
        const timeoutSeconds = parameters.timeoutSeconds !== undefined && parameters.timeoutSeconds > 0 ? parameters.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
        if (parameters.stream && context.streaming === true) {
          context.deferredAnswer = await streamedAnswer({
            predictor: deps.predictor,
            modelId: config.model_id,
            parameters: chatParameters(input),
            timeoutSeconds,
            complete: async (answer) =>
              memory === undefined ? { answer } : { answer, message_id: await memory.saveTurn(parameters.memoryId as string, remembered(input, answer)) },
          });
          return;
        }
        const call = deps.predictor.predict(config.model_id, { kind: 'remote', parameters: chatParameters(input) });
        const answer = await withTimeout(call, timeoutSeconds);
        const output: ChatCompletionOutput =
          answer === 'timed_out'
            ? { error: `The LLM did not answer within the ${timeoutSeconds} second timeout.` }
            : readChatOutput(providerOf(llmModel, input.llmResponseField), firstDataAsMap(answer) ?? {}, input.llmResponseField);
        let result: Record<string, unknown> = 'error' in output ? { error: output.error } : { answer: output.answer };
        if (memory !== undefined && typeof result['answer'] === 'string') {
          result = { ...result, message_id: await memory.saveTurn(parameters.memoryId as string, remembered(input, result['answer'])) };
        }
        const ext = isJsonObject(context.response['ext']) ? context.response['ext'] : {};
        context.response['ext'] = { ...ext, [TYPE]: result };
      },
    };
  },
});

/** The search results: `context_field_list` values of the first `context_size` hits (all by default). */
function contexts(config: RetrievalAugmentedGenerationConfig, context: SearchResponseContext, contextSize: number): string[] {
  const hits = searchHits(context.response);
  const used = contextSize >= 0 ? hits.slice(0, contextSize) : hits;
  return used.flatMap((hit) => {
    const source = isJsonObject(hit['_source']) ? hit['_source'] : {};
    return config.context_field_list.map((field) => {
      const value = source[field];
      if (value === undefined || value === null) throw runtimeException(`Context ${field} not found in search hit ${JSON.stringify(hit)}`);
      return javaString(value);
    });
  });
}

function chatInput(
  config: RetrievalAugmentedGenerationConfig,
  parameters: GenerativeQaParameters,
  llmModel: string,
  searchResults: string[],
  history: ConversationTurn[],
): ChatCompletionInput {
  return {
    llmModel,
    question: parameters.llmQuestion,
    contexts: searchResults,
    systemPrompt: parameters.systemPrompt ?? config.system_prompt,
    userInstructions: parameters.userInstructions ?? config.user_instructions,
    llmResponseField: parameters.llmResponseField,
    history,
  };
}

/** The interaction ML Commons saves: question, prompt template, answer, and the search results as `metadata`. */
export function remembered(input: ChatCompletionInput, answer: string) {
  return {
    input: input.question,
    promptTemplate: promptTemplate(input.systemPrompt, input.userInstructions),
    response: answer,
    origin: TYPE,
    additionalInfo: { metadata: JSON.stringify(input.contexts) },
  };
}

const messageSize = (parameters: GenerativeQaParameters): number =>
  parameters.messageSize === undefined || parameters.messageSize === -1 ? DEFAULT_MESSAGE_SIZE : parameters.messageSize;

function conversationsOf(conversations: ConversationMemory | undefined): ConversationMemory {
  if (conversations === undefined) throw illegalArgument('Conversation memory is not available to this pipeline.');
  return conversations;
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
