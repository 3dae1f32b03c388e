import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json. This file sits two levels below it both as TypeScript
 * (`src/util/`) and compiled (`dist/util/`), so the same path works in both.
 */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The service's own version (package.json's), as `GET /_sidecar/health` reports it. */
export const SERVICE_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
