/**
 * Sends units in one provider call and hands each its share. When the call fails and the shared
 * split rule (`isolation/split-rule.ts`) allows it, the units are split in halves and each half is
 * sent again, recursively, so only the units holding the bad input fail, each with the error its
 * own call got. Splits happen only when something fails, within the batch's budget of extra calls;
 * any other failure fails every unit of the call.
 */
import type { ModelTensors } from '../../connectors/invoke/invoke-connector.js';
import type { BatchSplitter } from '../isolation/split-rule.js';
import type { Attribution } from './batch-plan.js';
import type { SendTexts, Settled, TextAnswer, Unit } from './batch-types.js';

/** How one batch is sent: the send, how answers map to texts, and its split decisions. */
export interface SendUnitsOptions {
  readonly send: SendTexts;
  readonly attribution: Attribution;
  readonly splitter: BatchSplitter;
}

/** Sends `units` in one call (splitting failures as the rule allows); one outcome per unit, in order. */
export async function sendUnits(units: readonly Unit[], options: SendUnitsOptions): Promise<Settled[]> {
  const texts = units.flatMap((unit) => unit.texts);
  let results: ModelTensors[];
  try {
    results = await options.send(texts);
  } catch (error) {
    if (units.length > 1 && (await options.splitter.shouldSplit(error))) {
      const middle = Math.ceil(units.length / 2);
      const halves = await Promise.all([units.slice(0, middle), units.slice(middle)].map((half) => sendUnits(half, options)));
      return halves.flat();
    }
    return units.map(() => ({ error }));
  }
  const perText = attribute(results, texts.length, options.attribution);
  if (perText === undefined) {
    // The answer cannot be split: give each unit its own call, which it alone would have made.
    if (units.length > 1) return (await Promise.all(units.map((unit) => sendUnits([unit], options)))).flat();
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
