/**
 * @module painless
 * An interpreter for the subset of Painless that ML Commons connector scripts and ingest
 * pipelines use. Compile once with `compilePainless` (or `compilePainlessCached`), then `execute`
 * with the script's variables (`params`, `ctx`). Errors are `OpenSearchError`s: compile and
 * runtime failures are 400 `script_exception`; `throw new IllegalArgumentException(msg)` in a
 * script is 400 `illegal_argument_exception` with exactly `msg`.
 */
export {
  compilePainless,
  compilePainlessCached,
  type PainlessBudget,
  type PainlessCompileOptions,
  type PainlessScript,
} from './script.js';
export { painlessEscape } from './escape.js';
export { javaToString } from './java-to-string.js';
