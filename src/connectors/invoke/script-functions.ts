/**
 * How the invoke path runs a pre/post-process function that is a Painless script rather than a
 * built-in name. Injected, so the connectors layer does not depend on the interpreter's internals.
 */
export interface ScriptFunctions {
  /** Throws a 400 with the position when the script does not compile. */
  validate(script: string): void;
  /** Runs a script with `params`; returns its result (a string for ML Commons' process functions). */
  run(script: string, params: Record<string, unknown>): unknown;
}
