import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  isBuiltinFunctionName,
  lookupPostProcess,
  lookupPreProcess,
  POST_PROCESS_FUNCTION_NAMES,
  POST_PROCESS_FUNCTIONS,
  PRE_PROCESS_FUNCTION_NAMES,
  PRE_PROCESS_FUNCTIONS,
} from '../../../src/connectors/functions/index.js';
import { illegalArgumentReason } from './catch-error.js';
import { POST_PROCESS_CASES, POST_PROCESS_ERROR_CASES } from './post-process.cases.js';
import { PRE_PROCESS_CASES, PRE_PROCESS_ERROR_CASES } from './pre-process.cases.js';

const BLUEPRINTS = new URL('../../../fixtures/blueprints/', import.meta.url);

/** Every `connector.pre_process.*` / `connector.post_process.*` name the blueprint fixtures use. */
function blueprintFunctionNames(kind: 'pre' | 'post'): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(BLUEPRINTS).filter((entry) => entry.endsWith('.json'))) {
    const text = readFileSync(new URL(file, BLUEPRINTS), 'utf8');
    for (const match of text.matchAll(new RegExp(`"(connector\\.${kind}_process\\.[\\w.]+)"`, 'g'))) names.add(match[1] ?? '');
  }
  return [...names].sort();
}

// MLPostProcessFunction.JSON_PATH_EXPRESSION.
const ML_COMMONS_DEFAULT_PATHS: Record<string, string> = {
  'connector.post_process.openai.embedding': '$.data[*].embedding',
  'connector.post_process.cohere.embedding': '$.embeddings',
  'connector.post_process.cohere_v2.embedding.float': '$.embeddings.float',
  'connector.post_process.cohere_v2.embedding.int8': '$.embeddings.int8',
  'connector.post_process.cohere_v2.embedding.uint8': '$.embeddings.uint8',
  'connector.post_process.cohere_v2.embedding.binary': '$.embeddings.binary',
  'connector.post_process.cohere_v2.embedding.ubinary': '$.embeddings.ubinary',
  'connector.post_process.default.embedding': '$[*]',
  'connector.post_process.bedrock.embedding': '$.embedding',
  'connector.post_process.bedrock_v2.embedding.float': '$.embeddingsByType.float',
  'connector.post_process.bedrock_v2.embedding.binary': '$.embeddingsByType.binary',
  'connector.post_process.bedrock.nova.embedding': '$.embeddings[*].embedding',
  'connector.post_process.bedrock.batch_job_arn': '$',
  'connector.post_process.cohere.rerank': '$.results',
  'connector.post_process.bedrock.rerank': '$.results',
  'connector.post_process.default.rerank': '$[*]',
  'connector.post_process.mlcommons.passthrough': '$',
};

// MLPreProcessFunction's names, plus the Nova multimodal one its blueprint uses.
const ML_COMMONS_PRE_PROCESS_NAMES = [
  'connector.pre_process.cohere.embedding',
  'connector.pre_process.cohere.multimodal_embedding',
  'connector.pre_process.openai.embedding',
  'connector.pre_process.bedrock.embedding',
  'connector.pre_process.bedrock.multimodal_embedding',
  'connector.pre_process.bedrock.nova.embedding',
  'connector.pre_process.bedrock.nova.text_embedding',
  'connector.pre_process.bedrock.nova.image_embedding',
  'connector.pre_process.bedrock.nova.video_embedding',
  'connector.pre_process.bedrock.nova.audio_embedding',
  'connector.pre_process.default.embedding',
  'connector.pre_process.cohere.rerank',
  'connector.pre_process.bedrock.rerank',
  'connector.pre_process.default.rerank',
];

