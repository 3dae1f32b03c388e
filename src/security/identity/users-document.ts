/**
 * The users file (`USERS_FILE`): its JSON shape, validated with the shared ajv, and the checks a
 * schema cannot express (well-formed scrypt hashes, unique names). Errors name the file, the user
 * and the field, never a hash.
 */
import { readFileSync } from 'node:fs';
import { OpenSearchError } from '../../errors/opensearch-error.js';
import { compileSchema, validateOrThrow } from '../../schemas/ajv.js';
import { parsePasswordHash } from './password-hash.js';

/** One user as stored. */
export interface UserEntry {
  name: string;
  /** `scrypt$N$r$p$salt_b64$hash_b64`; absent for an API-key-only user. */
  password_hash?: string;
  /** Lowercase hex SHA-256 of each API key. */
  api_key_hashes?: string[];
  backend_roles: string[];
  admin: boolean;
}

/** The whole file. */
export interface UsersDocument {
  users: UserEntry[];
}

const usersSchema = {
  type: 'object',
  required: ['users'],
  additionalProperties: false,
  properties: {
    users: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          // A colon cannot travel in HTTP Basic; control characters could forge log lines.
          name: {
            type: 'string',
            minLength: 1,
            maxLength: 256,
            pattern: '^[^:\\u0000-\\u001f\\u007f]+$',
          },
          password_hash: { type: 'string', pattern: '^scrypt\\$' },
          api_key_hashes: { type: 'array', items: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
          backend_roles: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
          admin: { type: 'boolean', default: false },
        },
      },
    },
  },
};

const validateUsers = compileSchema<UsersDocument>(usersSchema);

/** A users file that cannot be used: 500 `settings_exception`, as OpenSearch reports a bad security config. */
export const usersFileError = (source: string, reason: string): OpenSearchError =>
  new OpenSearchError({
    status: 500,
    type: 'settings_exception',
    reason: `users file [${source}]: ${reason}`,
  });

/** Validates a parsed users document; `source` names it in errors. */
export function parseUsersDocument(value: unknown, source: string): UsersDocument {
  const document = validateOrThrow(validateUsers, structuredCloneIfObject(value), {
    what: 'users file',
    toError: (reason) => usersFileError(source, nameTheUser(reason, value)),
  });
  const seen = new Set<string>();
  for (const user of document.users) {
    if (seen.has(user.name))
      throw usersFileError(source, `user [${user.name}] appears more than once`);
    seen.add(user.name);
    if (user.password_hash !== undefined && parsePasswordHash(user.password_hash) === undefined) {
      throw usersFileError(
        source,
        `user [${user.name}] field [password_hash] is not scrypt$N$r$p$salt_b64$hash_b64 with N a power of two and bounded costs`,
      );
    }
  }
  return document;
}

/** Reads and validates a users file. */
export function readUsersFile(file: string): UsersDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usersFileError(
      file,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes the text around the error, which may be a hash.
    throw usersFileError(file, 'is not valid JSON');
  }
  return parseUsersDocument(value, file);
}

/** The file's text for a document: stable, indented, newline-terminated. */
export const serializeUsersDocument = (document: UsersDocument): string =>
  `${JSON.stringify(document, null, 2)}\n`;

// ajv fills defaults in place; a caller's object must stay as it was.
function structuredCloneIfObject(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

/**
 * Rewrites the shared wording (`[users file] field [users.3.admin] must be ...`) to name the user:
 * `user [alice]: field [admin] must be ...` (or `user #4` when the entry has no usable name).
 */
function nameTheUser(reason: string, value: unknown): string {
  const text = reason.replace(/^\[users file\]\s*/, '');
  const index = /users\.(\d+)/.exec(text)?.[1];
  if (index === undefined) return text;
  const users = (value as { users?: unknown } | null)?.users;
  const entry = Array.isArray(users) ? (users[Number(index)] as unknown) : undefined;
  const name =
    typeof entry === 'object' && entry !== null ? (entry as { name?: unknown }).name : undefined;
  const usable =
    typeof name === 'string' &&
    name !== '' &&
    name.length <= 256 &&
    !/[\u0000-\u001f\u007f]/.test(name);
  const who = usable ? `user [${name}]` : `user #${Number(index) + 1}`;
  const rest = text.replace(` field [users.${index}]`, '').replace(`users.${index}.`, '').trim();
  return `${who}: ${rest}`;
}
