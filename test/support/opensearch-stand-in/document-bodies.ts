/**
 * Parsing document bodies: an indexed document's source (which must be a JSON object, else
 * OpenSearch's `mapper_parsing_exception`) and an update body (`doc`, `upsert`,
 * `doc_as_upsert`, `detect_noop`; scripted updates are not supported).
 */
import { isJsonObject, parseJson, type JsonObject } from './json.js';
import {
  illegalArgument,
  mapperParsing,
  OpenSearchFailure,
  validationFailed,
} from './responses.js';

/** A parsed update body. */
export interface UpdateRequest {
  readonly doc?: JsonObject;
  readonly upsert?: JsonObject;
  readonly docAsUpsert: boolean;
  readonly detectNoop: boolean;
}

/** Parses a document body: not JSON, or not an object, is OpenSearch's `mapper_parsing_exception`. */
export function parseDocumentSource(text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch (error) {
    const reason = error instanceof OpenSearchFailure ? error.detail.reason : String(error);
    throw mapperParsing('failed to parse', { type: 'json_parse_exception', reason });
  }
  if (!isJsonObject(parsed)) {
    throw mapperParsing('failed to parse', {
      type: 'not_x_content_exception',
      reason:
        'Compressor detection can only be called on some xcontent bytes or compressed xcontent bytes',
    });
  }
  return parsed;
}

/** Parses an update body (`doc`, `upsert`, `doc_as_upsert`, `detect_noop`). */
export function parseUpdateBody(body: unknown): UpdateRequest {
  if (!isJsonObject(body)) throw validationFailed(['script or doc is missing']);
  for (const key of Object.keys(body)) {
    if (key === 'script')
      throw illegalArgument('scripted updates are not supported by the OpenSearch stand-in');
    if (!['doc', 'upsert', 'doc_as_upsert', 'detect_noop', '_source'].includes(key)) {
      throw new OpenSearchFailure(400, {
        type: 'x_content_parse_exception',
        reason: `[1:2] [UpdateRequest] unknown field [${key}]`,
      });
    }
  }
  const doc = body['doc'];
  const upsert = body['upsert'];
  if (!isJsonObject(doc)) throw validationFailed(['script or doc is missing']);
  return {
    doc,
    ...(isJsonObject(upsert) ? { upsert } : {}),
    docAsUpsert: body['doc_as_upsert'] === true,
    detectNoop: body['detect_noop'] !== false,
  };
}
