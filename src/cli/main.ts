// Process entry of the `exchange-remoting` bin: binds the CLI to stdio and exits with its code.
import { runCli } from './cli';
import { subcommands } from './registry';
import { ExitCode } from './types';

declare const __VERSION__: string | undefined;

const version = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

// A reader that stops early (`… | head`) closes the pipe: that ends the output, it is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
  throw err;
});

runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
}, subcommands, version).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`exchange-remoting: internal error: ${String(err)}\n`);
    process.exitCode = ExitCode.internal;
  },
);
