/**
 * Identity from a users file: HTTP Basic checked against scrypt hashes, `Bearer <api key>` checked
 * by its SHA-256. Unknown users cost the same scrypt work as known ones, so timing does not reveal
 * which names exist. Successful Basic checks are cached briefly (scrypt is deliberately slow), and
 * the file is re-read when it changes (checked at most once a second).
 */
import { statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { systemClock, type Clock } from '../../util/clock.js';
import { apiKeyMatches } from './api-key-hash.js';
import { unauthorized } from './auth-errors.js';
import { readCredentials, type BasicCredentials } from './authorization-header.js';
import { createIdentityCache } from './identity-cache.js';
import { hasAdminRole, ADMIN_ROLE, type Authenticator, type CallerIdentity } from './identity.js';
import {
  DEFAULT_SCRYPT_PARAMETERS,
  parsePasswordHash,
  verifyPassword,
  type PasswordHash,
} from './password-hash.js';
import { readUsersFile, type UsersDocument } from './users-document.js';

/** Where reload problems are reported (the service logger fits). */
export interface ReloadLogger {
  warn(details: object, message: string): void;
}

/** Options shared by both constructors. */
export interface UsersAuthenticatorOptions {
  readonly clock?: Clock;
  /** How long a successful Basic check is reused (default 60 s; 0 disables). */
  readonly ttlMillis?: number;
}

interface CompiledUser {
  readonly identity: CallerIdentity;
  readonly password: PasswordHash | undefined;
  readonly apiKeyHashes: readonly Buffer[];
}

/** A users-file authenticator that can also be told to re-read its users. */
export interface UsersFileAuthenticator extends Authenticator {
  /** Replaces the users (and forgets cached checks). */
  replaceUsers(document: UsersDocument): void;
}

/** Authenticates against an in-memory document (tests, and the file authenticator below). */
export function fromDocument(
  document: UsersDocument,
  options: UsersAuthenticatorOptions = {},
): UsersFileAuthenticator {
  const cache = createIdentityCache({
    clock: options.clock ?? systemClock,
    ttlMillis: options.ttlMillis ?? 60_000,
    maxEntries: 10_000,
  });
  let users = compile(document);
  let decoy = decoyHash(users);

  const checkBasic = async (credentials: BasicCredentials): Promise<CallerIdentity> => {
    const key = cache.keyFor(credentials.header);
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const user = users.get(credentials.name);
    // Unknown names and API-key-only users still pay for one scrypt run.
    const matched = await verifyPassword(credentials.password, user?.password ?? decoy);
    if (!matched || user?.password === undefined) throw unauthorized();
    cache.set(key, user.identity);
    return user.identity;
  };

  return {
    kind: 'users_file',
    async authenticate(headers) {
      const credentials = readCredentials(headers);
      if (credentials.scheme === 'basic') return checkBasic(credentials);
      let found: CallerIdentity | undefined;
      // Every user is checked, also after a match, so timing does not tell whose key it was.
      for (const user of users.values()) {
        if (apiKeyMatches(credentials.token, user.apiKeyHashes)) found = user.identity;
      }
      if (found === undefined) throw unauthorized();
      return found;
    },
    replaceUsers(next) {
      users = compile(next);
      decoy = decoyHash(users);
      cache.clear();
    },
  };
}

/**
 * Authenticates against `file`, read now (a bad file stops the start) and again whenever its
 * modification time or size changes. A bad edit keeps the previous users and is reported.
 */
export function createUsersFileAuthenticator(
  options: UsersAuthenticatorOptions & {
    file: string;
    logger?: ReloadLogger;
    recheckMillis?: number;
  },
): Authenticator {
  const clock = options.clock ?? systemClock;
  const recheckMillis = options.recheckMillis ?? 1000;
  // The version is taken before reading, so an edit landing in between is picked up next time.
  let version = fileVersionSync(options.file);
  const inner = fromDocument(readUsersFile(options.file), options);
  let checkedAt = clock.now();

  const reloadIfChanged = async () => {
    if (clock.now() - checkedAt < recheckMillis) return;
    checkedAt = clock.now();
    const current = await fileVersion(options.file);
    if (current === version) return;
    try {
      inner.replaceUsers(readUsersFile(options.file));
      version = current;
    } catch (error) {
      version = current;
      options.logger?.warn(
        { file: options.file, reason: (error as Error).message },
        'users file not reloaded; the previous users stay in force',
      );
    }
  };

  return {
    kind: 'users_file',
    async authenticate(headers) {
      await reloadIfChanged();
      return inner.authenticate(headers);
    },
  };
}

async function fileVersion(file: string): Promise<string> {
  try {
    return versionOf(await stat(file));
  } catch {
    return 'missing';
  }
}

function fileVersionSync(file: string): string {
  try {
    return versionOf(statSync(file));
  } catch {
    return 'missing';
  }
}

/** What identifies one content of the file: an atomic rename changes the inode, an edit the mtime or size. */
const versionOf = (stats: Stats): string => `${stats.mtimeMs}:${stats.size}:${stats.ino}`;

function compile(document: UsersDocument): Map<string, CompiledUser> {
  const users = new Map<string, CompiledUser>();
  for (const entry of document.users) {
    const roles = entry.admin ? [ADMIN_ROLE] : [];
    users.set(entry.name, {
      identity: {
        name: entry.name,
        backendRoles: [...entry.backend_roles],
        roles,
        isAdmin: hasAdminRole(roles),
      },
      password:
        entry.password_hash === undefined ? undefined : parsePasswordHash(entry.password_hash),
      apiKeyHashes: (entry.api_key_hashes ?? []).map((hex) => Buffer.from(hex, 'hex')),
    });
  }
  return users;
}

/** A hash to burn time on for unknown names, with the cost the real users have. */
function decoyHash(users: Map<string, CompiledUser>): PasswordHash {
  const model = [...users.values()].find((user) => user.password !== undefined)?.password;
  const parameters = model ?? {
    ...DEFAULT_SCRYPT_PARAMETERS,
    salt: Buffer.alloc(16),
    hash: Buffer.alloc(32),
  };
  return {
    ...parameters,
    salt: Buffer.alloc(parameters.salt.length, 7),
    hash: Buffer.alloc(parameters.hash.length, 0),
  };
}
