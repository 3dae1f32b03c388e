import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { loadPipelineFiles } from '../../src/pipeline/load-pipeline-files.js';
import { registerReadyModels } from '../helpers/ready-models.js';
import { buildTestApp, errorReason, type TestApp } from '../helpers/test-app.js';

const PIPELINES_DIR = join(process.cwd(), 'pipelines');
const files = loadPipelineFiles(PIPELINES_DIR);
let emulator: Emulator;
let test: TestApp;

beforeAll(async () => {
  emulator = await startEmulator();
  test = await buildTestApp({ pipelineFiles: files });
  await registerReadyModels(test, emulator.url);
});
afterAll(async () => emulator.close());

const LONG_TEXT = Array.from({ length: 300 }, (_, index) => `word${index}`).join(' ');

/** What each ready-made pipeline must produce from a sample document. */
const expectations: Record<string, { source: Record<string, unknown>; check: (source: Record<string, any>) => void }> = {
  'openai-embeddings': { source: { text: 'OpenSearch is a search engine' }, check: (source) => expect(source['text_embedding']).toHaveLength(1536) },
  'bedrock-titan-embeddings': { source: { text: 'hello titan' }, check: (source) => expect(source['text_embedding']).toHaveLength(1536) },
  'cohere-embeddings': {
    source: { paragraphs: ['first paragraph', 'second paragraph'] },
    check: (source) => {
      expect(source['paragraph_embeddings']).toHaveLength(2);
      expect(source['paragraph_embeddings'][0]).toHaveLength(1024);
    },
  },
  'chunk-then-embed': {
    source: { text: LONG_TEXT },
    check: (source) => {
      expect(source['passage_chunk'].length).toBeGreaterThan(2);
      expect(source['passage_chunk_embedding']).toHaveLength(source['passage_chunk'].length);
      expect(source['passage_chunk_embedding'][0].knn).toHaveLength(1536);
    },
  },
  'summarize-with-chat': {
    source: { text: 'A long article about "search" engines.' },
    check: (source) => expect(source['summary']).toMatch(/^Emulated reply to: A long article about "search" engines\.$/),
  },
};

describe('pipelines/ (ready-made pipelines)', () => {
  it('should have an expectation for every file, and every file should load', () => {
    const names = readdirSync(PIPELINES_DIR).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -5)).sort();
    expect(Object.keys(expectations).sort()).toEqual(names);
  });

  it('should list file pipelines with GET', async () => {
    const listed = await test.call('GET', '/_ingest/pipeline');
    expect(Object.keys(listed.body).sort()).toEqual(Object.keys(expectations).sort());
  });

  it.each(Object.keys(expectations))('%s should enrich a document end to end against the emulator', async (id) => {
    const { source, check } = expectations[id]!;
    const response = await test.call('POST', `/_ingest/pipeline/${id}/_simulate`, { docs: [{ _source: source }] });
    expect(response.status).toBe(200);
    const [entry] = response.body.docs;
    expect(entry.error, JSON.stringify(entry.error)).toBeUndefined();
    check(entry.doc._source);
  });

  it('cohere-embeddings (ignore_missing) should pass a document without paragraphs unchanged, calling no model', async () => {
    emulator.clearRequests();
    const response = await test.call('POST', '/_ingest/pipeline/cohere-embeddings/_simulate', { docs: [{ _source: { title: 'no paragraphs here' } }] });
    expect(response.status).toBe(200);
    const [entry] = response.body.docs;
    expect(entry.error, JSON.stringify(entry.error)).toBeUndefined();
    expect(entry.doc._source).toEqual({ title: 'no paragraphs here' });
    expect(emulator.requests).toHaveLength(0);
  });

  it('should let an API pipeline shadow a file pipeline, refuse to delete the file one, and restore it', async () => {
    const local = await buildTestApp({ pipelineFiles: files });
    const refused = await local.call('DELETE', '/_ingest/pipeline/openai-embeddings');
    expect(refused.status).toBe(400);
    expect(errorReason(refused.body)).toContain('pipelines/openai-embeddings.json');
    await local.call('PUT', '/_ingest/pipeline/openai-embeddings', { processors: [{ set: { field: 'shadowed', value: true } }] });
    expect((await local.call('GET', '/_ingest/pipeline/openai-embeddings')).body['openai-embeddings'].processors[0]).toHaveProperty('set');
    expect((await local.call('DELETE', '/_ingest/pipeline/openai-embeddings')).status).toBe(200);
    expect((await local.call('GET', '/_ingest/pipeline/openai-embeddings')).body['openai-embeddings'].processors[0]).toHaveProperty('text_embedding');
  });
});
