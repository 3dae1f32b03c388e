import { illegalArgument, OpenSearchError } from '../errors/opensearch-error.js';
import { isJsonObject, parseJsonBody } from '../util/json.js';

export type BulkAction = 'index' | 'create' | 'update' | 'delete';
const ACTIONS: readonly BulkAction[] = ['index', 'create', 'update', 'delete'];

/** One `_bulk` item: its action line and, except for delete, its source line. */
export interface BulkItem {
  readonly action: BulkAction;
  /** The action's metadata (`_index`, `_id`, `pipeline`, `routing`, ...), as sent. */
  readonly metadata: Record<string, unknown>;
  /** The parsed source line (the document for index/create, the update body for update). */
  readonly source: Record<string, unknown> | undefined;
  /** The index the item targets (its `_index` or the path's index). */
  readonly index: string;
}

/**
 * Parses a `_bulk` body as OpenSearch's BulkRequestParser does: NDJSON action/source pairs, a
 * malformed line or an unknown action fails the whole request with a 400.
 */
export function parseBulkBody(text: string, defaultIndex: string | undefined): BulkItem[] {
  const lines = text.split('\n');
  if (lines.at(-1)?.trim() !== '') throw illegalArgument('The bulk request must be terminated by a newline [\\n]');
  const items: BulkItem[] = [];
  for (let number = 0; number < lines.length; number++) {
    const line = lines[number]!;
    if (line.trim() === '') continue;
    const actionLine = parseLine(line, number);
    const keys = Object.keys(actionLine);
    if (keys.length !== 1 || !(ACTIONS as readonly string[]).includes(keys[0]!)) {
      throw illegalArgument(
        `Malformed action/metadata line [${number + 1}], expected field [create], [delete], [index] or [update] but found [${keys[0] ?? ''}]`,
      );
    }
    const action = keys[0] as BulkAction;
    const metadata = actionLine[action];
    if (!isJsonObject(metadata)) {
      throw illegalArgument(`Malformed action/metadata line [${number + 1}], expected START_OBJECT but found [${typeof metadata}]`);
    }
    const index = typeof metadata['_index'] === 'string' ? metadata['_index'] : defaultIndex;
    if (index === undefined) throw validationFailed('index is missing');
    let source: Record<string, unknown> | undefined;
    if (action !== 'delete') {
      number++;
      const sourceLine = lines[number];
      if (sourceLine === undefined || sourceLine.trim() === '') throw validationFailed(`${action} requires a source line after line [${number}]`);
      source = parseLine(sourceLine, number);
    }
    items.push({ action, metadata, source, index });
  }
  if (items.length === 0) throw validationFailed('no requests added');
  return items;
}

const ITEMS_BETWEEN_YIELDS = 32;

/**
 * Renders items back to NDJSON (with each item's possibly rewritten metadata and source). Large
 * documents (vectors) make this the longest synchronous step of a bulk, so it yields to the event
 * loop every few items: provider answers arriving meanwhile are handled at once and their
 * connections start the next call instead of idling.
 */
export async function renderBulkBody(items: ReadonlyArray<Pick<BulkItem, 'action' | 'metadata' | 'source'>>): Promise<string> {
  const parts: string[] = [];
  for (const [index, item] of items.entries()) {
    if (index > 0 && index % ITEMS_BETWEEN_YIELDS === 0) await new Promise((resolve) => setImmediate(resolve));
    parts.push(JSON.stringify({ [item.action]: item.metadata }));
    if (item.action !== 'delete') parts.push(JSON.stringify(item.source));
  }
  parts.push('');
  return parts.join('\n');
}

function parseLine(line: string, number: number): Record<string, unknown> {
  const value = parseJsonBody(line, { firstLine: number + 1 });
  if (!isJsonObject(value)) {
    throw new OpenSearchError({
      status: 400,
      type: 'illegal_argument_exception',
      reason: `Malformed action/metadata line [${number + 1}], expected START_OBJECT but found [${Array.isArray(value) ? 'START_ARRAY' : 'VALUE'}]`,
    });
  }
  return value;
}

const validationFailed = (reason: string) =>
  new OpenSearchError({ status: 400, type: 'action_request_validation_exception', reason: `Validation Failed: 1: ${reason};` });
