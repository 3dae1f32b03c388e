/**
 * `npm run users -- add|remove|list`: maintains the users file. Secrets come from stdin only, are
 * stored as hashes only, and are never printed, not even in errors.
 */
import { existsSync } from 'node:fs';
import { isOpenSearchError } from '../errors/opensearch-error.js';
import { hashApiKey, MIN_API_KEY_LENGTH } from '../security/identity/api-key-hash.js';
import {
  DEFAULT_SCRYPT_PARAMETERS,
  hashPassword,
  type ScryptParameters,
} from '../security/identity/password-hash.js';
import {
  parseUsersDocument,
  readUsersFile,
  serializeUsersDocument,
  type UserEntry,
  type UsersDocument,
} from '../security/identity/users-document.js';
import {
  parseUsersArguments,
  UsageError,
  USERS_USAGE,
  type UsersInvocation,
} from './users-arguments.js';
import { writeFileAtomically } from '../util/write-file-atomically.js';

/** What the command talks to; tests pass a fake. */
export interface CommandIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads one secret from stdin (the prompt goes to stderr when stdin is a terminal). */
  readSecret(prompt: string): Promise<string>;
  out(line: string): void;
  err(line: string): void;
  /** scrypt cost for new password hashes (tests lower it; default OWASP's baseline). */
  readonly scrypt?: ScryptParameters;
}

const MIN_PASSWORD_LENGTH = 8;
const USER_NAME = /^[^:\u0000-\u001f\u007f]{1,256}$/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Runs the command; resolves with the exit code (0 done, 1 failed, 2 bad usage). */
export async function runUsersCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const invocation = parseUsersArguments(argv);
    if (invocation.action === 'help') {
      io.out(USERS_USAGE);
      return 0;
    }
    const file = invocation.file ?? io.env['USERS_FILE'];
    if (file === undefined || file === '')
      throw new UsageError('no users file: pass --file <path> or set USERS_FILE');
    if (invocation.action === 'list') return list(file, io);
    if (invocation.action === 'remove') return remove(file, invocation.name, io);
    return await add(file, invocation, io);
  } catch (error) {
    io.err(`error: ${isOpenSearchError(error) ? error.reason : 'unexpected failure'}`);
    if (error instanceof UsageError) io.err(USERS_USAGE);
    return error instanceof UsageError ? 2 : 1;
  }
}

async function add(
  file: string,
  invocation: Extract<UsersInvocation, { action: 'add' }>,
  io: CommandIo,
): Promise<number> {
  const document = load(file);
  // Checked before any secret is read, so a bad name costs no typing.
  if (!USER_NAME.test(invocation.name))
    throw new UsageError('a user name is 1 to 256 characters without ":" or control characters');
  const secret = stripLineEnd(
    await io.readSecret(
      invocation.apiKey
        ? `API key for [${invocation.name}]: `
        : `password for [${invocation.name}]: `,
    ),
  );
  const existing = document.users.find((user) => user.name === invocation.name);
  const user: UserEntry = existing ?? { name: invocation.name, backend_roles: [], admin: false };
  if (invocation.apiKey) {
    checkApiKey(secret);
    const hash = hashApiKey(secret);
    user.api_key_hashes = [...new Set([...(user.api_key_hashes ?? []), hash])];
  } else {
    checkPassword(secret);
    user.password_hash = await hashPassword(secret, io.scrypt ?? DEFAULT_SCRYPT_PARAMETERS);
  }
  if (invocation.backendRoles !== undefined) user.backend_roles = [...invocation.backendRoles];
  if (invocation.admin !== undefined) user.admin = invocation.admin;
  const next = { users: existing === undefined ? [...document.users, user] : document.users };
  save(file, next);
  const credential = invocation.apiKey ? 'API key added' : 'password set';
  io.out(
    `user [${user.name}] ${existing === undefined ? 'added to' : 'updated in'} ${file}: ${credential}; ${describe(user)}`,
  );
  return 0;
}

function remove(file: string, name: string, io: CommandIo): number {
  const document = load(file);
  const remaining = document.users.filter((user) => user.name !== name);
  if (remaining.length === document.users.length) {
    io.err(`error: no user [${name}] in ${file}`);
    return 1;
  }
  save(file, { users: remaining });
  io.out(`user [${name}] removed from ${file}`);
  return 0;
}

function list(file: string, io: CommandIo): number {
  const document = load(file);
  if (document.users.length === 0) io.out(`no users in ${file}`);
  for (const user of document.users) {
    const credentials = [
      user.password_hash !== undefined ? 'password' : undefined,
      apiKeyCount(user),
    ]
      .filter(Boolean)
      .join(', ');
    io.out(`${user.name}\t${describe(user)}; credentials: ${credentials || 'none'}`);
  }
  return 0;
}

const describe = (user: UserEntry): string =>
  `admin: ${user.admin ? 'yes' : 'no'}; backend roles: [${user.backend_roles.join(', ')}]`;

function apiKeyCount(user: UserEntry): string | undefined {
  const count = user.api_key_hashes?.length ?? 0;
  return count === 0 ? undefined : `${count} API key${count === 1 ? '' : 's'}`;
}

/** The current file, or an empty document when it does not exist yet; a broken file is never overwritten. */
function load(file: string): UsersDocument {
  return existsSync(file) ? readUsersFile(file) : { users: [] };
}

function save(file: string, document: UsersDocument): void {
  // Validated as the service will read it, so the command cannot write a file the service refuses.
  writeFileAtomically(file, serializeUsersDocument(parseUsersDocument(document, file)));
}

/** One trailing newline is how a pipe or a heredoc ends a line; it is not part of the secret. */
const stripLineEnd = (text: string): string => text.replace(/\r?\n$/, '');

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new UsageError(
      `the password must be at least ${MIN_PASSWORD_LENGTH} characters (read from stdin)`,
    );
  if (CONTROL_CHARACTERS.test(password))
    throw new UsageError('the password must be one line without control characters');
}

function checkApiKey(key: string): void {
  if (key.length < MIN_API_KEY_LENGTH)
    throw new UsageError(
      `the API key must be at least ${MIN_API_KEY_LENGTH} characters (read from stdin)`,
    );
  if (!TOKEN68.test(key))
    throw new UsageError(
      'the API key may only use letters, digits and - . _ ~ + / (with = at the end), to travel as a bearer token',
    );
}
