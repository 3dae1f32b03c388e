/**
 * The command line: `serve` (the default) runs the service; `demo` walks the seed page's flow
 * against the provider emulator and exits.
 */
const command = process.argv[2] ?? 'serve';

switch (command) {
  case 'serve':
    await import('./main.js');
    break;
  case 'demo': {
    const { runDemo } = await import('./demo/run-demo.js');
    process.exitCode = await runDemo();
    break;
  }
  default:
    process.stderr.write(`unknown command [${command}]; use one of: serve, demo\n`);
    process.exitCode = 2;
}
