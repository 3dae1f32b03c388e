/**
 * How ML Commons' RAG processor talks to an LLM (generative/llm/LlmIOUtil, DefaultLlmImpl,
 * prompt/PromptUtil): the provider chosen from `llm_model`, the predict parameters built for it,
 * and where its answer (or error) is read. Conversation history is not implemented, so the
 * history parts of the prompts are always empty.
 */
import { isJsonObject } from '../../util/json.js';

/** LlmIOUtil's providers; `custom` is an `llm_response_field` (no provider). */
export type LlmProvider = 'openai' | 'bedrock' | 'cohere' | 'bedrock_converse' | 'custom';

export const DEFAULT_SYSTEM_PROMPT =
  'Generate a concise and informative answer in less than 100 words for the given question, taking into context: ' +
  '- An enumerated list of search results' +
  '- A rephrase of the question that was used to generate the search results' +
  '- The conversation history' +
  'Cite search results using [${number}] notation.' +
  'Do not repeat yourself, and NEVER repeat anything in the chat history.' +
  'If there are any necessary steps or procedures in your answer, enumerate them.';

/** PromptUtil's NEWLINE is a backslash and an `n` (two characters), not a line break. */
const LITERAL_NEWLINE = '\\n';

export interface ChatCompletionInput {
  readonly llmModel: string;
  readonly question: string;
  readonly contexts: readonly string[];
  readonly systemPrompt?: string;
  readonly userInstructions?: string;
  readonly llmResponseField?: string;
}

/** The answer or the error an LLM output holds. */
export type ChatCompletionOutput = { readonly answer: unknown } | { readonly error: string };

/** LlmIOUtil.createChatCompletionInput: `llm_response_field` wins; else the `llm_model` prefix; else OpenAI. */
export function providerOf(llmModel: string, llmResponseField: string | undefined): LlmProvider {
  if (llmResponseField !== undefined) return 'custom';
  if (llmModel.startsWith('bedrock/')) return 'bedrock';
  if (llmModel.startsWith('cohere/')) return 'cohere';
  if (llmModel.startsWith('bedrock-converse/')) return 'bedrock_converse';
  return 'openai';
}

/** DefaultLlmImpl.getInputParameters: the remote predict parameters for one chat completion. */
export function chatParameters(input: ChatCompletionInput): Record<string, string> {
  const provider = providerOf(input.llmModel, input.llmResponseField);
  switch (provider) {
    case 'openai':
      return { model: input.llmModel, messages: messagesParameter(provider, input.systemPrompt, input.userInstructions, input.question, input.contexts) };
    case 'bedrock_converse':
      // The Converse API takes the system prompt outside the messages (the connector's own parameter).
      return { messages: messagesParameter(provider, undefined, input.userInstructions, input.question, input.contexts) };
    default:
      return { inputs: singleStringPrompt(input.systemPrompt, input.userInstructions, input.question, input.contexts) };
  }
}

/** PromptUtil.buildSingleStringPrompt, for Bedrock, Cohere and `llm_response_field`. */
export function singleStringPrompt(systemPrompt: string | undefined, userInstructions: string | undefined, question: string, contexts: readonly string[]): string {
  const system = isEmpty(systemPrompt) && isEmpty(userInstructions) ? DEFAULT_SYSTEM_PROMPT : systemPrompt;
  let prompt = '';
  if (!isEmpty(system)) prompt += system + LITERAL_NEWLINE;
  if (!isEmpty(userInstructions)) prompt += userInstructions + LITERAL_NEWLINE;
  contexts.forEach((context, index) => (prompt += `SEARCH RESULT ${index + 1}: ${context}${LITERAL_NEWLINE}`));
  return prompt + `QUESTION: ${question}${LITERAL_NEWLINE}`;
}

/**
 * PromptUtil.buildMessageParameter: a system message (when given), then one user message whose
 * contents are the instructions (the default prompt when neither is given), the search results,
 * the question and `ANSWER:`. OpenAI contents are `{"type":"text","text":...}`, Bedrock's `{"text":...}`.
 */
