/**
 * The Mustache subset OpenSearch's ingest processors use for field names, `set`/`append` values
 * and `fail` messages (lang-mustache with its default `application/json` encoder): `{{name}}` is
 * JSON-string-escaped, `{{{name}}}` and `{{& name}}` are raw, names are dotted paths (`a.b`,
 * `list.0`, `list.size`), sections and inverted sections iterate or test a value, `{{! }}` is a
 * comment, and OpenSearch's `toJson`, `join` and `url` functions are available. A missing value
 * renders as nothing. Values print as Java does (`[a, b]`, `{k=v}`), as mustache.java stringifies.
 */
import { javaToString } from '../../painless/index.js';
import type { IngestDocument } from '../../pipeline/ingest-document.js';

type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'variable'; readonly name: string; readonly escape: boolean }
  | {
      readonly kind: 'section';
      readonly name: string;
      readonly inverted: boolean;
      readonly body: string;
      readonly children: TemplateNode[];
    };

/** What templates see: the document's source and metadata at the top, plus `_source` and `_ingest`. */
export type TemplateModel = Readonly<Record<string, unknown>>;

/** A compiled template; a source without `{{` renders as itself. */
export interface Template {
  readonly source: string;
  render(model: TemplateModel): string;
}

/** A template that does not parse, with mustache.java's wording. */
export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
}

/** IngestDocument.createTemplateModel: `_ingest` shadows a source field of that name (reachable as `_source._ingest`). */
export const templateModel = (document: IngestDocument): TemplateModel => ({
  ...document.sourceAndMetadata,
  _source: document.sourceAndMetadata,
  _ingest: document.ingestMetadata,
});

/** Compiles `source`; throws `TemplateSyntaxError` when it does not parse. */
export function compileTemplate(source: string): Template {
  if (!source.includes('{{')) return { source, render: () => source };
  const nodes = parse(source);
  return { source, render: (model) => renderNodes(nodes, [model]) };
}

/** Renders a template against a document. */
export const renderTemplate = (template: Template, document: IngestDocument): string =>
  template.render(templateModel(document));

const lineAt = (source: string, offset: number): number =>
  source.slice(0, offset).split('\n').length;

function parse(source: string): TemplateNode[] {
  const root: TemplateNode[] = [];
  const open: {
    name: string;
    inverted: boolean;
    children: TemplateNode[];
    bodyStart: number;
    parent: TemplateNode[];
  }[] = [];
  let current = root;
  let offset = 0;
  while (offset < source.length) {
    const start = source.indexOf('{{', offset);
    if (start === -1) {
      current.push({ kind: 'text', text: source.slice(offset) });
      break;
    }
    if (start > offset) current.push({ kind: 'text', text: source.slice(offset, start) });
    const triple = source.startsWith('{{{', start);
    const closer = triple ? '}}}' : '}}';
    const end = source.indexOf(closer, start + closer.length);
    if (end === -1)
      throw new TemplateSyntaxError(
        `Improperly closed variable in query-template:${lineAt(source, start)}`,
      );
    const tag = source.slice(start + closer.length, end);
    offset = end + closer.length;
    const sigil = triple ? '{' : tag.charAt(0);
    const name = (triple || !'!#^/&>='.includes(sigil) ? tag : tag.slice(1)).trim();
    if (triple || sigil === '&') current.push({ kind: 'variable', name, escape: false });
    else if (sigil === '!') continue;
    else if (sigil === '#' || sigil === '^') {
      const children: TemplateNode[] = [];
      open.push({ name, inverted: sigil === '^', children, bodyStart: offset, parent: current });
      current = children;
    } else if (sigil === '/') {
      const section = open.pop();
      if (section === undefined || section.name !== name) {
        throw new TemplateSyntaxError(
          `Mismatched start/end tags: ${section?.name ?? ''} != ${name} in query-template:${lineAt(source, start)}`,
        );
      }
      current = section.parent;
      const body = source.slice(section.bodyStart, start);
      current.push({
        kind: 'section',
        name,
        inverted: section.inverted,
        body,
        children: section.children,
      });
    } else if (sigil === '>' || sigil === '=') {
      throw new TemplateSyntaxError(
        `${sigil === '>' ? 'Partials' : 'Delimiter changes'} are not supported in ingest templates: {{${tag}}}`,
      );
    } else current.push({ kind: 'variable', name, escape: true });
  }
  const unclosed = open.pop();
  if (unclosed !== undefined)
    throw new TemplateSyntaxError(
      `Failed to close '${unclosed.name}' tag @[query-template:${lineAt(source, source.length)}]`,
    );
  return root;
}

