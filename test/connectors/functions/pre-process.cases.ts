/**
 * Pre-process rows: inputs as neural-search / the `_predict/<algorithm>` routes send them, and the
 * parameter strings ML Commons' functions produce for them.
 */
import type { PreProcessInput } from '../../../src/connectors/functions/input-kinds.js';
import type { PreProcessFunctionName } from '../../../src/connectors/functions/index.js';

export interface PreProcessCase {
  name: PreProcessFunctionName;
  description: string;
  input: PreProcessInput;
  expected: Record<string, string>;
}

export interface PreProcessErrorCase {
  name: PreProcessFunctionName;
  description: string;
  input: PreProcessInput;
  message: string;
}

const docs = (...textDocs: (string | null)[]): PreProcessInput => ({ kind: 'text_docs', textDocs });
const similarity = (queryText: string, ...textDocs: string[]): PreProcessInput => ({
  kind: 'text_similarity',
  queryText,
  textDocs,
});

const TEXT_DOCS_ONLY =
  "This pre_process_function can only support TextDocsInputDataSet which including a list of string with key 'text_docs'";
const TEXT_SIMILARITY_ONLY = 'This pre_process_function can only support TextSimilarityInputDataSet';

export const PRE_PROCESS_CASES: PreProcessCase[] = [
  { name: 'connector.pre_process.openai.embedding', description: 'all docs as a JSON array', input: docs('hello', 'world'), expected: { input: '["hello","world"]' } },
  {
    name: 'connector.pre_process.openai.embedding',
    description: 'Gson escaping, HTML-safe characters included',
    input: docs('say "hi"\n', '<b> & \'x\'='),
    expected: { input: '["say \\"hi\\"\\n","\\u003cb\\u003e \\u0026 \\u0027x\\u0027\\u003d"]' },
  },
  { name: 'connector.pre_process.default.embedding', description: 'the OpenAI class', input: docs('a', 'b', 'c'), expected: { input: '["a","b","c"]' } },
  { name: 'connector.pre_process.cohere.embedding', description: 'docs as texts, null kept', input: docs('today is sunny', null), expected: { texts: '["today is sunny",null]' } },
  {
    name: 'connector.pre_process.cohere.multimodal_embedding',
    description: 'image data URIs as a JSON array',
    input: docs('data:image/png;base64,iVBORw0KGgo='),
    expected: { images: '["data:image/png;base64,iVBORw0KGgo\\u003d"]' },
  },
  { name: 'connector.pre_process.bedrock.embedding', description: 'first doc, unescaped', input: docs('a "quoted"\ttext', 'second'), expected: { inputText: 'a "quoted"\ttext' } },
  { name: 'connector.pre_process.bedrock.embedding', description: 'a null doc sends no inputText', input: docs(null), expected: {} },
  { name: 'connector.pre_process.bedrock.multimodal_embedding', description: 'text and image', input: docs('a red car', 'iVBORw0KGgo='), expected: { inputText: 'a red car', inputImage: 'iVBORw0KGgo=' } },
  { name: 'connector.pre_process.bedrock.multimodal_embedding', description: 'text only', input: docs('a red car'), expected: { inputText: 'a red car' } },
  { name: 'connector.pre_process.bedrock.multimodal_embedding', description: 'image only (null text)', input: docs(null, 'iVBORw0KGgo='), expected: { inputImage: 'iVBORw0KGgo=' } },
  { name: 'connector.pre_process.bedrock.nova.embedding', description: 'plain text', input: docs('hello'), expected: { text: 'hello' } },
  { name: 'connector.pre_process.bedrock.nova.embedding', description: 'JSON text', input: docs('{"text": "hello"}'), expected: { text: 'hello' } },
  { name: 'connector.pre_process.bedrock.nova.embedding', description: 'JSON image', input: docs('{"image": "base64data"}'), expected: { image: 'base64data' } },
  { name: 'connector.pre_process.bedrock.nova.embedding', description: 'JSON video', input: docs('{"video": "videodata"}'), expected: { video: 'videodata' } },
  { name: 'connector.pre_process.bedrock.nova.embedding', description: 'JSON audio', input: docs('{"audio": "audiodata"}'), expected: { audio: 'audiodata' } },
  { name: 'connector.pre_process.bedrock.nova.embedding', description: 'malformed JSON stays text', input: docs('{ invalid json }'), expected: { text: '{ invalid json }' } },
  { name: 'connector.pre_process.bedrock.nova.embedding', description: 'only the first doc', input: docs('{"image": "a"}', '{"audio": "b"}'), expected: { image: 'a' } },
  {
    name: 'connector.pre_process.bedrock.nova.embedding',
    description: 'quirk: detection prefers video, extraction prefers audio',
    input: docs('{"video": "v", "audio": "a"}'),
    expected: { video: 'a' },
  },
  {
    name: 'connector.pre_process.bedrock.nova.embedding',
    description: 'quirk: leading space detects the key but sends the doc whole',
    input: docs(' {"image": "x"}'),
    expected: { image: ' {"image": "x"}' },
  },
  { name: 'connector.pre_process.bedrock.nova.embedding', description: 'a non-text value as Jackson asText', input: docs('{"text": 42}'), expected: { text: '42' } },
  { name: 'connector.pre_process.bedrock.nova.text_embedding', description: 'first doc as inputText', input: docs('hello', 'world'), expected: { inputText: 'hello' } },
  { name: 'connector.pre_process.bedrock.nova.image_embedding', description: 'first doc as inputImage', input: docs('aW1hZ2U=', 'b3RoZXI='), expected: { inputImage: 'aW1hZ2U=' } },
  { name: 'connector.pre_process.bedrock.nova.video_embedding', description: 'first doc as inputVideo', input: docs('dmlkZW8='), expected: { inputVideo: 'dmlkZW8=' } },
  { name: 'connector.pre_process.bedrock.nova.audio_embedding', description: 'first doc as inputAudio', input: docs('YXVkaW8='), expected: { inputAudio: 'YXVkaW8=' } },
  {
    name: 'connector.pre_process.cohere.rerank',
    description: 'query, documents, top_n',
    input: similarity('What is the capital of France?', 'Paris is the capital.', 'Berlin is in Germany.', 'France is in Europe.'),
    expected: {
      query: 'What is the capital of France?',
      documents: '["Paris is the capital.","Berlin is in Germany.","France is in Europe."]',
      top_n: '3',
    },
  },
  { name: 'connector.pre_process.default.rerank', description: 'the Cohere class', input: similarity('q', 'd1', 'd2'), expected: { query: 'q', documents: '["d1","d2"]', top_n: '2' } },
  {
    name: 'connector.pre_process.bedrock.rerank',
    description: 'queries, sources, numberOfResults',
    input: similarity('What is ML?', 'Machine learning is AI.', 'Cats sleep a lot.'),
    expected: {
      queries: '[{"textQuery":{"text":"What is ML?"},"type":"TEXT"}]',
      sources:
        '[{"inlineDocumentSource":{"textDocument":{"text":"Machine learning is AI."},"type":"TEXT"},"type":"INLINE"},' +
        '{"inlineDocumentSource":{"textDocument":{"text":"Cats sleep a lot."},"type":"TEXT"},"type":"INLINE"}]',
      numberOfResults: '2',
    },
  },
];

