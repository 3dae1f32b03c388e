import { BatchSplitter } from '../../models/isolation/split-rule.js';
import type { IngestDocument } from '../../pipeline/ingest-document.js';
import type { BatchOutcome } from '../processor-definition.js';
import type { TextSlot } from './field-map.js';
import { type PredictAnswer, resultCountError } from './model-output.js';

/** How an inference processor (`text_embedding`, `sparse_encoding`) uses its model. */
export interface InferenceModel {
  readonly modelId: string;
  /** One predict call for these texts; its errors (with the model's status) pass through. */
  predict(texts: readonly string[]): Promise<PredictAnswer>;
  /** Whether most of the model's recent calls failed: then a 5xx never splits a sub-batch. */
  isCircuitOpen(): Promise<boolean>;
  /** One result per text sent; throws when the answer cannot be used. */
  results(answer: PredictAnswer): readonly unknown[];
  /** Last step on one result before it is written (sparse pruning); throws to fail its document. */
  finish(result: unknown): unknown;
}

/** Validates a document and lists its texts; throws to fail the document. */
export type PrepareDocument = (document: IngestDocument) => TextSlot[];

interface PreparedDocument {
  readonly index: number;
  readonly slots: readonly TextSlot[];
  readonly texts: readonly string[];
}

const OK: BatchOutcome = { status: 'ok' };
const failed = (error: unknown): BatchOutcome => ({ status: 'failed', error });

/** Runs one document: validate, one predict for all its texts, write back. Nothing to infer → no call. */
export async function inferDocument(
  document: IngestDocument,
  prepare: PrepareDocument,
  model: InferenceModel,
): Promise<void> {
  const slots = prepare(document);
  const texts = slots.flatMap((slot) => slot.texts);
  if (texts.length === 0) return;
  const results = checkedResults(model, await model.predict(texts), texts.length);
  writeResults(slots, results, model);
}

/**
 * Runs many documents as InferenceProcessor.subBatchExecute does: a validation error fails only
 * its document; the texts of `batchSize` documents go in one predict call, shortest first (as
 * neural-search sorts them for padding), and come back in order. Sub-batches run concurrently.
 * They are cut from the documents that have texts (OpenSearch cuts them before validating, so
 * failed or empty documents leave its calls short).
 *
 * Unlike OpenSearch, where a failed call fails every document of its sub-batch, a call that fails
 * in a way one document can cause is split in halves and retried, so a bad document fails alone:
 * the coalescer's rule (`models/isolation/split-rule.ts`: input 4xx, and provider 5xx while the
 * model's circuit is closed, never throttling), within 4·⌈log2 n⌉ extra calls per sub-batch; past
 * that, the rest of a failing half fails with the model's error, as in OpenSearch.
 */
export async function inferBatch(
  documents: readonly IngestDocument[],
  batchSize: number,
  prepare: PrepareDocument,
  model: InferenceModel,
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = documents.map(() => OK);
  const pending: PreparedDocument[] = [];
  documents.forEach((document, index) => {
    try {
      const slots = prepare(document);
      const texts = slots.flatMap((slot) => slot.texts);
      if (texts.length > 0) pending.push({ index, slots, texts });
    } catch (error) {
      outcomes[index] = failed(error);
    }
  });
  const groups: PreparedDocument[][] = [];
  for (let start = 0; start < pending.length; start += batchSize) {
    groups.push(pending.slice(start, start + batchSize));
  }
  await Promise.all(
    groups.map((group) =>
      runGroup(group, model, outcomes, new BatchSplitter(group.length, () => model.isCircuitOpen())),
    ),
  );
  return outcomes;
}

/** One sub-batch: one call, split in halves when the split rule allows. */
async function runGroup(
  group: readonly PreparedDocument[],
  model: InferenceModel,
  outcomes: BatchOutcome[],
  splitter: BatchSplitter,
): Promise<void> {
  const texts = group.flatMap((document) => document.texts);
  const order = texts
    .map((_, position) => position)
    .sort((left, right) => texts[left]!.length - texts[right]!.length);
  let answer: PredictAnswer;
  try {
    answer = await model.predict(order.map((position) => texts[position]!));
  } catch (error) {
    if (group.length > 1 && (await splitter.shouldSplit(error))) {
      const middle = Math.ceil(group.length / 2);
      await Promise.all(
        [group.slice(0, middle), group.slice(middle)].map((half) =>
          runGroup(half, model, outcomes, splitter),
        ),
      );
    } else {
      for (const document of group) outcomes[document.index] = failed(error);
    }
    return;
  }
  let results: unknown[];
  try {
    const sorted = checkedResults(model, answer, texts.length);
    results = new Array<unknown>(texts.length);
    order.forEach((position, sortedPosition) => (results[position] = sorted[sortedPosition]));
  } catch (error) {
    // An unusable answer says nothing about which document is at fault: no split.
    for (const document of group) outcomes[document.index] = failed(error);
    return;
  }
  let offset = 0;
  for (const document of group) {
    const own = results.slice(offset, offset + document.texts.length);
    offset += document.texts.length;
    try {
      writeResults(document.slots, own, model);
    } catch (error) {
      outcomes[document.index] = failed(error);
    }
  }
}

function checkedResults(
  model: InferenceModel,
  answer: PredictAnswer,
  expected: number,
): readonly unknown[] {
  const results = model.results(answer);
  if (results.length !== expected) throw resultCountError(model.modelId, expected, results.length);
  return results;
}

/** Finishes every result first, so a document is either fully written or not at all. */
function writeResults(
  slots: readonly TextSlot[],
  results: readonly unknown[],
  model: InferenceModel,
): void {
  const finished = results.map((result) => model.finish(result));
  let offset = 0;
  for (const slot of slots) {
    slot.write(finished.slice(offset, offset + slot.texts.length));
    offset += slot.texts.length;
  }
}
