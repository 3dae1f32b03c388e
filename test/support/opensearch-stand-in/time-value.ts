/**
 * OpenSearch's time values, read by the service's own parser (`src/util/time-value.ts`); what it
 * cannot read is OpenSearch's `parse_exception` naming the setting.
 */
import { timeValueMillis } from '../../../src/util/time-value.js';
import { OpenSearchFailure } from './responses.js';

/** Milliseconds of a time value named `setting` (quoted in the error). */
export function parseTimeValue(raw: string, setting: string): number {
  const millis = timeValueMillis(raw);
  if (millis !== undefined) return millis;
  throw new OpenSearchFailure(400, {
    type: 'parse_exception',
    reason: `failed to parse setting [${setting}] with value [${raw}] as a time value: unit is missing or unrecognized`,
  });
}
