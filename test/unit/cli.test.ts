import * as assert from 'node:assert/strict';
import { runCli, PROGRAM } from '../../src/cli/cli';
import { ExitCode, UsageError, type CliIo, type Subcommand } from '../../src/cli/types';
import { InputError } from '../../src/servers/validation';

function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    env: {},
    out(t: string) { io.stdout += t; },
    err(t: string) { io.stderr += t; },
  };
  return io;
}

const echo: Subcommand = {
  name: 'echo',
  summary: 'prints its arguments',
  usage: 'Usage: exchange-remoting echo <words…>',
  async run(args, io) {
    if (args.length === 0) throw new UsageError('echo needs at least one word');
    if (args[0] === 'crash') throw new Error('boom');
    if (args[0] === 'bad-input') throw new InputError('server', 'not a DNS name');
    io.out(args.join(' ') + '\n');
    return args[0] === 'finding' ? ExitCode.findings : ExitCode.ok;
  },
};

describe('cli frame', () => {
  it('prints the command list with --help and exits 0', async () => {
    const io = captureIo();
    assert.equal(await runCli(['--help'], io, [echo], '1.2.3'), ExitCode.ok);
    assert.match(io.stdout, new RegExp(`Usage: ${PROGRAM} <command>`));
    assert.match(io.stdout, /echo\s+prints its arguments/);
    assert.match(io.stdout, /Exit codes: 0 ok, 1 findings/);
  });

  it('with no arguments prints help on stdout and exits 2', async () => {
    const io = captureIo();
    assert.equal(await runCli([], io, [echo], '1.2.3'), ExitCode.usage);
    assert.match(io.stdout, /Commands:/);
  });

  it('prints the version', async () => {
    const io = captureIo();
    assert.equal(await runCli(['--version'], io, [], '1.2.3'), ExitCode.ok);
    assert.equal(io.stdout, '1.2.3\n');
  });

  it('shows a subcommand usage with <cmd> --help and with help <cmd>', async () => {
    for (const argv of [['echo', '--help'], ['help', 'echo']]) {
      const io = captureIo();
      assert.equal(await runCli(argv, io, [echo], '1'), ExitCode.ok);
      assert.equal(io.stdout, 'Usage: exchange-remoting echo <words…>\n');
    }
  });

  it('rejects an unknown command with exit 2 and the list on stderr', async () => {
    const io = captureIo();
    assert.equal(await runCli(['frobnicate'], io, [echo], '1'), ExitCode.usage);
    assert.match(io.stderr, /Unknown command "frobnicate"/);
    assert.match(io.stderr, /echo/);
    assert.equal(io.stdout, '');
  });

  it('passes the subcommand exit code through (0 ok, 1 findings)', async () => {
    const ok = captureIo();
    assert.equal(await runCli(['echo', 'hello'], ok, [echo], '1'), ExitCode.ok);
    assert.equal(ok.stdout, 'hello\n');
    assert.equal(await runCli(['echo', 'finding'], captureIo(), [echo], '1'), ExitCode.findings);
  });

  it('maps a UsageError and an InputError to exit 2 with the usage', async () => {
    for (const args of [[], ['bad-input']]) {
      const io = captureIo();
      assert.equal(await runCli(['echo', ...args], io, [echo], '1'), ExitCode.usage);
      assert.match(io.stderr, /Usage: exchange-remoting echo/);
    }
  });

  it('maps an unexpected exception to exit 3 with the message', async () => {
    const io = captureIo();
    assert.equal(await runCli(['echo', 'crash'], io, [echo], '1'), ExitCode.internal);
    assert.match(io.stderr, /internal error: .*boom/);
  });
});
