/**
 * The blueprint corpus: every Painless pre/post-process script in fixtures/blueprints must compile
 * and run the way ML Commons runs it. Post-process scripts get a realistic provider response as
 * `params` (the response's top-level fields); pre-process scripts get the MLInput that ML Commons
 * builds (`text_docs`) or the predict parameters as strings.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OpenSearchError } from '../../src/errors/opensearch-error.js';
import { compilePainless, painlessEscape } from '../../src/painless/index.js';

const BLUEPRINT_DIR = fileURLToPath(new URL('../../fixtures/blueprints/', import.meta.url));

interface BlueprintScript {
  readonly file: string;
  readonly location: string;
  readonly kind: 'pre_process_function' | 'post_process_function';
  readonly source: string;
  /** `parameters` of the predict examples in the same case. */
  readonly predictParameters: readonly Record<string, unknown>[];
}

function findScripts(
  node: unknown,
  file: string,
  location: string,
  predicts: readonly Record<string, unknown>[],
  found: BlueprintScript[],
): void {
  if (Array.isArray(node)) {
    node.forEach((element, index) =>
      findScripts(element, file, `${location}[${index}]`, predicts, found),
    );
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  const casePredicts = Array.isArray(record['predict'])
    ? (record['predict'] as { body?: { parameters?: Record<string, unknown> } }[]).map(
        (call) => call.body?.parameters ?? {},
      )
    : predicts;
  for (const [key, value] of Object.entries(record)) {
    const isScript =
      (key === 'pre_process_function' || key === 'post_process_function') &&
      typeof value === 'string';
    if (isScript && !value.startsWith('connector.')) {
      found.push({
        file,
        location: `${location}.${key}`,
        kind: key,
        source: value,
        predictParameters: casePredicts,
      });
    } else {
      findScripts(value, file, `${location}.${key}`, casePredicts, found);
    }
  }
}

const scripts: BlueprintScript[] = [];
for (const file of readdirSync(BLUEPRINT_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()) {
  findScripts(JSON.parse(readFileSync(`${BLUEPRINT_DIR}${file}`, 'utf8')), file, '$', [], scripts);
}

// Model output with every character escape() must handle.
const TRICKY_TEXT = 'Relevance: 0.8\n"Doc 1" is C:\\data\\notes\twith\r\nbreaks\b\f.';
const EMBEDDING = [0.0123, -0.5, 0.75, 1e-7];

/** Provider responses, chosen by the response fields a script reads. */
const RESPONSES: readonly {
  name: string;
  reads: RegExp;
  response: Record<string, unknown>;
  expected: unknown;
}[] = [
  {
    name: 'Bedrock Titan / Aleph Alpha embedding',
    reads: /params\.embedding\b/,
    response: { embedding: EMBEDDING, inputTextTokenCount: 4 },
    expected: { name: 'sentence_embedding', data_type: 'FLOAT32', shape: [4], data: EMBEDDING },
  },
  {
    name: 'OpenAI-compatible chat completion',
    reads: /params\.choices\[0\]\.message\.content/,
    response: {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [
        { index: 0, message: { role: 'assistant', content: TRICKY_TEXT }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 12, total_tokens: 22 },
    },
    expected: { name: 'response', dataAsMap: { response: TRICKY_TEXT } },
  },
  {
    name: 'Bedrock Converse',
    reads: /params\.output\.message\.content\[0\]\.text/,
    response: {
      output: { message: { role: 'assistant', content: [{ text: TRICKY_TEXT }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 10, outputTokens: 12, totalTokens: 22 },
    },
    expected: { name: 'response', dataAsMap: { response: TRICKY_TEXT } },
  },
  {
    name: 'Gemini generateContent',
    reads: /params\.candidates\[0\]\.content\.parts\[0\]\.text/,
    response: {
      candidates: [
        { content: { role: 'model', parts: [{ text: TRICKY_TEXT }] }, finishReason: 'STOP' },
      ],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 12 },
    },
    expected: { name: 'response', dataAsMap: { response: TRICKY_TEXT } },
  },
];

/** Predict parameters reach a remote-input pre-process script as strings (JSON text for non-strings). */
const asParameterStrings = (parameters: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(parameters).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );

const compile = (source: string) =>
  compilePainless(source, { builtins: { escape: painlessEscape } });
const label = (script: BlueprintScript): string => `${script.file} ${script.location}`;

describe('blueprint corpus', () => {
  it('finds the Painless scripts in fixtures/blueprints', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(10);
    expect(scripts.some((script) => script.kind === 'pre_process_function')).toBe(true);
    expect(scripts.some((script) => script.kind === 'post_process_function')).toBe(true);
  });

  it.for(scripts)('compiles $file $location', (script) => {
    expect(() => compile(script.source)).not.toThrow();
  });
});

describe.for(scripts.filter((script) => script.kind === 'post_process_function'))(
  'post-process $file $location',
  (script) => {
    const match = RESPONSES.find((candidate) => candidate.reads.test(script.source));

    it('has a realistic provider response in this test', () => {
      expect(match, `add a provider response for ${label(script)}`).toBeDefined();
    });

    it('turns the provider response into a model tensor', () => {
      if (match === undefined) throw new Error(`no provider response for ${label(script)}`);
      const output = compile(script.source).execute({ params: structuredClone(match.response) });
      expect(typeof output).toBe('string');
      expect(JSON.parse(output as string)).toEqual(match.expected);
    });
  },
);

describe.for(scripts.filter((script) => script.kind === 'pre_process_function'))(
  'pre-process $file $location',
  (script) => {
    const usesTextDocs = script.source.includes('params.text_docs');
    // ML Commons' MLInput for text docs (each doc already JSON-escaped), else the predict parameters.
    const inputs: Record<string, unknown>[] = usesTextDocs
      ? [
          {
            algorithm: 'REMOTE',
            text_docs: ['Moët Hennessy says \\"hi\\"'],
            return_bytes: false,
            return_number: true,
          },
        ]
      : script.predictParameters.map(asParameterStrings);

    it('has predict inputs to run with', () => {
      expect(inputs.length).toBeGreaterThan(0);
    });

    it.for(inputs)('returns {"parameters": {...}} JSON for %j', (params) => {
      const output = compile(script.source).execute({ params });
      const parsed = JSON.parse(output as string) as { parameters: Record<string, unknown> };
      expect(Object.keys(parsed)).toEqual(['parameters']);
      expect(Object.keys(parsed.parameters).length).toBeGreaterThan(0);
      if (usesTextDocs) {
        expect(Object.values(parsed.parameters)).toEqual(['Moët Hennessy says "hi"']);
      } else {
        // String parameters are embedded as strings, JSON-text parameters as the JSON they hold.
        const isJsonText = (value: unknown): value is string =>
          typeof value === 'string' && /^[[{]/.test(value);
        const expected = Object.fromEntries(
          Object.entries(params).map(([key, value]) => [
            key,
            isJsonText(value) ? (JSON.parse(value) as unknown) : value,
          ]),
        );
        expect(parsed.parameters).toEqual(expected);
      }
    });
  },
);

describe('blueprint scripts, specific behaviour', () => {
  const titanPost = scripts.find(
    (script) =>
      script.kind === 'post_process_function' && /params\.embedding\b/.test(script.source),
  );
  const highlighter = scripts.find((script) => script.source.includes('Invalid input format'));

  it('returns the provider message when the embedding is missing (Titan post-process)', () => {
    expect(titanPost).toBeDefined();
    expect(
      compile(titanPost?.source ?? '').execute({ params: { message: 'Too many requests' } }),
    ).toBe('Too many requests');
  });

  it('raises the IllegalArgumentException message exactly (SageMaker highlighter pre-process)', () => {
    expect(highlighter).toBeDefined();
    let caught: unknown;
    try {
      compile(highlighter?.source ?? '').execute({ params: {} });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OpenSearchError);
    expect(caught).toMatchObject({
      status: 400,
      type: 'illegal_argument_exception',
      reason: 'Invalid input format: must provide either (question and context) or (inputs)',
    });
  });
});

// Scripts quoted in the ML Commons reference (section 3.3) that are not in the fixtures.
const TITAN_MULTIMODAL_PRE_PROCESS = `
StringBuilder parametersBuilder = new StringBuilder("{");
if (params.text_docs.length > 0 && params.text_docs[0] != null) {
  parametersBuilder.append("\\"inputText\\":");
  parametersBuilder.append("\\"");
  parametersBuilder.append(params.text_docs[0]);
  parametersBuilder.append("\\"");
  if (params.text_docs.length > 1 && params.text_docs[1] != null) {
    parametersBuilder.append(",");
  }
}
if (params.text_docs.length > 1 && params.text_docs[1] != null) {
  parametersBuilder.append("\\"inputImage\\":");
  parametersBuilder.append("\\"");
  parametersBuilder.append(params.text_docs[1]);
  parametersBuilder.append("\\"");
}
parametersBuilder.append("}");
return  "{" +"\\"parameters\\":" + parametersBuilder + "}";`;

const COHERE_2_9_POST_PROCESS = `
def name = "sentence_embedding"; def dataType = "FLOAT32";
if (params.embeddings == null || params.embeddings.length == 0) { return null; }
def embeddings = params.embeddings;
StringBuilder builder = new StringBuilder("[");
for (int i=0; i<embeddings.length; i++) {
  def shape = [embeddings[i].length];
  def json = "{" + "\\"name\\":\\"" + name + "\\"," + "\\"data_type\\":\\"" + dataType + "\\"," +
             "\\"shape\\":" + shape + "," + "\\"data\\":" + embeddings[i] + "}";
  builder.append(json);
  if (i < embeddings.length - 1) { builder.append(","); }
}
builder.append("]");
return builder.toString();`;

describe('reference scripts (ml-commons-connectors.md section 3.3)', () => {
  it.each([
    [['a cat'], { inputText: 'a cat' }],
    [[null, 'aW1hZ2U='], { inputImage: 'aW1hZ2U=' }],
    [['a cat', 'aW1hZ2U='], { inputText: 'a cat', inputImage: 'aW1hZ2U=' }],
    [[], {}],
  ])('Titan multimodal pre-process with text_docs %j', (textDocs, expected) => {
    const output = compile(TITAN_MULTIMODAL_PRE_PROCESS).execute({
      params: { text_docs: textDocs },
    });
    expect(JSON.parse(output as string)).toEqual({ parameters: expected });
  });

  it('2.9 Cohere post-process builds one tensor per embedding', () => {
    const embeddings = [
      [0.5, -0.25],
      [0.125, 1e-9],
    ];
    const output = compile(COHERE_2_9_POST_PROCESS).execute({
      params: { id: 'x', embeddings, texts: ['a', 'b'] },
    });
    expect(output).toBe(
      '[{"name":"sentence_embedding","data_type":"FLOAT32","shape":[2],"data":[0.5, -0.25]},' +
        '{"name":"sentence_embedding","data_type":"FLOAT32","shape":[2],"data":[0.125, 1.0E-9]}]',
    );
    expect(JSON.parse(output as string)).toHaveLength(2);
    expect(compile(COHERE_2_9_POST_PROCESS).execute({ params: { embeddings: [] } })).toBeNull();
  });
});
