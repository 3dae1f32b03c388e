import { illegalArgument } from '../../errors/opensearch-error.js';

/** Resolves a variable name to its value, or undefined when it has none. */
export type VariableResolver = (name: string) => string | undefined;

const ESCAPE = '$';
const VALUE_DELIMITER = ':-';
const SUFFIX = '}';
const MAX_OUTPUT_CHARS = 16 * 1024 * 1024;

/**
 * Apache commons-text `StringSubstitutor` semantics, which ML Commons uses for every template:
 * `${prefix.name}` is replaced by the resolver's value, `${prefix.name:-fallback}` falls back,
 * `$${prefix.name}` is the literal text, unresolved variables stay as they are, and a replaced
 * value is itself substituted (recursively), with a cycle reported instead of looping.
 */
export function substitute(template: string, prefix: string, resolve: VariableResolver): string {
  return substituteWith(template, prefix, resolve, []);
}

function substituteWith(text: string, prefix: string, resolve: VariableResolver, prior: string[]): string {
  let output = '';
  let position = 0;
  while (position < text.length) {
    const start = text.indexOf(prefix, position);
    if (start === -1) break;
    if (start > 0 && text[start - 1] === ESCAPE) {
      // `$${...}`: drop the escape character and keep the placeholder as literal text.
      output += text.slice(position, start - 1) + prefix;
      position = start + prefix.length;
      continue;
    }
    const end = text.indexOf(SUFFIX, start + prefix.length);
    if (end === -1) break;
    const expression = text.slice(start + prefix.length, end);
    const delimiter = expression.indexOf(VALUE_DELIMITER);
    const name = delimiter === -1 ? expression : expression.slice(0, delimiter);
    const fallback = delimiter === -1 ? undefined : expression.slice(delimiter + VALUE_DELIMITER.length);
    const value = resolve(name) ?? fallback;
    output += text.slice(position, start);
    if (value === undefined) {
      output += text.slice(start, end + 1);
    } else {
      if (prior.includes(name)) {
        throw illegalArgument(`Infinite loop in property interpolation of ${[...prior, name].map((n) => prefix + n + SUFFIX).join('->')}`);
      }
      output += value.includes(prefix) ? substituteWith(value, prefix, resolve, [...prior, name]) : value;
    }
    if (output.length > MAX_OUTPUT_CHARS) throw illegalArgument('Rendered template is larger than 16 MB');
    position = end + 1;
  }
  return output + text.slice(position);
}

/** A resolver over a string map that never reaches the prototype. */
export const mapResolver =
  (values: ReadonlyMap<string, string | null> | Readonly<Record<string, string | null | undefined>>): VariableResolver =>
  (name) => {
    if (values instanceof Map) return values.get(name) ?? undefined;
    const record = values as Readonly<Record<string, string | null | undefined>>;
    return Object.hasOwn(record, name) ? (record[name] ?? undefined) : undefined;
  };
