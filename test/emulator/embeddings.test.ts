import { describe, expect, it } from 'vitest';
import {
  toBase64Float32,
  toBitList,
  toInt8,
  toSignedBinary,
  toUbinary,
  toUint8,
} from '../../fixtures/emulator/embedding-types.js';
import { cosineSimilarity, embedText, relevanceScore } from '../../fixtures/emulator/embeddings.js';

const norm = (vector: readonly number[]): number =>
  Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));

describe('embedText', () => {
  it('is deterministic and unit length at every dimension', () => {
    for (const dimensions of [8, 384, 1024, 1536, 3072]) {
      const first = embedText('What is the meaning of life?', dimensions);
      expect(first).toHaveLength(dimensions);
      expect(norm(first)).toBeCloseTo(1, 5);
      expect([...embedText('What is the meaning of life?', dimensions)]).toEqual([...first]);
    }
  });

  it('ignores case and punctuation but not words', () => {
    expect(
      cosineSimilarity(embedText('Today is sunny', 256), embedText('today is sunny!', 256)),
    ).toBeCloseTo(1, 6);
    expect(
      cosineSimilarity(embedText('today is sunny', 256), embedText('today is rainy', 256)),
    ).toBeLessThan(0.9);
  });

  it('keeps similar texts closer than unrelated ones', () => {
    const query = embedText('banana smoothie recipe', 1536);
    const similar = cosineSimilarity(query, embedText('how to make a banana smoothie', 1536));
    const unrelated = cosineSimilarity(query, embedText('quarterly tax filing deadline', 1536));
    expect(similar).toBeGreaterThan(0.4);
    expect(unrelated).toBeLessThan(0.15);
  });

  it('supports a nearest-neighbour search over documents', () => {
    const documents = [
      'The heart pumps blood through the body',
      'Bananas are rich in potassium',
      'OpenSearch is a search and analytics engine',
      'Paris is the capital of France',
    ];
    const vectors = documents.map((document) => embedText(document, 1024));
    const nearest = (query: string): string | undefined => {
      const queryVector = embedText(query, 1024);
      const scores = vectors.map((vector) => cosineSimilarity(queryVector, vector));
      return documents[scores.indexOf(Math.max(...scores))];
    };
    expect(nearest('what engine does search and analytics')).toBe(documents[2]);
    expect(nearest('capital of France')).toBe(documents[3]);
    expect(nearest('potassium in bananas')).toBe(documents[1]);
  });

  it('has no zero components (dense like real embeddings)', () => {
    expect(embedText('hello', 1536).filter((value) => value === 0)).toHaveLength(0);
  });

  it('rejects invalid dimensions', () => {
    expect(() => embedText('x', 0)).toThrow(RangeError);
    expect(() => embedText('x', 1.5)).toThrow(RangeError);
  });

  it('scores relevance in [0, 1] with related text above unrelated', () => {
    expect(
      relevanceScore('heart failure symptoms', 'Symptoms of heart failure include fatigue'),
    ).toBeGreaterThan(0.4);
    expect(relevanceScore('heart failure symptoms', 'The stock market closed higher')).toBeLessThan(
      0.1,
    );
    expect(relevanceScore('a', 'a')).toBe(1);
  });
});

describe('embedding encodings', () => {
  const vector = [0.5, -0.25, 0.1, -0.9, 0.3, 0.2, -0.1, 0.05, -0.6];

  it('quantises to int8 and uint8 with the largest component at the range limit', () => {
    expect(toInt8(vector)).toEqual([71, -35, 14, -127, 42, 28, -14, 7, -85]);
    expect(toUint8(vector)).toEqual(toInt8(vector).map((value) => value + 128));
  });

  it('packs sign bits eight per byte', () => {
    // Signs: + - + - + + - + | -  → 10101101, 00000000
    expect(toUbinary(vector)).toEqual([0b10101101, 0]);
    expect(toSignedBinary(vector)).toEqual([0b10101101 - 256, 0]);
    expect(toBitList(vector)).toEqual([1, 0, 1, 0, 1, 1, 0, 1, 0]);
  });

  it('encodes float32 little-endian base64', () => {
    const decoded = Buffer.from(toBase64Float32([1, -2]), 'base64');
    expect(decoded.readFloatLE(0)).toBe(1);
    expect(decoded.readFloatLE(4)).toBe(-2);
  });
});
