/**
 * `npm start`'s prestart: compiles the service (tsconfig.build.json, src/ to dist/) when dist/ is
 * missing or older than any source, so `npm start` is one command on a fresh clone and costs next
 * to nothing afterwards (tsc's own incremental check loads the whole program, seconds even when
 * nothing changed). Plain JavaScript, so it runs before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const stamp = join(root, 'dist', '.tsbuildinfo');

/** The newest modification time under `path` (a file or a folder of them). */
function newest(path) {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = Math.max(...['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'].map((name) => newest(join(root, name))));
if (sources > newest(stamp)) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  process.stderr.write('compiling src/ to dist/ (tsconfig.build.json)\n');
  const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // tsc leaves its build info untouched when nothing needed emitting: mark dist/ as current.
  const now = new Date();
  utimesSync(stamp, now, now);
}
