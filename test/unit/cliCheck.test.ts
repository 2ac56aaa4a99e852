// `exchange-remoting check` headless: the real runner, catalog and evaluators against a pwsh-over-SSH host (the
// private sshd of test/tooling/sshd.ts), and its usage errors and exit codes.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stepsFor } from '../../src/checks';
import { checkCommand } from '../../src/cli/checkCommand';
import type { CliIo } from '../../src/cli/types';
import { startSshServers, type SshServers } from '../tooling/sshd';
import { realPwsh } from '../tooling/pwsh';

function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => { out += t; }, err: (t) => { err += t; }, env: {}, stdout: () => out, stderr: () => err };
}

describe('exchange-remoting check', function () {
  this.timeout(300_000);
  let ssh: SshServers;
  before(async () => { ssh = await startSshServers(2); });
  after(async () => { await ssh?.stop(); });

  const sshArgs = (): string[] => ['--connection', 'ssh', '--port', String(ssh.port), '--user', ssh.user, '--key', ssh.keyFile, '--known-hosts', ssh.knownHostsFile, '--pwsh', realPwsh()];

  it('checks a pwsh-over-SSH host: one decided result per step, none with an unknown code (json)', async () => {
    const io = capture();
    const code = await checkCommand.run(['--server', 'exch01.contoso.test', '--connect-to', '127.0.0.1', ...sshArgs(), '--service-account', 'CONTOSO\\svc_sync', '--format', 'json'], io);
    const report = JSON.parse(io.stdout()) as { schema: string; results: { server: string; step: string; status: string; summary: string; code?: string }[] };
    assert.equal(report.schema, 'ers.check-report/1');
    assert.deepEqual(report.results.map((r) => r.step), stepsFor('remoting').map((s) => s.id));
    for (const r of report.results) {
      assert.notEqual(r.code, undefined, JSON.stringify(r));
      assert.doesNotMatch(`${r.summary} ${r.code ?? ''}`, /unknown|\(none\)|^none$/i, JSON.stringify(r));
    }
    // This Linux "server" has no Windows cmdlets; nothing listens on 5986 at 127.0.0.1: a finding, so exit code 1.
    assert.equal(report.results.find((r) => r.step === 'network-path-5986')?.status, 'fail');
    assert.equal(code, 1);
  });

  it('reads the servers file (the exchangeRemoting.servers array) and speaks Nagios', async () => {
    const file = join(ssh.dir, 'servers.json');
    writeFileSync(file, JSON.stringify([1, 2].map((i) => ({
      fqdn: `exch0${i}.contoso.test`, connection: 'ssh', port: ssh.port, user: ssh.user, keyFile: ssh.keyFile, knownHostsFile: ssh.knownHostsFile, connectTo: `127.0.0.${i}`,
    }))));
    const io = capture();
    const code = await checkCommand.run(['--servers', file, '--step', 'ps-remoting', '--step', 'network-path-5986', '--format', 'nagios', '--pwsh', realPwsh()], io);
    const lines = io.stdout().trim().split('\n');
    assert.match(lines[0]!, /^EXCHANGE-REMOTING CRITICAL - .*exch01\.contoso\.test network-path-5986 fail/);
    assert.equal(lines.length, 5, io.stdout());
    assert.match(lines[1]!, /^\[UNKNOWN\] exch01\.contoso\.test ps-remoting: The check could not run: needs Windows/);
    assert.equal(code, 2);
  });

  it('a server that cannot be reached is "could not check" (exit code 3), with the SSH reason', async () => {
    const io = capture();
    const code = await checkCommand.run(['--server', 'exch09.contoso.test', '--connect-to', '127.0.0.9', ...sshArgs(), '--step', 'ps-remoting'], io);
    assert.match(io.stdout(), /error\s+ps-remoting: The check could not run: server not reachable\n\s+No SSH connection/);
    assert.equal(code, 3);
  });

  it('usage errors: exit code 2 (3 for nagios), with the reason', async () => {
    for (const [args, want, text] of [
      [[], 2, /Name the servers/],
      [['--user', 'x'], 2, /--user belongs to a --server/],
      [['--server', 'exch01.contoso.test', '--connection', 'telnet'], 2, /--connection must be one of/],
      [['--server', 'exch01.contoso.test', '--user', 'root'], 2, /applies only to the "ssh" connection/],
      [['--server', 'exch01.contoso.test', '--step', 'nope'], 2, /not a step id/],
      [['--server', 'bad name', '--format', 'nagios'], 3, /not a valid|fully qualified|DNS/i],
    ] as const) {
      const io = capture();
      assert.equal(await checkCommand.run(args as unknown as string[], io), want, args.join(' '));
      assert.match(io.stderr(), text, args.join(' '));
    }
  });
});