describe('built-in function registries', () => {
  it('hold exactly ML Commons pre-process names', () => {
    expect([...PRE_PROCESS_FUNCTION_NAMES].sort()).toStrictEqual([...ML_COMMONS_PRE_PROCESS_NAMES].sort());
  });

  it.for(Object.entries(ML_COMMONS_DEFAULT_PATHS))('%s reads %s by default', ([name, path]) => {
    expect(lookupPostProcess(name).defaultPath).toBe(path);
  });

  it('hold exactly ML Commons post-process names', () => {
    expect([...POST_PROCESS_FUNCTION_NAMES].sort()).toStrictEqual(Object.keys(ML_COMMONS_DEFAULT_PATHS).sort());
  });

  it('list their names in registry order', () => {
    expect(PRE_PROCESS_FUNCTION_NAMES).toStrictEqual(Object.keys(PRE_PROCESS_FUNCTIONS));
    expect(POST_PROCESS_FUNCTION_NAMES).toStrictEqual(Object.keys(POST_PROCESS_FUNCTIONS));
  });

  it.for(blueprintFunctionNames('pre'))('register blueprint pre-process %s', (name) => {
    expect(PRE_PROCESS_FUNCTION_NAMES).toContain(name);
  });

  it.for(blueprintFunctionNames('post'))('register blueprint post-process %s', (name) => {
    expect(POST_PROCESS_FUNCTION_NAMES).toContain(name);
  });

  it('find blueprint names at all', () => {
    expect(blueprintFunctionNames('pre')).toContain('connector.pre_process.bedrock.nova.embedding');
    expect(blueprintFunctionNames('post')).toContain('connector.post_process.openai.embedding');
  });

  it('have a success row and only known names in the pre-process tables', () => {
    const tested = new Set(PRE_PROCESS_CASES.map((row) => row.name));
    expect([...tested].sort()).toStrictEqual([...PRE_PROCESS_FUNCTION_NAMES].sort());
    for (const row of PRE_PROCESS_ERROR_CASES) expect(PRE_PROCESS_FUNCTION_NAMES).toContain(row.name);
  });

  it('have a success row and an error row for every post-process function', () => {
    const tested = new Set(POST_PROCESS_CASES.map((row) => row.name));
    expect([...tested].sort()).toStrictEqual([...POST_PROCESS_FUNCTION_NAMES].sort());
    const failing = new Set(POST_PROCESS_ERROR_CASES.map((row) => row.name));
    const untestedFailures = POST_PROCESS_FUNCTION_NAMES.filter(
      (name) => !failing.has(name) && !name.includes('_v2.embedding.'),
    );
    expect(untestedFailures).toStrictEqual([]);
  });
});

describe('built-in name lookup', () => {
  it.for([
    ['connector.pre_process.openai.embedding', true],
    ['connector.post_process.anything', true],
    ['connector.pre_process', false],
    ['  connector.pre_process.openai.embedding', false],
    ['def x = params.text_docs[0]; return x;', false],
    ['connector.preprocess.openai.embedding', false],
  ] as const)('isBuiltinFunctionName(%j) is %s', ([name, expected]) => {
    expect(isBuiltinFunctionName(name)).toBe(expected);
  });

  it('rejects an unknown pre-process name with the known ones', () => {
    expect(illegalArgumentReason(() => lookupPreProcess('connector.pre_process.foo'))).toBe(
      `Unknown pre_process_function [connector.pre_process.foo]; known: [${PRE_PROCESS_FUNCTION_NAMES.join(', ')}]`,
    );
  });

  it('rejects an unknown post-process name with the known ones', () => {
    expect(illegalArgumentReason(() => lookupPostProcess('connector.post_process.openai.embeddings'))).toBe(
      `Unknown post_process_function [connector.post_process.openai.embeddings]; known: [${POST_PROCESS_FUNCTION_NAMES.join(', ')}]`,
    );
  });

  it('does not resolve inherited object keys', () => {
    expect(illegalArgumentReason(() => lookupPreProcess('toString'))).toMatch(/^Unknown pre_process_function \[toString\]/);
  });
});
