/**
 * What the backfill tests share: documents put straight into the stand-in (as if indexed long
 * ago), and a task polled through the sidecar until it completes.
 */
import { expect } from 'vitest';
import type { StandIn } from '../support/opensearch-stand-in/index.js';
import { send } from '../helpers/proxy-setup.js';
import type { TestApp } from '../helpers/test-app.js';

/** Indexes documents into the stand-in directly (no sidecar), refreshed, in bulks of 1,000. */
export async function seedDocuments(cluster: StandIn, index: string, documents: ReadonlyArray<{ id: string; source: Record<string, unknown> }>): Promise<void> {
  for (let start = 0; start < documents.length; start += 1_000) {
    const lines = documents
      .slice(start, start + 1_000)
      .flatMap(({ id, source }) => [JSON.stringify({ index: { _index: index, _id: id } }), JSON.stringify(source)]);
    const response = await fetch(`${cluster.url}/_bulk?refresh=true&pipeline=_none`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `${lines.join('\n')}\n`,
    });
    const body = (await response.json()) as { errors: boolean };
    expect(body.errors).toBe(false);
  }
}

/** Polls `GET /_tasks/{id}` through the sidecar until the task completes; answers its last state. */
export async function waitForTask(test: TestApp, task: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await send(test, 'GET', `/_tasks/${task}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    if (answer.body.completed === true) return answer.body;
    if (Date.now() > deadline) throw new Error(`task ${task} did not complete: ${JSON.stringify(answer.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `count` numbered documents with a text each (`doc-00001`...). */
export const numberedDocuments = (count: number, text: (n: number) => string = (n) => `document number ${n}`) =>
  Array.from({ length: count }, (_, n) => ({ id: `doc-${String(n).padStart(5, '0')}`, source: { text: text(n), n } }));
