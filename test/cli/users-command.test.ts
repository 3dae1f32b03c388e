import { spawn } from 'node:child_process';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runUsersCommand, type CommandIo } from '../../src/cli/users-command.js';
import { readUsersFile } from '../../src/security/identity/users-document.js';
import { createUsersFileAuthenticator } from '../../src/security/identity/users-file-authenticator.js';
import { basic, FAST_SCRYPT, withAuthorization } from '../security/identity/helpers.js';

const PASSWORD = 'alice-password-123';
const API_KEY = 'bot-api-key-0123456789ABCDEF';
const directory = mkdtempSync(join(tmpdir(), 'sidecar-users-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let fileCount = 0;
const newFile = () => join(directory, `users-${(fileCount += 1)}.json`);

/** Runs the command with `secret` on stdin; returns the exit code and everything printed. */
async function run(
  argv: string[],
  options: { secret?: string; env?: Record<string, string> } = {},
) {
  const printed: string[] = [];
  let prompts = 0;
  const io: CommandIo = {
    env: options.env ?? {},
    readSecret: async () => {
      prompts += 1;
      return options.secret ?? '';
    },
    out: (line) => void printed.push(line),
    err: (line) => void printed.push(line),
    scrypt: FAST_SCRYPT,
  };
  const code = await runUsersCommand(argv, io);
  return { code, output: printed.join('\n'), prompts };
}

/** Fails when anything secret (the secrets themselves, or any stored hash) was printed. */
function expectNoSecret(output: string, file?: string) {
  for (const secret of [PASSWORD, API_KEY, 'hunter2-password'])
    expect(output).not.toContain(secret);
  if (file === undefined) return;
  for (const user of readUsersFile(file).users) {
    if (user.password_hash !== undefined)
      expect(output).not.toContain(user.password_hash.split('$')[5]);
    for (const hash of user.api_key_hashes ?? []) expect(output).not.toContain(hash);
  }
}

describe('users add', () => {
  it('should create the file with mode 0600, a scrypt hash, and print only a confirmation', async () => {
    const file = newFile();
    const result = await run(
      ['add', 'alice', '--backend-role', 'analyst', '--backend-role=ml', '--file', file],
      { secret: `${PASSWORD}\n` },
    );
    expect(result.code).toBe(0);
    expect(result.output).toBe(
      `user [alice] added to ${file}: password set; admin: no; backend roles: [analyst, ml]`,
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = readUsersFile(file).users[0];
    expect(stored).toMatchObject({ name: 'alice', backend_roles: ['analyst', 'ml'], admin: false });
    expect(stored?.password_hash).toMatch(/^scrypt\$/);
    expect(readFileSync(file, 'utf8')).not.toContain(PASSWORD);
    expectNoSecret(result.output, file);
    // The service accepts what the command wrote; the trailing newline was not part of the password.
    const authenticator = createUsersFileAuthenticator({ file });
    await expect(
      authenticator.authenticate(withAuthorization(basic('alice', PASSWORD))),
    ).resolves.toMatchObject({ name: 'alice' });
  });

  it('should add an admin API key user from stdin, USERS_FILE naming the file', async () => {
    const file = newFile();
    const result = await run(['add', 'bot', '--api-key', '--admin'], {
      secret: API_KEY,
      env: { USERS_FILE: file },
    });
    expect(result.code).toBe(0);
    expect(result.output).toMatch(
      /^user \[bot\] added to .*: API key added; admin: yes; backend roles: \[\]$/,
    );
    expectNoSecret(result.output, file);
    expect(readUsersFile(file).users[0]).not.toHaveProperty('password_hash');
    const identity = await createUsersFileAuthenticator({ file }).authenticate(
      withAuthorization(`Bearer ${API_KEY}`),
    );
    expect(identity).toMatchObject({ name: 'bot', isAdmin: true });
  });

  it('should update an existing user: new password, extra key, roles only when given', async () => {
    const file = newFile();
    await run(['add', 'alice', '--backend-role', 'analyst', '--admin', '--file', file], {
      secret: 'first-password-1',
    });
    const update = await run(['add', 'alice', '--file', file], { secret: PASSWORD });
    expect(update.output).toMatch(
      /^user \[alice\] updated in .*: password set; admin: yes; backend roles: \[analyst\]$/,
    );
    await run(['add', 'alice', '--api-key', '--no-admin', '--file', file], { secret: API_KEY });
    const [alice, ...others] = readUsersFile(file).users;
    expect(others).toEqual([]);
    expect(alice).toMatchObject({
      backend_roles: ['analyst'],
      admin: false,
      api_key_hashes: [expect.stringMatching(/^[0-9a-f]{64}$/)],
    });
    const authenticator = createUsersFileAuthenticator({ file });
    await expect(
      authenticator.authenticate(withAuthorization(basic('alice', 'first-password-1'))),
    ).rejects.toMatchObject({ status: 401 });
    await expect(
      authenticator.authenticate(withAuthorization(basic('alice', PASSWORD))),
    ).resolves.toMatchObject({ name: 'alice' });
  });

  it('should replace a more open file with a 0600 one and leave no temporary file', async () => {
    const file = newFile();
    await run(['add', 'alice', '--file', file], { secret: PASSWORD });
    chmodSync(file, 0o644);
    await run(['add', 'bob', '--file', file], { secret: PASSWORD });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it.each<[string, string[], string, number]>([
    ['a password given as an argument', ['add', 'alice', 'hunter2-password'], PASSWORD, 2],
    ['a password given as an option', ['add', 'alice', '--password=hunter2-password'], PASSWORD, 2],
    ['a short password', ['add', 'alice'], 'short', 2],
    ['a multi-line password', ['add', 'alice'], 'line-one-1\nline-two-2', 2],
    ['a short API key', ['add', 'bot', '--api-key'], 'tiny-key', 2],
    [
      'an API key that cannot be a bearer token',
      ['add', 'bot', '--api-key'],
      'key with spaces 0123456789',
      2,
    ],
    ['a name with a colon', ['add', 'al:ice'], PASSWORD, 2],
    ['no command (usage only)', [], PASSWORD, 0],
    ['an unknown command', ['rename', 'alice'], PASSWORD, 2],
  ])('should refuse %s, echo no secret and write nothing', async (_label, argv, secret, code) => {
    const file = newFile();
    const result = await run([...argv, '--file', file], { secret });
    expect(result.code).toBe(code);
    expectNoSecret(result.output);
    expect(result.output).not.toContain(secret);
    expect(() => statSync(file)).toThrow();
  });

  it('should not read a secret when the name is already wrong', async () => {
    expect((await run(['add', 'a:b', '--file', newFile()], { secret: PASSWORD })).prompts).toBe(0);
  });

  it('should refuse to run without a users file', async () => {
    const result = await run(['list']);
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/no users file: pass --file <path> or set USERS_FILE/);
  });

  it('should never overwrite a broken file', async () => {
    const file = newFile();
    writeFileSync(file, '{"users": [ broken');
    const result = await run(['add', 'alice', '--file', file], { secret: PASSWORD });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/is not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe('{"users": [ broken');
  });
});

describe('users remove and list', () => {
  it('should list names, admin flag, roles and credential kinds, never hashes', async () => {
    const file = newFile();
    await run(['add', 'alice', '--backend-role', 'analyst', '--file', file], { secret: PASSWORD });
    await run(['add', 'bot', '--api-key', '--admin', '--file', file], { secret: API_KEY });
    const result = await run(['list', '--file', file]);
    expect(result.code).toBe(0);
    expect(result.output.split('\n')).toEqual([
      'alice\tadmin: no; backend roles: [analyst]; credentials: password',
      'bot\tadmin: yes; backend roles: []; credentials: 1 API key',
    ]);
    expectNoSecret(result.output, file);
    expect(result.output).not.toMatch(/scrypt|[0-9a-f]{64}/);
  });

  it('should remove a user and say when there is none to remove', async () => {
    const file = newFile();
    await run(['add', 'alice', '--file', file], { secret: PASSWORD });
    await run(['add', 'bob', '--file', file], { secret: PASSWORD });
    expect(await run(['remove', 'alice', '--file', file])).toMatchObject({
      code: 0,
      output: `user [alice] removed from ${file}`,
    });
    expect(readUsersFile(file).users.map((user) => user.name)).toEqual(['bob']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await run(['remove', 'alice', '--file', file])).toMatchObject({
      code: 1,
      output: `error: no user [alice] in ${file}`,
    });
    expect((await run(['list', '--file', newFile()])).output).toMatch(/^no users in /);
  });
});

describe('users-main entry point', () => {
  it('should read the password from piped stdin in a real process and print no secret', async () => {
    const file = newFile();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(process.cwd(), 'src/cli/users-main.ts'),
        'add',
        'carol',
        '--file',
        file,
      ],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end(`${PASSWORD}\n`);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output).toMatch(/^user \[carol\] added to .*: password set/);
    expect(code).toBe(0);
    expectNoSecret(output, file);
    await expect(
      createUsersFileAuthenticator({ file }).authenticate(
        withAuthorization(basic('carol', PASSWORD)),
      ),
    ).resolves.toMatchObject({
      name: 'carol',
    });
  });
});