const TEXT_DOCS_FUNCTIONS: PreProcessFunctionName[] = [
  'connector.pre_process.openai.embedding',
  'connector.pre_process.default.embedding',
  'connector.pre_process.cohere.embedding',
  'connector.pre_process.cohere.multimodal_embedding',
  'connector.pre_process.bedrock.embedding',
  'connector.pre_process.bedrock.multimodal_embedding',
  'connector.pre_process.bedrock.nova.embedding',
  'connector.pre_process.bedrock.nova.text_embedding',
  'connector.pre_process.bedrock.nova.image_embedding',
  'connector.pre_process.bedrock.nova.video_embedding',
  'connector.pre_process.bedrock.nova.audio_embedding',
];

const RERANK_FUNCTIONS: PreProcessFunctionName[] = [
  'connector.pre_process.cohere.rerank',
  'connector.pre_process.default.rerank',
  'connector.pre_process.bedrock.rerank',
];

export const PRE_PROCESS_ERROR_CASES: PreProcessErrorCase[] = [
  ...TEXT_DOCS_FUNCTIONS.map((name) => ({ name, description: 'similarity input', input: similarity('q', 'd'), message: TEXT_DOCS_ONLY })),
  ...RERANK_FUNCTIONS.map((name) => ({ name, description: 'text-docs input', input: docs('d'), message: TEXT_SIMILARITY_ONLY })),
  { name: 'connector.pre_process.bedrock.multimodal_embedding', description: 'no docs', input: docs(), message: 'No input text or image provided' },
  { name: 'connector.pre_process.bedrock.multimodal_embedding', description: 'one null doc', input: docs(null), message: 'No input text or image provided' },
  { name: 'connector.pre_process.cohere.multimodal_embedding', description: 'no docs', input: docs(), message: 'No image provided' },
  { name: 'connector.pre_process.cohere.multimodal_embedding', description: 'null first doc', input: docs(null, 'data:image/png;base64,AA'), message: 'No image provided' },
  { name: 'connector.pre_process.bedrock.nova.embedding', description: 'no docs', input: docs(), message: 'No input provided' },
  { name: 'connector.pre_process.bedrock.nova.embedding', description: 'one null doc', input: docs(null), message: 'No input provided' },
  { name: 'connector.pre_process.bedrock.nova.image_embedding', description: 'no docs', input: docs(), message: 'No input image provided' },
  { name: 'connector.pre_process.bedrock.nova.video_embedding', description: 'no docs', input: docs(), message: 'No input video provided' },
  { name: 'connector.pre_process.bedrock.nova.audio_embedding', description: 'no docs', input: docs(), message: 'No input audio provided' },
];

/** How each built-in splits text docs into provider calls (RemoteConnectorExecutor.calculateChunkSize). */
export const DOCS_PER_REQUEST: Record<PreProcessFunctionName, 'all' | 'one'> = {
  'connector.pre_process.openai.embedding': 'all',
  'connector.pre_process.default.embedding': 'all',
  'connector.pre_process.cohere.embedding': 'all',
  'connector.pre_process.cohere.multimodal_embedding': 'all',
  'connector.pre_process.bedrock.embedding': 'one',
  'connector.pre_process.bedrock.multimodal_embedding': 'all',
  'connector.pre_process.bedrock.nova.embedding': 'all',
  'connector.pre_process.bedrock.nova.text_embedding': 'all',
  'connector.pre_process.bedrock.nova.image_embedding': 'all',
  'connector.pre_process.bedrock.nova.video_embedding': 'all',
  'connector.pre_process.bedrock.nova.audio_embedding': 'all',
  'connector.pre_process.cohere.rerank': 'all',
  'connector.pre_process.default.rerank': 'all',
  'connector.pre_process.bedrock.rerank': 'all',
};
