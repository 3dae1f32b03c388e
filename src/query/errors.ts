/**
 * The three kinds of 400 a search body can earn, worded as OpenSearch words them. Every message
 * names the offending clause, key or path so a client can find its mistake without a debugger.
 */
import { OpenSearchError, illegalArgument, parseError } from '../errors/opensearch-error.js';

/** 400 `parsing_exception`: an unknown, unsupported or structurally malformed clause. */
export const parsingException = (reason: string): OpenSearchError =>
  new OpenSearchError({ status: 400, type: 'parsing_exception', reason });

/** 400 `illegal_argument_exception`: a well-formed clause with a value the field cannot take. */
export const badValue = (reason: string): OpenSearchError => illegalArgument(reason);

/** 400 `x_content_parse_exception`: a value of the wrong JSON type for its key. */
export const wrongType = (reason: string): OpenSearchError => parseError(reason);
