/**
 * One input line as a document: either the document itself, or `{"_id", "_source"}` (with an
 * optional `_index` and `_routing`, other keys ignored), as the dead-letter file writes them.
 */
import { illegalArgument } from '../../errors/opensearch-error.js';
import { isJsonObject, parseJsonBody } from '../../util/json.js';

export interface InputDocument {
  readonly source: Record<string, unknown>;
  readonly id: string | undefined;
  readonly index: string | undefined;
  readonly routing: string | undefined;
  /** Whether the line was `{"_id", "_source"}` (the output keeps that form). */
  readonly envelope: boolean;
}

const scalar = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

/** Parses a line; a line that is not a JSON object is a 400 naming the line. */
export function parseInputLine(text: string, line: number): InputDocument {
  const value = parseJsonBody(text, { firstLine: line });
  if (!isJsonObject(value)) throw illegalArgument(`line [${line}] is not a JSON object`);
  if (!Object.hasOwn(value, '_source')) return { source: value, id: undefined, index: undefined, routing: undefined, envelope: false };
  // A dead-letter entry of a line that was never a document has `"_source": null`.
  if (!isJsonObject(value['_source'])) throw illegalArgument(`line [${line}] has no document: [_source] is not an object`);
  return {
    source: value['_source'],
    id: scalar(value['_id']),
    index: scalar(value['_index']),
    routing: scalar(value['_routing'] ?? value['routing']),
    envelope: true,
  };
}
