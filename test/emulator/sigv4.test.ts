import aws4 from 'aws4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySigV4 } from '../../fixtures/emulator/sigv4-verifier.js';
import {
  DEFAULT_AWS_CREDENTIALS,
  startEmulator,
  type Emulator,
} from '../../fixtures/emulator/start-emulator.js';
import {
  TEST_AWS_ACCESS_KEY_ID,
  TEST_AWS_SECRET_ACCESS_KEY,
  TEST_AWS_SESSION_TOKEN,
} from '../../fixtures/emulator/test-credentials.js';
import { asJson, send, sha256, signedPost } from './client.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    awsCredentials: { ...DEFAULT_AWS_CREDENTIALS, AKIACUSTOM: 'custom-secret' },
  });
});
afterAll(() => emulator.close());

const TITAN = '/model/amazon.titan-embed-text-v2:0/invoke';
const BODY = { inputText: 'hello' };

const amzDate = (date: Date): string => date.toISOString().replace(/[:-]|\.\d{3}/g, '');

describe('SigV4 verification', () => {
  it.each([
    ['long-term key without token', 'long-term' as const],
    ['temporary key with its session token', 'temporary' as const],
    ['a configured custom key', { accessKeyId: 'AKIACUSTOM', secretAccessKey: 'custom-secret' }],
  ])('accepts %s', async (_name, identity) => {
    const answer = await signedPost(emulator, TITAN, BODY, { service: 'bedrock', identity });
    expect(answer.status).toBe(200);
  });

  it('accepts a path whose model id is percent-encoded on the wire (double-encoded when signed)', async () => {
    const answer = await signedPost(
      emulator,
      '/model/amazon.titan-embed-text-v2%3A0/invoke',
      BODY,
      { service: 'bedrock' },
    );
    expect(answer.status).toBe(200);
  });

  it('accepts signed query strings', async () => {
    const answer = await signedPost(emulator, `${TITAN}?b=2&a=1&c=x%20y`, BODY, {
      service: 'bedrock',
    });
    expect(answer.status).toBe(200);
  });

  it('rejects a wrong secret with InvalidSignatureException and the canonical string', async () => {
    const answer = await signedPost(emulator, TITAN, BODY, {
      service: 'bedrock',
      identity: { accessKeyId: TEST_AWS_ACCESS_KEY_ID, secretAccessKey: 'wrong' },
    });
    expect(answer.status).toBe(403);
    expect(answer.headers['x-amzn-errortype']).toMatch(/^InvalidSignatureException:/);
    expect(asJson(answer)['message']).toContain(
      'The request signature we calculated does not match the signature you provided.',
    );
    expect(asJson(answer)['message']).toContain(
      "The Canonical String for this request should have been\n'POST\n/model/amazon.titan-embed-text-v2%3A0/invoke",
    );
  });

  it('rejects a body changed after signing', async () => {
    const answer = await signedPost(emulator, TITAN, BODY, {
      service: 'bedrock',
      bodyAfterSigning: JSON.stringify({ inputText: 'HELLO' }),
    });
    expect(answer.status).toBe(403);
    expect(answer.headers['x-amzn-errortype']).toMatch(/^InvalidSignatureException:/);
  });

  it('rejects an unreplaced `x-amz-content-sha256: required` but accepts the real payload hash', async () => {
    const literal = await signedPost(emulator, TITAN, BODY, {
      service: 'bedrock',
      headers: { 'x-amz-content-sha256': 'required' },
    });
    expect(literal.status).toBe(403);
    const hashed = await signedPost(emulator, TITAN, BODY, {
      service: 'bedrock',
      headers: { 'x-amz-content-sha256': sha256(JSON.stringify(BODY)) },
    });
    expect(hashed.status).toBe(200);
  });

  it.each([
    ['an unknown access key', { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }],
    [
      'a temporary key without its token',
      { accessKeyId: 'ASIAEMULATORTEST0000', secretAccessKey: TEST_AWS_SECRET_ACCESS_KEY },
    ],
    [
      'a long-term key with a token',
      {
        accessKeyId: TEST_AWS_ACCESS_KEY_ID,
        secretAccessKey: TEST_AWS_SECRET_ACCESS_KEY,
        sessionToken: TEST_AWS_SESSION_TOKEN,
      },
    ],
    [
      'a wrong session token',
      {
        accessKeyId: 'ASIAEMULATORTEST0000',
        secretAccessKey: TEST_AWS_SECRET_ACCESS_KEY,
        sessionToken: 'stale',
      },
    ],
  ])('rejects %s with UnrecognizedClientException', async (_name, identity) => {
    const answer = await signedPost(emulator, TITAN, BODY, { service: 'bedrock', identity });
    expect(answer.status).toBe(403);
    expect(answer.headers['x-amzn-errortype']).toMatch(/^UnrecognizedClientException:/);
    expect(asJson(answer)).toEqual({
      message: 'The security token included in the request is invalid.',
    });
  });

  it('rejects a signature scoped to another service', async () => {
    const answer = await signedPost(emulator, TITAN, BODY, { service: 'sagemaker' });
    expect(answer.status).toBe(403);
    expect(asJson(answer)['message']).toBe(
      "Credential should be scoped to correct service: 'bedrock'. ",
    );
  });

  it('rejects an expired signature', async () => {
    const old = amzDate(new Date(Date.now() - 60 * 60 * 1000));
    const answer = await signedPost(emulator, TITAN, BODY, {
      service: 'bedrock',
      headers: { 'X-Amz-Date': old },
    });
    expect(answer.status).toBe(403);
    expect(asJson(answer)['message']).toContain('Signature expired');
  });

  it('rejects a missing Authorization header in each AWS error format', async () => {
    const bedrock = await send(emulator, {
      path: TITAN,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(bedrock.status).toBe(403);
    expect(asJson(bedrock)).toEqual({ message: 'Missing Authentication Token' });
    const comprehend = await send(emulator, {
      path: '/',
      headers: { 'x-amz-target': 'Comprehend_20171127.DetectDominantLanguage' },
      body: '{}',
    });
    expect(asJson(comprehend)).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('agrees with aws4 on the canonical form of tricky paths and queries (unit level)', () => {
    const paths = [
      '/model/us.anthropic.claude-3-7-sonnet-20250219-v1:0/invoke',
      '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fx/converse',
      '/endpoints/my endpoint/invocations?z=1&a=b%2Fc&a=a',
    ];
    for (const path of paths) {
      const signed = aws4.sign(
        {
          host: 'localhost:1',
          method: 'POST',
          path,
          service: 'sagemaker',
          region: 'eu-west-1',
          body: 'x',
          headers: { 'content-type': 'text/plain' },
        },
        { accessKeyId: TEST_AWS_ACCESS_KEY_ID, secretAccessKey: TEST_AWS_SECRET_ACCESS_KEY },
      );
      const headers = Object.fromEntries(
        Object.entries(signed.headers ?? {}).map(([key, value]) => [
          key.toLowerCase(),
          String(value),
        ]),
      );
      const outcome = verifySigV4(
        { method: 'POST', rawUrl: signed.path ?? path, headers, body: Buffer.from('x') },
        'sagemaker',
        DEFAULT_AWS_CREDENTIALS,
      );
      expect(outcome).toMatchObject({ ok: true, region: 'eu-west-1', service: 'sagemaker' });
    }
  });
});
