/**
 * An output file written at a known position: a fresh run truncates it, a resumed run cuts it
 * back to what its checkpoint recorded (anything written after that checkpoint is written again)
 * and goes on from there. Each write completes before the next, so the position is what is on disk.
 */
import { open, type FileHandle } from 'node:fs/promises';

export class AppendFile {
  private constructor(
    private readonly handle: FileHandle,
    private offset: number,
  ) {}

  /** Opens `path` empty, or (when resuming) cut back to `resumeAt` bytes. */
  static async open(path: string, resumeAt: number | undefined): Promise<AppendFile> {
    if (resumeAt === undefined) return new AppendFile(await open(path, 'w'), 0);
    const handle = await open(path, 'a+').then(async (created) => {
      await created.close();
      return open(path, 'r+');
    });
    await handle.truncate(resumeAt);
    return new AppendFile(handle, resumeAt);
  }

  /** Bytes written so far (from the start of the file). */
  get position(): number {
    return this.offset;
  }

  async append(text: string): Promise<void> {
    if (text === '') return;
    const bytes = Buffer.from(text);
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, written, bytes.length - written, this.offset + written);
      written += bytesWritten;
    }
    this.offset += bytes.length;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