export function messagesParameter(
  provider: 'openai' | 'bedrock_converse',
  systemPrompt: string | undefined,
  userInstructions: string | undefined,
  question: string,
  contexts: readonly string[],
): string {
  const instructions = isEmpty(systemPrompt) && isEmpty(userInstructions) ? DEFAULT_SYSTEM_PROMPT : userInstructions;
  const content = (text: string) => (provider === 'openai' ? { type: 'text', text } : { text });
  const messages: Array<{ role: string; content: unknown[] }> = [];
  if (!isEmpty(systemPrompt)) messages.push({ role: 'system', content: [content(systemPrompt as string)] });
  const user = [
    ...(isEmpty(instructions) ? [] : [content(instructions as string)]),
    ...contexts.map((context, index) => content(`SEARCH RESULT ${index + 1}: ${context}`)),
    content(`QUESTION: ${question}\n`),
    content('ANSWER:'),
  ];
  messages.push({ role: 'user', content: user });
  return gsonTreeJson(messages);
}

/** DefaultLlmImpl.buildChatCompletionOutput: where each provider puts its answer, or its error. */
export function readChatOutput(provider: LlmProvider, dataAsMap: Record<string, unknown>, llmResponseField: string | undefined): ChatCompletionOutput {
  switch (provider) {
    case 'custom':
      return answerOrError(dataAsMap, llmResponseField as string);
    case 'cohere':
      return answerOrError(dataAsMap, 'text');
    case 'openai': {
      const choices = dataAsMap['choices'];
      if (!Array.isArray(choices)) return { error: errorMessage(dataAsMap['error']) ?? 'Unknown error or response.' };
      const message = isJsonObject(choices[0]) ? choices[0]['message'] : undefined;
      return { answer: isJsonObject(message) ? message['content'] : undefined };
    }
    case 'bedrock':
      return bedrockOutput(dataAsMap);
    case 'bedrock_converse': {
      const output = isJsonObject(dataAsMap['output']) ? dataAsMap['output'] : {};
      const message = output['message'];
      if (isJsonObject(message)) {
        const first = Array.isArray(message['content']) ? message['content'][0] : undefined;
        return { answer: isJsonObject(first) ? first['text'] : undefined };
      }
      return { error: errorMessage(output['error']) ?? `Unexpected output: ${JSON.stringify(output)}` };
    }
  }
}

function bedrockOutput(dataAsMap: Record<string, unknown>): ChatCompletionOutput {
  const content = dataAsMap['content'];
  if (content === undefined || content === null) {
    const completion = dataAsMap['completion'];
    if (completion !== undefined && completion !== null) return { answer: String(completion) };
    return { error: `Unsupported Bedrock response format: [${Object.keys(dataAsMap).join(', ')}]` };
  }
  if (!Array.isArray(content)) return { error: "Unexpected type for 'content' in Bedrock response." };
  if (content.length === 0) return { error: 'Empty content list in Bedrock response.' };
  const first = content[0];
  if (!isJsonObject(first)) return { error: 'Unexpected content format in Bedrock response.' };
  if (first['text'] === undefined || first['text'] === null) return { error: "Bedrock content response missing 'text' field." };
  return { answer: String(first['text']) };
}

function answerOrError(dataAsMap: Record<string, unknown>, answerField: string): ChatCompletionOutput {
  const answer = dataAsMap[answerField];
  if (typeof answer === 'string') return { answer };
  return { error: errorMessage(dataAsMap['error']) ?? 'Unknown error or response.' };
}

function errorMessage(error: unknown): string | undefined {
  return isJsonObject(error) && typeof error['message'] === 'string' ? error['message'] : undefined;
}

const isEmpty = (text: string | undefined): boolean => text === undefined || text === '';

// Gson's JsonElement.toString: compact, not HTML-safe, but U+2028/U+2029 always escaped.
function gsonTreeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16)}`);
}
