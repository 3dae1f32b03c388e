import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedText } from '../../fixtures/emulator/embeddings.js';
import { startEmulator, type Emulator } from '../../fixtures/emulator/start-emulator.js';
import { asJson, list, numbers, signedPost } from './client.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ embeddingDimensions: { 'small-endpoint': 16 } });
});
afterAll(() => emulator.close());

const sagemaker = (endpoint: string, body: unknown) =>
  signedPost(emulator, `/endpoints/${endpoint}/invocations`, body, {
    service: 'sagemaker',
    identity: 'temporary',
  });

const CONTEXT =
  'Heart failure symptoms include shortness of breath, swelling in the feet and ankles, fatigue, and irregular pulse. Patients may also experience difficulty sleeping flat in bed.';

describe('SageMaker InvokeEndpoint', () => {
  it.each([
    ['a JSON array of strings', ['hello world', 'how are you']],
    ['{"inputs": [strings]}', { inputs: ['hello world', 'how are you'] }],
  ])('answers %s with a 2-D float array (384 by default)', async (_name, body) => {
    const answer = await sagemaker('OpenSearch-sagemaker-060124023703', body);
    expect(answer.status).toBe(200);
    const rows = list(answer.json);
    expect(rows).toHaveLength(2);
    expect(numbers(rows[0])).toEqual([...embedText('hello world', 384)]);
  });

  it('uses the dimension configured for the endpoint name', async () => {
    expect(numbers(list((await sagemaker('small-endpoint', ['x'])).json)[0])).toHaveLength(16);
  });

  it('highlights the relevant sentence of a single question/context', async () => {
    const answer = await sagemaker('highlighter', {
      question: 'What are the symptoms of heart failure?',
      context: CONTEXT,
      inputs: [],
    });
    expect(answer.status).toBe(200);
    const highlights = list(asJson(answer)['highlights']) as { start: number; end: number }[];
    expect(highlights.length).toBeGreaterThan(0);
    const first = highlights[0] ?? { start: 0, end: 0 };
    expect(CONTEXT.slice(first.start, first.end)).toBe(
      'Heart failure symptoms include shortness of breath, swelling in the feet and ankles, fatigue, and irregular pulse.',
    );
    expect(asJson(answer)).toMatchObject({ processing_time_ms: expect.any(Number), device: 'cpu' });
  });

  it('answers batch highlighting with one span list per input', async () => {
    const inputs = [
      { question: 'What are the symptoms of heart failure?', context: CONTEXT },
      {
        question: 'How is diabetes managed?',
        context:
          'Diabetes management involves monitoring blood sugar levels. The weather is nice today.',
      },
    ];
    const answer = await sagemaker('highlighter', { question: '', context: '', inputs });
    const highlights = list(asJson(answer)['highlights']);
    expect(highlights).toHaveLength(2);
    expect(list(highlights[1])).toEqual([{ start: 0, end: 59 }]);
  });

  it('answers a body the container cannot read with 424 ModelError', async () => {
    const answer = await sagemaker('highlighter', { question: '', context: '', inputs: [] });
    expect(answer.status).toBe(424);
    expect(asJson(answer)).toMatchObject({
      ErrorCode: 'CLIENT_ERROR_FROM_MODEL',
      OriginalStatusCode: 400,
      LogStreamArn: expect.stringContaining('/aws/sagemaker/Endpoints/highlighter'),
    });
  });
});

