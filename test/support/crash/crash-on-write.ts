/**
 * Preload (`node --import`) that kills the process with SIGKILL at its first file write, after the
 * file is open and before any byte lands: a power cut or OOM kill at the worst moment. Both the
 * descriptor API (`writeSync`) and the one-call API (`writeFileSync`, which opens first) crash.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const crash = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
const realOpenSync = fs.openSync;

fs.writeSync = crash;
fs.writeFileSync = ((file: fs.PathOrFileDescriptor, _data: unknown, options?: fs.WriteFileOptions) => {
  const flag = typeof options === 'object' && options !== null ? (options.flag ?? 'w') : 'w';
  const mode = typeof options === 'object' && options !== null ? options.mode : undefined;
  if (typeof file !== 'number') realOpenSync(file, flag, mode);
  crash();
}) as typeof fs.writeFileSync;
syncBuiltinESMExports();
