/**
 * The command line: `serve` (the default) runs the service; `demo` walks the seed page's flow
 * against the provider emulator and exits; `users` manages the users file; `migrate-state` copies
 * an embedded store into the cluster store; `rotate-master-key` re-encrypts an embedded store under
 * a new master key.
 */
const command = process.argv[2] ?? 'serve';

switch (command) {
  case 'serve':
    await import('./main.js');
    break;
  case 'users':
    // users-main reads its own arguments after the script name.
    process.argv.splice(2, 1);
    await import('./cli/users-main.js');
    break;
  case 'migrate-state':
    process.argv.splice(2, 1);
    await import('./cli/migrate-state-main.js');
    break;
  case 'rotate-master-key':
    process.argv.splice(2, 1);
    await import('./cli/rotate-master-key-main.js');
    break;
  case 'demo': {
    const { runDemo } = await import('./demo/run-demo.js');
    process.exitCode = await runDemo();
    break;
  }
  default:
    process.stderr.write(`unknown command [${command}]; use one of: serve, demo, users, migrate-state, rotate-master-key\n`);
    process.exitCode = 2;
}
