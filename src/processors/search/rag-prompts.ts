/**
 * How ML Commons' RAG processor talks to an LLM (generative/llm/LlmIOUtil, DefaultLlmImpl,
 * prompt/PromptUtil): the provider chosen from `llm_model`, and the predict parameters built for
 * it, with the conversation so far when the request names a memory.
 */
import { escapeJson } from '../../connectors/template/escape-json.js';
import type { ConversationTurn } from '../processor-definition.js';

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
  /** The memory's earlier turns, oldest first (empty without a memory). */
  readonly history?: readonly ConversationTurn[];
}

type Message = { role: string; content: unknown[] };

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
      return { model: input.llmModel, messages: messagesParameter(provider, input) };
    case 'bedrock_converse':
      // The Converse API takes the system prompt outside the messages (the connector's own parameter).
      return { messages: messagesParameter(provider, { ...input, systemPrompt: undefined }) };
    default:
      return { inputs: singleStringPrompt(input) };
  }
}

/**
 * PromptUtil.buildSingleStringPrompt, for Bedrock, Cohere and `llm_response_field`: the
 * instructions, the search results, the conversation (`user: ...` / `assistant: ...`, JSON-escaped
 * as ML Commons' Message escapes them), then the question.
 */
export function singleStringPrompt(input: Omit<ChatCompletionInput, 'llmModel'>): string {
  const { systemPrompt, userInstructions, question, contexts } = input;
  const system = isEmpty(systemPrompt) && isEmpty(userInstructions) ? DEFAULT_SYSTEM_PROMPT : systemPrompt;
  let prompt = '';
  if (!isEmpty(system)) prompt += system + LITERAL_NEWLINE;
  if (!isEmpty(userInstructions)) prompt += userInstructions + LITERAL_NEWLINE;
  contexts.forEach((context, index) => (prompt += `SEARCH RESULT ${index + 1}: ${context}${LITERAL_NEWLINE}`));
  for (const turn of input.history ?? []) {
    prompt += `user: ${escapedOrNull(turn.input)}${LITERAL_NEWLINE}assistant: ${escapedOrNull(turn.response)}${LITERAL_NEWLINE}`;
  }
  return prompt + `QUESTION: ${question}${LITERAL_NEWLINE}`;
}

/**
 * PromptUtil.buildMessageParameter: a system message (when given); one user message with the
 * instructions (the default prompt when neither is given) and the search results; then the
 * conversation, its first question in that same user message, as alternating user and assistant
 * messages; and the question with `ANSWER:` (in a new user message after an assistant one).
 * OpenAI contents are `{"type":"text","text":...}`, Bedrock's `{"text":...}`.
 */
export function messagesParameter(provider: 'openai' | 'bedrock_converse', input: Omit<ChatCompletionInput, 'llmModel'>): string {
  const { systemPrompt, question, contexts } = input;
  const instructions = isEmpty(systemPrompt) && isEmpty(input.userInstructions) ? DEFAULT_SYSTEM_PROMPT : input.userInstructions;
  const content = (text: string | null) => (provider === 'openai' ? { type: 'text', text } : { text });
  const messages: Message[] = [];
  if (!isEmpty(systemPrompt)) messages.push({ role: 'system', content: [content(systemPrompt as string)] });
  let user: Message = { role: 'user', content: [] };
  if (!isEmpty(instructions)) user.content.push(content(instructions as string));
  contexts.forEach((context, index) => user.content.push(content(`SEARCH RESULT ${index + 1}: ${context}`)));
  for (const turn of input.history ?? []) {
    user.content.push(content(turn.input));
    messages.push(user, { role: 'assistant', content: [content(turn.response)] });
    user = { role: 'user', content: [] };
  }
  user.content.push(content(`QUESTION: ${question}\n`), content('ANSWER:'));
  messages.push(user);
  return gsonTreeJson(messages);
}

/** PromptUtil.getPromptTemplate: what a saved interaction records as its `prompt_template`. */
export function promptTemplate(systemPrompt: string | undefined, userInstructions: string | undefined): string {
  const messages: Array<{ role: string; content: string }> = [];
  if (!isEmpty(systemPrompt)) messages.push({ role: 'system', content: escapeJson(systemPrompt as string) });
  if (!isEmpty(userInstructions)) messages.push({ role: 'user', content: escapeJson(userInstructions as string) });
  return gsonTreeJson(messages);
}

const isEmpty = (text: string | undefined): boolean => text === undefined || text === '';

const escapedOrNull = (text: string | null): string => (text === null ? 'null' : escapeJson(text));

// Gson's JsonElement.toString: compact, not HTML-safe, but U+2028/U+2029 always escaped.
function gsonTreeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16)}`);
}
