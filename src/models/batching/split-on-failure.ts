/**
 * Sends units in one provider call and hands each its share. When the call fails with an error one
 * input can cause (a 4xx other than 401, 403, 404, 407, 408 and 429, and not AWS throttling), the
 * units are split in halves and each half is sent again, recursively, so only the units holding the
 * bad input fail, each with the error its own call got. At most 2k - 1 calls for k units (the
 * bisection tree), and only when something fails. Any other error fails every unit of the call.
 */
import type { ModelTensors } from '../../connectors/invoke/invoke-connector.js';
import { isOpenSearchError } from '../../errors/opensearch-error.js';
import type { Attribution } from './batch-plan.js';
import type { SendTexts, Settled, TextAnswer, Unit } from './batch-types.js';

// Statuses no single input can cause: splitting would only repeat the same failure.
const NOT_INPUT_SPECIFIC = new Set([401, 403, 404, 407, 408, 429]);
/** SageMaker throttles with a 400 (see remote-errors.ts): not the input's fault either. */
const THROTTLING_REASON = 'denied due to remote server throttling';

/** Whether an error may be caused by a single input of the call. */
export function isInputSpecific(error: unknown): boolean {
  return (
    isOpenSearchError(error) &&
    error.status >= 400 &&
    error.status < 500 &&
    !NOT_INPUT_SPECIFIC.has(error.status) &&
    !error.reason.includes(THROTTLING_REASON)
  );
}

/** Sends `units` in one call (splitting on input-specific failures); one outcome per unit, in order. */
export async function sendUnits(units: readonly Unit[], send: SendTexts, attribution: Attribution): Promise<Settled[]> {
  const texts = units.flatMap((unit) => unit.texts);
  let results: ModelTensors[];
  try {
    results = await send(texts);
  } catch (error) {
    if (units.length > 1 && isInputSpecific(error)) {
      const middle = Math.ceil(units.length / 2);
      const halves = await Promise.all([units.slice(0, middle), units.slice(middle)].map((half) => sendUnits(half, send, attribution)));
      return halves.flat();
    }
    return units.map(() => ({ error }));
  }
  const perText = attribute(results, texts.length, attribution);
  if (perText === undefined) {
    // The answer cannot be split: give each unit its own call, which it alone would have made.
    if (units.length > 1) return (await Promise.all(units.map((unit) => sendUnits([unit], send, attribution)))).flat();
    return [{ answer: { whole: results } }];
  }
  let offset = 0;
  return units.map((unit) => {
    const own = perText.slice(offset, offset + unit.texts.length);
    offset += unit.texts.length;
    return { answer: { perText: own } };
  });
}

/** Each text's tensors, or undefined when the answer does not have one share per text. */
function attribute(results: readonly ModelTensors[], count: number, attribution: Attribution): TextAnswer[] | undefined {
  if (attribution === 'per-call') {
    if (results.length !== count) return undefined;
    return results.map((result) => ({ tensors: result.output, status: result.status_code }));
  }
  const shares = results.flatMap((result) => (result.output ?? []).map((tensor) => ({ tensors: [tensor], status: result.status_code })));
  return shares.length === count ? shares : undefined;
}
