/** Entry point of `npm run users -- ...` (see `users-command.ts`). */
import { readSecretFromStdin } from './read-secret.js';
import { runUsersCommand } from './users-command.js';

process.exitCode = await runUsersCommand(process.argv.slice(2), {
  env: process.env,
  readSecret: readSecretFromStdin,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
