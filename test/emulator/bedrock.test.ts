import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosineSimilarity, embedText } from '../../fixtures/emulator/embeddings.js';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { asJson, list, numbers, signedPost } from './client.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const invoke = (modelId: string, body: unknown) =>
  signedPost(emulator, `/model/${modelId}/invoke`, body, {
    service: 'bedrock',
    identity: 'temporary',
  });

describe('Bedrock embedding models', () => {
  it('Titan v1 answers embedding + inputTextTokenCount', async () => {
    const answer = await invoke('amazon.titan-embed-text-v1', {
      inputText: 'What is the meaning of life?',
    });
    expect(answer.status).toBe(200);
    expect(asJson(answer)).toEqual({
      embedding: [...embedText('What is the meaning of life?', 1536)],
      inputTextTokenCount: expect.any(Number),
    });
    expect(answer.headers['x-amzn-bedrock-input-token-count']).toBeDefined();
  });

  it('Titan v1 rejects v2 parameters like Bedrock does', async () => {
    const answer = await invoke('amazon.titan-embed-text-v1', { inputText: 'x', dimensions: 256 });
    expect(answer.status).toBe(400);
    expect(answer.headers['x-amzn-errortype']).toMatch(/^ValidationException:/);
    expect(asJson(answer)['message']).toContain('extraneous key [dimensions] is not permitted');
  });

  it.each([
    [{ inputText: 'hello', dimensions: 512, normalize: true, embeddingTypes: ['float'] }, 512],
    [{ inputText: 'hello' }, 1024],
  ])('Titan v2 (:0 in the path) answers %j with %i dimensions', async (body, dimensions) => {
    const answer = await invoke('amazon.titan-embed-text-v2:0', body);
    expect(answer.status).toBe(200);
    expect(numbers(asJson(answer)['embedding'])).toHaveLength(dimensions);
    if ('embeddingTypes' in body)
      expect(numbers(asJson(answer)['embeddingsByType']?.['float'])).toHaveLength(dimensions);
  });

  it('Titan v2 answers binary embeddings and unnormalised vectors', async () => {
    const answer = await invoke('amazon.titan-embed-text-v2:0', {
      inputText: 'hello there',
      dimensions: 256,
      normalize: false,
      embeddingTypes: ['binary'],
    });
    const binary = numbers(asJson(answer)['embeddingsByType']?.['binary']);
    expect(binary.every((bit) => bit === 0 || bit === 1)).toBe(true);
    const vector = numbers(asJson(answer)['embedding']);
    expect(Math.hypot(...vector)).toBeGreaterThan(1.1);
    const invalid = await invoke('amazon.titan-embed-text-v2:0', {
      inputText: 'x',
      dimensions: 300,
    });
    expect(invalid.status).toBe(400);
  });

  it('Titan multimodal combines text and image, and accepts the null placeholders', async () => {
    const both = asJson(
      await invoke('amazon.titan-embed-image-v1', {
        inputText: 'a red car',
        inputImage: 'aW1hZ2U=',
      }),
    );
    const textOnly = asJson(
      await invoke('amazon.titan-embed-image-v1', { inputText: 'a red car', inputImage: null }),
    );
    expect(numbers(both['embedding'])).toHaveLength(1024);
    expect(numbers(textOnly['embedding'])).toEqual([...embedText('a red car', 1024)]);
    const none = await invoke('amazon.titan-embed-image-v1', { inputText: null, inputImage: null });
    expect(none.status).toBe(400);
  });

  it('Cohere on Bedrock answers embeddings without meta', async () => {
    const answer = await invoke('cohere.embed-multilingual-v3', {
      texts: ['上海', 'This is a test'],
      truncate: '<NONE|START|END>',
      input_type: '<search_document|search_query|classification|clustering>',
    });
    expect(answer.status).toBe(200);
    const body = asJson(answer);
    expect(body).toMatchObject({
      id: expect.any(String),
      response_type: 'embeddings_floats',
      texts: ['上海', 'This is a test'],
    });
    expect(body['meta']).toBeUndefined();
    expect(numbers(body['embeddings']?.[0])).toHaveLength(1024);
  });

  const novaBody = (section: Record<string, unknown>) => ({
    taskType: 'SINGLE_EMBEDDING',
    singleEmbeddingParams: {
      embeddingPurpose: 'GENERIC_INDEX',
      embeddingDimension: 1024,
      ...section,
    },
  });

  it.each([
    [{ text: { truncationMode: 'END', value: 'hello world' } }, ['TEXT']],
    [
      { image: { format: 'png', detailLevel: 'STANDARD_IMAGE', source: { bytes: 'aW1n' } } },
      ['IMAGE'],
    ],
    [{ audio: { format: 'mp3', source: { bytes: 'YXVk' } } }, ['AUDIO']],
    [
      {
        video: { format: 'mp4', embeddingMode: 'AUDIO_VIDEO_SEPARATE', source: { bytes: 'dmlk' } },
      },
      ['VIDEO', 'AUDIO'],
    ],
    [
      {
        video: { format: 'mp4', embeddingMode: 'AUDIO_VIDEO_COMBINED', source: { bytes: 'dmlk' } },
      },
      ['AUDIO_VIDEO_COMBINED'],
    ],
    // A blueprint leaving the other sections as nulls still names one modality.
    [
      {
        text: { truncationMode: null, value: 'hi' },
        image: { detailLevel: null, format: null, source: { bytes: null } },
      },
      ['TEXT'],
    ],
  ])('Nova multimodal %j answers %j embeddings', async (section, types) => {
    const answer = await invoke('amazon.nova-2-multimodal-embeddings-v1:0', novaBody(section));
    expect(answer.status).toBe(200);
    const embeddings = list(asJson(answer)['embeddings']) as {
      embeddingType: string;
      embedding: number[];
    }[];
    expect(embeddings.map((item) => item.embeddingType)).toEqual(types);
    expect(embeddings[0]?.embedding).toHaveLength(1024);
  });

  it('Nova rejects two modalities at once', async () => {
    const answer = await invoke(
      'amazon.nova-2-multimodal-embeddings-v1:0',
      novaBody({ text: { value: 'a' }, image: { source: { bytes: 'b' } } }),
    );
    expect(answer.status).toBe(400);
  });
});

