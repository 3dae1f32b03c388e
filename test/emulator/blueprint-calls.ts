/**
 * Turns the connector blueprints in fixtures/blueprints into the HTTP calls a sidecar would make
 * (a simplified ML Commons renderer: parameter substitution with defaults and `:-null`, escaping of
 * predict strings, the built-in text-docs pre-processes), so the emulator can be checked against
 * every case without the sidecar.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_API_KEY } from '../../fixtures/emulator/test-credentials.js';

const BLUEPRINTS = join(import.meta.dirname, '../../fixtures/blueprints');

interface Action {
  action_type: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  request_body?: string;
  pre_process_function?: string;
  post_process_function?: string;
}

interface Connector {
  protocol: string;
  parameters?: Record<string, unknown>;
  credential?: Record<string, string>;
  actions: Action[];
}

interface BlueprintFile {
  cases: { connector: Connector; predict: { path: string; body: Record<string, unknown> }[] }[];
}

/** One rendered provider call. */
export interface BlueprintCall {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  sigv4: { service: string; region: string; identity: 'long-term' | 'temporary' } | undefined;
  postProcess: string | undefined;
  responseFilter: string | undefined;
}

/** All calls of one blueprint case (one case must succeed at least once). */
export interface BlueprintCase {
  id: string;
  calls: BlueprintCall[];
}

// A remote-input example for cases whose blueprint shows none (e.g. OpenAI chat).
const SYNTHETIC_REMOTE = {
  messages: [{ role: 'user', content: 'Hello!' }],
  inputs: 'What is OpenSearch?',
  inputText: 'hello world',
  texts: ['hello world', 'today is sunny'],
  input: ['hello world', 'today is sunny'],
  system_prompt: 'Be brief.',
  user_prompt: 'What is OpenSearch?',
};
const SYNTHETIC_DOCS = ['hello world', 'today is sunny'];

const escapeString = (value: string): string => JSON.stringify(value).slice(1, -1);
const asParameter = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

function textDocsParameters(action: Action, docs: string[]): Record<string, string> | undefined {
  const pre = action.pre_process_function ?? 'connector.pre_process.default.embedding';
  const first = escapeString(docs[0] ?? '');
  if (/openai\.embedding|default\.embedding/.test(pre)) return { input: JSON.stringify(docs) };
  if (/cohere\.embedding/.test(pre)) return { texts: JSON.stringify(docs) };
  if (pre === 'connector.pre_process.bedrock.embedding') return { inputText: first };
  if (/bedrock\.multimodal_embedding/.test(pre))
    return {
      inputText: first,
      ...(docs[1] === undefined ? {} : { inputImage: escapeString(docs[1]) }),
    };
  // The Painless pre-processes of the Titan and Aleph Alpha blueprints put text_docs[0] in one key.
  const key = /\\"(\w+)\\":" \+ builder/.exec(pre)?.[1];
  return key === undefined ? undefined : { [key]: first };
}

/** ML Commons-style substitution: `"${parameters.x:-null}"` → null, defaults, recursion. */
export function substitute(template: string, parameters: Record<string, string>): string {
  let text = template.replace(/"\$\{parameters\.(\w+):-null}"/g, (whole, name: string) =>
    parameters[name] === undefined ? 'null' : whole,
  );
  for (let round = 0; round < 10; round++) {
    const next = text.replace(
      /\$\{parameters\.([\w.-]+?)(?::-([^}]*))?}/g,
      (whole, name: string, fallback: string | undefined) => parameters[name] ?? fallback ?? whole,
    );
    if (next === text) break;
    text = next;
  }
  return text;
}

function render(
  connector: Connector,
  action: Action,
  parameters: Record<string, string>,
  label: string,
): BlueprintCall | undefined {
  const body = substitute(action.request_body ?? '', parameters);
  const url = substitute(action.url, parameters);
  if (body.includes('${parameters.') || url.includes('${parameters.')) return undefined;
  try {
    JSON.parse(body);
  } catch {
    return undefined;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(action.headers ?? {})) {
    headers[name.toLowerCase()] = substitute(value, parameters).replace(
      /\$\{credential\.[^}]+}/g,
      TEST_API_KEY,
    );
  }
  const path = encodeURI(url.replace(/^[a-z]+:\/\/[^/]*/i, '')) || '/';
  const region = parameters['region'] ?? 'us-east-1';
  const sigv4 =
    connector.protocol === 'aws_sigv4'
      ? {
          service: parameters['service_name'] ?? 'bedrock',
          region: region.includes('<') ? 'us-east-1' : region,
          identity:
            connector.credential?.['session_token'] === undefined
              ? ('long-term' as const)
              : ('temporary' as const),
        }
      : undefined;
  return {
    label,
    method: action.method,
    path,
    headers,
    body,
    sigv4,
    postProcess: action.post_process_function,
    responseFilter: parameters['response_filter'],
  };
}

function callsFor(file: BlueprintFile, connector: Connector, fileName: string): BlueprintCall[] {
  const base = Object.fromEntries(
    Object.entries(connector.parameters ?? {}).map(([key, value]) => [key, asParameter(value)]),
  );
  const calls: BlueprintCall[] = [];
  for (const action of connector.actions) {
    const batch = action.action_type === 'batch_predict';
    const examples = file.cases
      .flatMap((blueprintCase) => blueprintCase.predict)
      .filter((example) => example.path.includes('_batch_predict') === batch);
    const inputs = [
      ...examples.map((example) => example.body),
      { parameters: SYNTHETIC_REMOTE },
      { text_docs: SYNTHETIC_DOCS },
    ];
    inputs.forEach((input, index) => {
      let predicted: Record<string, string> | undefined;
      if (Array.isArray(input['text_docs']))
        predicted = textDocsParameters(action, input['text_docs'] as string[]);
      else
        predicted = Object.fromEntries(
          Object.entries((input['parameters'] ?? {}) as Record<string, unknown>).map(
            ([key, value]) => [
              key,
              typeof value === 'string' ? escapeString(value) : JSON.stringify(value),
            ],
          ),
        );
      if (predicted === undefined) return;
      const call = render(
        connector,
        action,
        { ...base, ...predicted },
        `${fileName} ${action.action_type} input#${index}`,
      );
      if (call !== undefined) calls.push(call);
    });
  }
  return calls;
}

/** Every case of every blueprint file with its renderable calls. */
export function blueprintCases(): BlueprintCase[] {
  return readdirSync(BLUEPRINTS)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => {
      const file = JSON.parse(readFileSync(join(BLUEPRINTS, name), 'utf8')) as BlueprintFile;
      return file.cases.map((blueprintCase, index) => ({
        id: `${name}#${index}`,
        calls: callsFor(file, blueprintCase.connector, name),
      }));
    });
}

/** Values a simple JSONPath (`$.a[0].b[*].c`) selects. */
export function selectPath(value: unknown, path: string): unknown[] {
  const steps = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[(\d+|\*)\]/g) ?? [];
  let nodes: unknown[] = [value];
  for (const step of steps) {
    nodes = nodes.flatMap((node) => {
      if (step === '[*]') return Array.isArray(node) ? node : [];
      const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step;
      const child = (node as Record<string | number, unknown> | null | undefined)?.[key];
      return child === undefined ? [] : [child];
    });
  }
  return nodes;
}
