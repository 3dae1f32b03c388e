/**
 * Where enriched documents go: an NDJSON output file (no cluster needed), or the cluster's
 * `_bulk` (with `pipeline=_none`: the sidecar ran the pipeline already). A document the cluster
 * refuses is reported back, to be dead-lettered like a pipeline failure.
 */
import type { JobCluster } from '../../backfill/job-cluster.js';
import type { AppendFile } from './append-file.js';

/** An enriched document, ready for either sink. */
export interface OutputDocument {
  readonly line: number;
  readonly index: string;
  readonly id: string | undefined;
  readonly routing: string | undefined;
  readonly source: Record<string, unknown>;
  /** Its output-file line. */
  readonly text: string;
}

/** A document the destination refused. */
export interface Refusal {
  readonly document: OutputDocument;
  readonly error: Record<string, unknown>;
  readonly status: number;
}

export interface DocumentSink {
  /** Writes one batch, in order; answers the documents refused. */
  write(documents: readonly OutputDocument[]): Promise<Refusal[]>;
  /** Bytes of the output file written (0 for the cluster). */
  readonly position: number;
  close(): Promise<void>;
}

export class FileSink implements DocumentSink {
  constructor(private readonly file: AppendFile) {}

  async write(documents: readonly OutputDocument[]): Promise<Refusal[]> {
    await this.file.append(documents.map((document) => `${document.text}\n`).join(''));
    return [];
  }

  get position(): number {
    return this.file.position;
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

export class ClusterSink implements DocumentSink {
  /** Bulk retries so far (the cluster busy or away). */
  retries = 0;

  constructor(private readonly cluster: JobCluster) {}

  async write(documents: readonly OutputDocument[]): Promise<Refusal[]> {
    if (documents.length === 0) return [];
    const items = documents.map((document) => ({
      action: 'index' as const,
      metadata: {
        _index: document.index,
        ...(document.id === undefined ? {} : { _id: document.id }),
        ...(document.routing === undefined ? {} : { routing: document.routing }),
        pipeline: '_none',
      },
      source: document.source,
    }));
    const answers = await this.cluster.bulk(items, () => this.retries++);
    return answers.flatMap((result, position): Refusal[] => {
      const status = result.status ?? 500;
      if (status < 300) return [];
      return [{ document: documents[position]!, error: result.error ?? { type: 'exception', reason: `status ${status}` }, status }];
    });
  }

  readonly position = 0;

  async close(): Promise<void> {}
}
