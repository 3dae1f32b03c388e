/**
 * Reading a password or API key from standard input, never from the command line (where `ps` and
 * shell history would keep it). Piped input is read to its end; a terminal gets a prompt on stderr
 * and no echo.
 */
import { illegalArgument } from '../errors/opensearch-error.js';

/** Reads one secret: the whole of piped stdin, or a line typed without echo on a terminal. */
export async function readSecretFromStdin(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks).toString('utf8');
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await readTypedLine(stdin);
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

/** Collects key presses until Enter; Backspace edits, Ctrl-C and Ctrl-D (on an empty line) cancel. */
function readTypedLine(stdin: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (data: Buffer) => {
      for (const character of data.toString('utf8')) {
        if (character === '\r' || character === '\n') return finish(() => resolve(typed));
        if (character === '\u0003' || (character === '\u0004' && typed === ''))
          return finish(() => reject(illegalArgument('cancelled')));
        if (character === '\u007f' || character === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += character;
      }
    };
    const finish = (settle: () => void) => {
      stdin.off('data', onData);
      settle();
    };
    stdin.on('data', onData);
  });
}
