/**
 * Where ML Commons' RAG processor finds an LLM's answer, or its error, per provider
 * (DefaultLlmImpl.buildChatCompletionOutput).
 */
import { isJsonObject } from '../../util/json.js';
import type { LlmProvider } from './rag-prompts.js';

/** The answer or the error an LLM output holds. */
export type ChatCompletionOutput = { readonly answer: unknown } | { readonly error: string };

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