describe('Bedrock text models', () => {
  it('Claude Messages answers content[0].text (inference profile id)', async () => {
    const answer = await invoke('us.anthropic.claude-3-7-sonnet-20250219-v1:0', {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 8000,
      temperature: 1,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello world' }] }],
    });
    expect(answer.status).toBe(200);
    expect(asJson(answer)).toMatchObject({
      id: expect.stringMatching(/^msg_bdrk_/),
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'Emulated reply to: hello world' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
    });
  });

  it('Claude with extended thinking puts a thinking block first', async () => {
    const answer = await invoke('anthropic.claude-3-7-sonnet-20250219-v1:0', {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 8000,
      messages: [{ role: 'user', content: 'hi' }],
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    expect(asJson(answer)['content']).toMatchObject([
      { type: 'thinking' },
      { type: 'text', text: 'Emulated reply to: hi' },
    ]);
  });

  it.each([
    [
      { max_tokens: 10, messages: [{ role: 'user', content: 'x' }] },
      'required key [anthropic_version] not found',
    ],
    [
      { anthropic_version: 'bedrock-2023-05-31', messages: [{ role: 'user', content: 'x' }] },
      'required key [max_tokens] not found',
    ],
  ])('Claude Messages validates %j', async (body, message) => {
    const answer = await invoke('anthropic.claude-3-sonnet-20240229-v1:0', body);
    expect(answer.status).toBe(400);
    expect(asJson(answer)['message']).toContain(message);
  });

  it('legacy Claude answers a completion and checks the Human/Assistant turns', async () => {
    const ok = await invoke('anthropic.claude-v2', {
      prompt: '\n\nHuman: What is the meaning of life?\n\nAssistant:',
      max_tokens_to_sample: 300,
      stop_sequences: ['\\n\\nHuman:'],
    });
    expect(asJson(ok)).toEqual({
      type: 'completion',
      completion: ' Emulated reply to: What is the meaning of life?',
      stop_reason: 'stop_sequence',
      stop: '\n\nHuman:',
    });
    const bad = await invoke('anthropic.claude-v2', {
      prompt: 'What is the meaning of life?',
      max_tokens_to_sample: 300,
    });
    expect(bad.status).toBe(400);
  });

  it('Converse answers output.message.content[0].text for any model id', async () => {
    const body = {
      system: [{ text: 'Reply briefly.' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is the meaning of life?' }] },
      ],
      inferenceConfig: { maxTokens: 8000 },
    };
    const answer = await signedPost(emulator, '/model/%3CINFERENCE_PROFILE_ID%3E/converse', body, {
      service: 'bedrock',
    });
    expect(answer.status).toBe(200);
    expect(asJson(answer)).toMatchObject({
      output: {
        message: {
          role: 'assistant',
          content: [{ text: 'Emulated reply to: What is the meaning of life?' }],
        },
      },
      stopReason: 'end_turn',
      usage: {
        inputTokens: expect.any(Number),
        outputTokens: expect.any(Number),
        totalTokens: expect.any(Number),
      },
      metrics: { latencyMs: expect.any(Number) },
    });
  });

  it.each([
    [
      'amazon.nova-pro-v1:0',
      { messages: [{ role: 'user', content: [{ text: 'hi' }] }] },
      ['output', 'message', 'content', 0, 'text'],
    ],
    ['amazon.titan-text-express-v1', { inputText: 'hi' }, ['results', 0, 'outputText']],
    ['meta.llama3-8b-instruct-v1:0', { prompt: 'hi' }, ['generation']],
    ['mistral.mistral-7b-instruct-v0:2', { prompt: 'hi' }, ['outputs', 0, 'text']],
    ['ai21.j2-ultra-v1', { prompt: 'hi' }, ['completions', 0, 'data', 'text']],
    [
      'openai.gpt-oss-20b-1:0',
      { messages: [{ role: 'user', content: 'hi' }] },
      ['choices', 0, 'message', 'content'],
    ],
  ])('%s answers in its native format', async (modelId, body, path) => {
    const answer = await invoke(modelId, body);
    expect(answer.status).toBe(200);
    const value = path.reduce<unknown>(
      (node, key) => (node as Record<string | number, unknown> | undefined)?.[key],
      answer.json,
    );
    expect(value).toBe('Emulated reply to: hi');
  });

  it('rejects an unknown model id', async () => {
    const answer = await invoke('acme.unknown-model-v1', { inputText: 'x' });
    expect(answer.status).toBe(400);
    expect(asJson(answer)['message']).toBe('The provided model identifier is invalid.');
  });
});

describe('Bedrock rerank', () => {
  const documents = [
    'The capital of France is Paris.',
    'Bananas are yellow.',
    'Paris hosts the Louvre museum in France.',
  ];

  it('agent-runtime /rerank answers relevanceScore sorted by relevance', async () => {
    const body = {
      queries: [{ type: 'TEXT', textQuery: { text: 'capital of France' } }],
      sources: documents.map((text) => ({
        type: 'INLINE',
        inlineDocumentSource: { type: 'TEXT', textDocument: { text } },
      })),
      rerankingConfiguration: {
        type: 'BEDROCK_RERANKING_MODEL',
        bedrockRerankingConfiguration: {
          numberOfResults: 2,
          modelConfiguration: {
            modelArn: 'arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0',
          },
        },
      },
    };
    const answer = await signedPost(emulator, '/rerank', body, { service: 'bedrock' });
    const results = list(asJson(answer)['results']) as { index: number; relevanceScore: number }[];
    expect(results).toHaveLength(2);
    expect(results[0]?.index).toBe(0);
    expect(results[0]?.relevanceScore).toBeGreaterThan(results[1]?.relevanceScore ?? 1);
  });

  it('cohere.rerank via invoke answers relevance_score', async () => {
    const answer = await invoke('cohere.rerank-v3-5:0', {
      query: 'yellow fruit',
      documents,
      top_n: 1,
      api_version: 2,
    });
    expect(asJson(answer)['results']).toEqual([{ index: 1, relevance_score: expect.any(Number) }]);
  });

  it('scores agree with embedding similarity', () => {
    const query = embedText('capital of France', 256);
    expect(cosineSimilarity(query, embedText(documents[0] ?? '', 256))).toBeGreaterThan(
      cosineSimilarity(query, embedText(documents[1] ?? '', 256)),
    );
  });
});
