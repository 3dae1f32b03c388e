import { illegalArgument } from '../errors/opensearch-error.js';

/** Looks a name up in a registry literal; an unknown name is a 400 listing the known ones. */
export function lookup<T>(registry: Readonly<Record<string, T>>, name: string, kind: string): T {
  if (!Object.hasOwn(registry, name)) {
    throw illegalArgument(`Unknown ${kind} [${name}]; known: [${Object.keys(registry).join(', ')}]`);
  }
  return registry[name] as T;
}
