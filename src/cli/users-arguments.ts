/**
 * The `users` command line: `add <name> [--backend-role r]... [--admin|--no-admin] [--api-key]`,
 * `remove <name>`, `list`, each with `[--file path]`. Nothing here ever repeats an argument it
 * does not understand: a password typed on the command line by mistake must not be echoed.
 */
import { OpenSearchError } from '../errors/opensearch-error.js';

/** A parsed invocation. */
export type UsersInvocation =
  | {
      readonly action: 'add';
      readonly name: string;
      readonly backendRoles: readonly string[] | undefined;
      readonly admin: boolean | undefined;
      readonly apiKey: boolean;
      readonly file: string | undefined;
    }
  | { readonly action: 'remove'; readonly name: string; readonly file: string | undefined }
  | { readonly action: 'list'; readonly file: string | undefined }
  | { readonly action: 'help' };

/** A command line that cannot be understood (exit code 2); the message is safe to print. */
export class UsageError extends OpenSearchError {
  constructor(reason: string) {
    super({ status: 400, type: 'illegal_argument_exception', reason });
    this.name = 'UsageError';
  }
}

/** How to call the command. */
export const USERS_USAGE = [
  'usage: npm run users -- <command> [--file <users.json>]   (default file: USERS_FILE)',
  '  add <name> [--backend-role <role>]... [--admin | --no-admin] [--api-key]',
  '      adds or updates a user; the password (or, with --api-key, the API key) is read from stdin',
  '      e.g. openssl rand -base64 32 | tee key.txt | npm run users -- add ingest-bot --api-key',
  '  remove <name>',
  '  list',
].join('\n');

/** Parses the arguments after `users`. */
export function parseUsersArguments(argv: readonly string[]): UsersInvocation {
  const positional: string[] = [];
  const backendRoles: string[] = [];
  let admin: boolean | undefined;
  let apiKey = false;
  let file: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    const [option, inlineValue] = argument.startsWith('--')
      ? splitOption(argument)
      : [undefined, undefined];
    const value = (): string => {
      const next = inlineValue ?? argv[++index];
      if (next === undefined || next === '') throw new UsageError(`${option} needs a value`);
      return next;
    };
    if (option === undefined) positional.push(argument);
    else if (option === '--backend-role') backendRoles.push(value());
    else if (option === '--file') file = value();
    else if (option === '--admin' || option === '--no-admin') admin = option === '--admin';
    else if (option === '--api-key') apiKey = true;
    else if (option === '--help') return { action: 'help' };
    // Only the option's name is quoted: `--password=...` must not print what follows `=`.
    else throw new UsageError(`unknown option [${option}]`);
  }
  const [action, name] = positional;
  if (action === undefined || action === 'help') return { action: 'help' };
  if (action !== 'add' && action !== 'remove' && action !== 'list')
    throw new UsageError('unknown command; use add, remove or list');
  const expected = action === 'list' ? 1 : 2;
  if (positional.length > expected) {
    const extra = positional.length - expected;
    throw new UsageError(
      `${extra} argument(s) too many; secrets are read from stdin, never from the command line`,
    );
  }
  if (action === 'list') return { action, file };
  if (name === undefined) throw new UsageError(`${action} needs a user name`);
  if (action === 'remove') return { action, name, file };
  return {
    action,
    name,
    backendRoles: backendRoles.length > 0 ? backendRoles : undefined,
    admin,
    apiKey,
    file,
  };
}

function splitOption(argument: string): [string, string | undefined] {
  const equals = argument.indexOf('=');
  return equals < 0
    ? [argument, undefined]
    : [argument.slice(0, equals), argument.slice(equals + 1)];
}
