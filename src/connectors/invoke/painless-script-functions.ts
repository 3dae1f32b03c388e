import { compilePainlessCached, painlessEscape, type PainlessBudget } from '../../painless/index.js';
import type { ScriptFunctions } from './script-functions.js';

/** ML Commons prepends an `escape(def input)` helper to scripts that call it without defining it. */
const BUILTINS = Object.freeze({ escape: painlessEscape });

/** Connector pre/post-process scripts run by the Painless interpreter, compiled once and cached. */
export function painlessScriptFunctions(budget: PainlessBudget = {}): ScriptFunctions {
  return {
    validate(script) {
      compilePainlessCached(script, { builtins: BUILTINS });
    },
    run(script, params) {
      return compilePainlessCached(script, { builtins: BUILTINS }).execute({ params }, budget);
    },
  };
}
