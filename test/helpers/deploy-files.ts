/**
 * Just enough reading of the deployment files for tests to check them against the code: the
 * Dockerfile's instructions per stage, and YAML flattened into (path, value) entries. The YAML
 * reader takes the block style these files are written in (maps, sequences of maps or scalars,
 * quoted or plain scalars, flow sequences left as text, `---` between documents); no anchors.
 */
import { readFileSync } from 'node:fs';

export interface DockerInstruction {
  readonly stage: string;
  readonly name: string;
  readonly args: string;
}

/** The instructions, continuation lines joined, each with the stage (`AS name`) it belongs to. */
export function readDockerfile(file: string): DockerInstruction[] {
  const logical = readFileSync(file, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  let stage = '';
  return logical.map((line) => {
    const [name, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (name!.toUpperCase() === 'FROM') stage = /\bAS\s+(\S+)$/i.exec(args)?.[1] ?? args;
    return { stage, name: name!.toUpperCase(), args };
  });
}

export interface YamlEntry {
  /** Keys from the document's root; sequence items are `[0]`, `[1]`, ... */
  readonly path: readonly string[];
  readonly value: string;
}

/** Every scalar of every document of `file`, with its path. */
export function readYaml(file: string): YamlEntry[][] {
  return parseYaml(readFileSync(file, 'utf8'));
}

/** Every scalar of every document in `text`, with its path. */
export function parseYaml(text: string): YamlEntry[][] {
  return text.split(/^---\s*$/m).map(flatten).filter((entries) => entries.length > 0);
}

/** A flow sequence (`["a", 'b']`) as its items. */
export const flowList = (value: string | undefined): string[] => JSON.parse((value ?? '[]').replaceAll("'", '"')) as string[];

function flatten(text: string): YamlEntry[] {
  const entries: YamlEntry[] = [];
  const open: Array<{ indent: number; key: string }> = [];
  const itemCounts = new Map<string, number>();
  const keyAt = (indent: number, key: string, value: string) => {
    while (open.length > 0 && open.at(-1)!.indent >= indent) open.pop();
    if (value === '') open.push({ indent, key });
    else entries.push({ path: [...open.map((entry) => entry.key), key], value: unquote(value) });
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, '');
    if (line.trim() === '') continue;
    let indent = line.length - line.trimStart().length;
    let content = line.trim();
    if (content === '-' || content.startsWith('- ')) {
      while (open.length > 0 && open.at(-1)!.indent >= indent) open.pop();
      const parent = open.map((entry) => entry.key).join('\0');
      const index = itemCounts.get(parent) ?? 0;
      itemCounts.set(parent, index + 1);
      open.push({ indent, key: `[${index}]` });
      content = content.slice(1).trim();
      indent += 2;
      if (content === '') continue;
      if (!/^[^"'[{][^:]*:(\s|$)/.test(content)) {
        entries.push({ path: open.map((entry) => entry.key), value: unquote(content) });
        continue;
      }
    }
    const colon = /^("[^"]+"|[^:]+):(?:\s+(.*))?$/.exec(content);
    if (colon === null) throw new Error(`not in the YAML subset the deployment tests read: ${raw}`);
    keyAt(indent, unquote(colon[1]!), colon[2] ?? '');
  }
  return entries;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return /^(".*"|'.*')$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

/** The value at `path` (`*` matches any one key), or undefined. */
export function valueAt(entries: readonly YamlEntry[], ...path: string[]): string | undefined {
  return entries.find((entry) => entry.path.length === path.length && path.every((key, index) => key === '*' || key === entry.path[index]))?.value;
}

/** Entries below `prefix`, with the prefix removed from their paths. */
export function below(entries: readonly YamlEntry[], ...prefix: string[]): YamlEntry[] {
  return entries
    .filter((entry) => prefix.every((key, index) => key === '*' || key === entry.path[index]) && entry.path.length > prefix.length)
    .map((entry) => ({ path: entry.path.slice(prefix.length), value: entry.value }));
}