describe('SageMaker transform jobs', () => {
  const job = {
    BatchStrategy: 'SingleRecord',
    ModelName: 'DJL-Text-Embedding-Model-imageforjsonlines',
    TransformJobName: 'SM-offline-batch-transform-07-15-11-30',
    TransformInput: {
      ContentType: 'application/json',
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://offlinebatch/in.json' } },
      SplitType: 'Line',
    },
    TransformOutput: {
      AssembleWith: 'Line',
      Accept: 'application/json',
      S3OutputPath: 's3://offlinebatch/output',
    },
    TransformResources: { InstanceCount: 1, InstanceType: 'ml.c5.xlarge' },
  };

  it('creates a job at the blueprint path and describes it as Completed via X-Amz-Target', async () => {
    const created = await signedPost(emulator, '/CreateTransformJob', job, {
      service: 'sagemaker',
      region: 'us-east-1',
    });
    expect(created.status).toBe(200);
    expect(asJson(created)).toEqual({
      TransformJobArn:
        'arn:aws:sagemaker:us-east-1:123456789012:transform-job/sm-offline-batch-transform-07-15-11-30',
    });
    const described = await signedPost(
      emulator,
      '/',
      { TransformJobName: job.TransformJobName },
      {
        service: 'sagemaker',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'SageMaker.DescribeTransformJob',
        },
      },
    );
    expect(asJson(described)).toMatchObject({
      TransformJobStatus: 'Completed',
      ModelName: job.ModelName,
    });
  });

  it('rejects a job without required members and an unknown job name', async () => {
    const missing = await signedPost(
      emulator,
      '/CreateTransformJob',
      { TransformJobName: 'x' },
      { service: 'sagemaker' },
    );
    expect(missing.status).toBe(400);
    expect(asJson(missing)['__type']).toBe('ValidationException');
    const unknown = await signedPost(
      emulator,
      '/DescribeTransformJob',
      { TransformJobName: 'nope' },
      { service: 'sagemaker' },
    );
    expect(asJson(unknown)).toMatchObject({
      __type: 'ValidationException',
      message: 'Could not find requested job with name nope',
    });
  });
});

const target = (service: string, operation: string, body: unknown) =>
  signedPost(emulator, '/', body, {
    service,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': operation },
  });

describe('Comprehend', () => {
  it.each([
    ['It is raining today in Seattle and the streets are wet', 'en'],
    ['Der Hund ist nicht in dem Haus und die Katze auch nicht', 'de'],
    ['Je ne sais pas pour que la vie est belle', 'fr'],
    ['Привет, как дела?', 'ru'],
    ['今日はいい天気ですね', 'ja'],
  ])('DetectDominantLanguage(%s) → %s', async (text, code) => {
    const answer = await target('comprehend', 'Comprehend_20171127.DetectDominantLanguage', {
      Text: text,
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(asJson(answer)['Languages']?.[0]).toEqual({
      LanguageCode: code,
      Score: expect.any(Number),
    });
  });

  it('rejects empty text and unknown operations in JSON 1.1 format', async () => {
    const empty = await target('comprehend', 'Comprehend_20171127.DetectDominantLanguage', {
      Text: '',
    });
    expect(asJson(empty)).toMatchObject({ __type: 'InvalidRequestException' });
    const unknown = await target('comprehend', 'Comprehend_20171127.DetectPiiEntities', {
      Text: 'x',
    });
    expect(unknown.status).toBe(400);
    expect(asJson(unknown)['__type']).toBe('UnknownOperationException');
  });
});

describe('Textract', () => {
  it('DetectDocumentText reads a text document into PAGE, LINE and WORD blocks', async () => {
    const bytes = Buffer.from('Hello world\nSecond line').toString('base64');
    const answer = await target('textract', 'Textract.DetectDocumentText', {
      Document: { Bytes: bytes },
    });
    expect(answer.status).toBe(200);
    const blocks = list(asJson(answer)['Blocks']) as { BlockType: string; Text?: string }[];
    expect(asJson(answer)['DocumentMetadata']).toEqual({ Pages: 1 });
    expect(blocks.filter((block) => block.BlockType === 'LINE').map((block) => block.Text)).toEqual(
      ['Hello world', 'Second line'],
    );
    expect(blocks.filter((block) => block.BlockType === 'WORD')).toHaveLength(4);
    expect(blocks[0]?.BlockType).toBe('PAGE');
  });

  it('describes images it cannot read, and rejects a missing document', async () => {
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d494844520000006e0000001e0806000000000000',
      'hex',
    ).toString('base64');
    const answer = await target('textract', 'Textract.DetectDocumentText', {
      Document: { Bytes: png },
    });
    const lines = (list(asJson(answer)['Blocks']) as { BlockType: string; Text?: string }[]).filter(
      (block) => block.BlockType === 'LINE',
    );
    expect(lines[0]?.Text).toBe('Emulated text of a 110x30 png document');
    const missing = await target('textract', 'Textract.DetectDocumentText', { Document: {} });
    expect(asJson(missing)['__type']).toBe('InvalidParameterException');
  });
});