function renderNodes(nodes: readonly TemplateNode[], scopes: readonly unknown[]): string {
  let output = '';
  for (const node of nodes) {
    if (node.kind === 'text') output += node.text;
    else if (node.kind === 'variable') {
      const value = lookup(node.name, scopes);
      if (value !== undefined && value !== null)
        output += node.escape ? jsonEscape(javaToString(value)) : javaToString(value);
    } else output += renderSection(node, scopes);
  }
  return output;
}

const JOIN_WITH_DELIMITER = /^join delimiter='(.*)'$/;

function renderSection(
  node: Extract<TemplateNode, { kind: 'section' }>,
  scopes: readonly unknown[],
): string {
  const functionName = node.name.toLowerCase();
  if (!node.inverted && functionName === 'tojson') {
    const value = lookup(node.body.trim(), scopes);
    if (value === undefined || value === null) return '';
    return Array.isArray(value) || isMap(value) ? JSON.stringify(value) : javaToString(value);
  }
  const delimiter = functionName === 'join' ? ',' : JOIN_WITH_DELIMITER.exec(node.name)?.[1];
  if (!node.inverted && delimiter !== undefined) {
    const value = lookup(node.body.trim(), scopes);
    // OpenSearch's JoinerCode hands back the section's text when the value is not a list.
    return Array.isArray(value) ? value.map((item) => stringify(item)).join(delimiter) : node.body;
  }
  if (!node.inverted && functionName === 'url')
    return javaUrlEncode(renderNodes(node.children, scopes));
  const value = lookup(node.name, scopes);
  const empty =
    value === undefined ||
    value === null ||
    value === false ||
    value === '' ||
    (Array.isArray(value) && value.length === 0);
  if (node.inverted) return empty ? renderNodes(node.children, scopes) : '';
  if (empty) return '';
  if (Array.isArray(value))
    return value.map((item) => renderNodes(node.children, [...scopes, item])).join('');
  return renderNodes(node.children, [...scopes, value]);
}

const stringify = (value: unknown): string =>
  value === undefined || value === null ? '' : javaToString(value);

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One step of a dotted name: a map key, a list index, or a list's `size` (CustomReflectionObjectHandler). */
function child(container: unknown, key: string): { found: boolean; value?: unknown } {
  if (Array.isArray(container)) {
    if (key === 'size') return { found: true, value: container.length };
    return /^\d+$/.test(key) && Number(key) < container.length
      ? { found: true, value: container[Number(key)] }
      : { found: false };
  }
  if (isMap(container) && Object.hasOwn(container, key))
    return { found: true, value: container[key] };
  return { found: false };
}

/** The innermost scope holding the first segment wins; the rest of the path is walked from there. */
function lookup(name: string, scopes: readonly unknown[]): unknown {
  if (name === '.') return scopes.at(-1);
  const [first = '', ...rest] = name.split('.');
  for (let index = scopes.length - 1; index >= 0; index--) {
    const step = child(scopes[index], first);
    if (!step.found) continue;
    let value = step.value;
    for (const segment of rest) {
      const next = child(value, segment);
      if (!next.found) return undefined;
      value = next.value;
    }
    return value;
  }
  return undefined;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

/** Jackson's `quoteAsString`: quotes, backslashes and control characters, nothing else. */
export function jsonEscape(text: string): string {
  return text.replace(
    /["\\\u0000-\u001f]/g,
    (character) =>
      SHORT_ESCAPES[character] ??
      `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/** `URLEncoder.encode(s, UTF-8)`: form encoding, where only letters, digits and `.-*_` stay as they are. */
export function javaUrlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()~]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
