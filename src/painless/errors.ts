/**
 * Painless errors. Inside the interpreter a failure is a `ScriptFault` (a Java exception type
 * plus message); the evaluator stamps it with the position of the innermost node that was
 * running, and `toOpenSearchError` turns it into the service's error type at the boundary.
 */
import { OpenSearchError, illegalArgument } from '../errors/opensearch-error.js';

/** A 1-based line and column in the script source. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Painless's own message when the loop counter runs out; users search for this text. */
export const STEP_LIMIT_MESSAGE =
  'The maximum number of statements that can be executed in a loop has been reached.';

/** A failure while running a script. */
export class ScriptFault extends Error {
  /** Where it happened; filled in by the evaluator if the thrower did not know. */
  position: SourcePosition | undefined;

  constructor(
    message: string,
    /** The Java exception class (`NullPointerException`, ...); null for interpreter limits, which `catch` cannot intercept. */
    readonly javaType: string | null,
    /** True for `throw new ...` in the script: its message is the user's own and is reported as-is. */
    readonly thrownByScript = false,
  ) {
    super(message);
    this.name = 'ScriptFault';
  }
}

/** `NullPointerException`: something was done to null. */
export const nullPointer = (message: string): ScriptFault =>
  new ScriptFault(message, 'NullPointerException');

/** `ClassCastException`: a value has the wrong type for the operation. */
export const classCast = (message: string): ScriptFault =>
  new ScriptFault(message, 'ClassCastException');

/** `IndexOutOfBoundsException` with Java's wording. */
export const indexOutOfBounds = (
  index: number,
  length: number,
  javaType = 'IndexOutOfBoundsException',
): ScriptFault => new ScriptFault(`Index ${index} out of bounds for length ${length}`, javaType);

/** A limit of the interpreter itself (budget, depth, size); scripts cannot catch it. */
export const limitReached = (message: string): ScriptFault => new ScriptFault(message, null);

const scriptException = (reason: string, extra: Record<string, unknown> = {}): OpenSearchError =>
  new OpenSearchError({
    status: 400,
    type: 'script_exception',
    reason,
    extra: { lang: 'painless', ...extra },
  });

/** The error `compilePainless` throws for a script that does not parse. */
export const compileError = (position: SourcePosition, description: string): OpenSearchError =>
  scriptException(
    `Painless compile error at line ${position.line}, column ${position.column}: ${description}`,
    { position: { line: position.line, column: position.column } },
  );

/** `IllegalArgumentException` -> `illegal_argument_exception`, the way OpenSearch names exceptions. */
const snakeCaseType = (javaType: string): string =>
  javaType.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** Converts whatever escaped a script run into the service's error. */
export function toOpenSearchError(error: unknown): OpenSearchError {
  if (error instanceof OpenSearchError) return error;
  if (error instanceof ScriptFault) {
    if (error.thrownByScript) {
      // The script's own message, exactly: ML Commons users match on it.
      if (error.javaType === 'IllegalArgumentException')
        return illegalArgument(error.message, error);
      return scriptException(error.message, {
        caused_by: { type: snakeCaseType(error.javaType ?? 'Exception'), reason: error.message },
      });
    }
    const where = error.position
      ? ` at line ${error.position.line}, column ${error.position.column}`
      : '';
    const extra: Record<string, unknown> = {};
    if (error.position)
      extra['position'] = { line: error.position.line, column: error.position.column };
    if (error.javaType)
      extra['caused_by'] = { type: snakeCaseType(error.javaType), reason: error.message };
    return scriptException(`Painless runtime error${where}: ${error.message}`, extra);
  }
  // Engine limits that escape as JS errors (deep recursion, giant strings) are still script errors.
  const message = error instanceof Error ? error.message : String(error);
  const description = /call stack/i.test(message)
    ? 'stack overflow'
    : /string length/i.test(message)
      ? 'string too long'
      : message;
  return scriptException(`Painless runtime error: ${description}`);
}
