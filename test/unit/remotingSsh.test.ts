// Real PowerShell remoting over SSH: the real runner and the real catalog scripts against a private sshd on
// 127.0.0.1 … 127.0.0.4 whose powershell subsystem is the real pwsh 7.6.9 (test/tooling/sshd.ts). FQDN-shaped names
// reach their loopback address through connectTo, as a server whose DNS is not ready would.
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { getStep, STEP_IDS } from '../../src/checks';
import { CheckService } from '../../src/execution/checkService';
import { nullLogger } from '../../src/log';
import { NodePowerShellRunner } from '../../src/powershell/nodePowerShellRunner';
import type { PowerShellRunner, RunOutcome, RunRequest } from '../../src/powershell/runner';
import { parseServer, type ServerConfig } from '../../src/servers/server';
import { ResultStore } from '../../src/state/resultStore';
import { realPwsh } from '../tooling/pwsh';
import { processTree, startSshServers, type SshServers } from '../tooling/sshd';
import { MemoryStore } from './fakes';

const names = ['exch01.contoso.test', 'exch02.contoso.test', 'exch03.contoso.test', 'exch04.contoso.test'];

/** Counts the round trips the check service makes. */
class CountingRunner implements PowerShellRunner {
  readonly requests: RunRequest[] = [];
  constructor(private readonly inner: PowerShellRunner) {}
  run(r: RunRequest): Promise<RunOutcome> { this.requests.push(r); return this.inner.run(r); }
  dispose(): Promise<void> { return this.inner.dispose(); }
}

function cmdline(pid: number): string {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { return ''; }
}

/** Every process on the machine whose command line is an ssh client to our port, or a pwsh below our runner. */
function leftovers(ssh: SshServers): string[] {
  const out: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const line = cmdline(Number(name));
    if (/(^|\/)ssh /.test(line) && line.includes(String(ssh.port))) out.push(`${name}: ${line}`);
  }
  return out;
}

async function eventually(what: string, probe: () => boolean, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`never happened: ${what}`);
}

describe('PowerShell remoting over SSH against a private sshd and the real pwsh', function () {
  this.timeout(300_000);
  let ssh: SshServers;
  let runner: NodePowerShellRunner;

  before(async () => {
    ssh = await startSshServers(names.length);
    runner = new NodePowerShellRunner({ executable: realPwsh() });
  });

  after(async () => {
    await runner?.dispose();
    await ssh?.stop();
  });

  function server(i: number, extra: Record<string, unknown> = {}): ServerConfig {
    return parseServer({
      fqdn: names[i] ?? `exch0${i + 1}.contoso.test`, connection: 'ssh', port: ssh.port, user: ssh.user, keyFile: ssh.keyFile,
      knownHostsFile: ssh.knownHostsFile, connectTo: `127.0.0.${i + 1}`, serviceAccount: 'CONTOSO\\svc_sync', ...extra,
    });
  }

  const target = (extra: Record<string, string> = {}): RunRequest['target'] & { kind: 'ssh' } => ({ kind: 'ssh', port: ssh.port, user: ssh.user, keyFile: ssh.keyFile, knownHostsFile: ssh.knownHostsFile, ...extra });

  it('fans out to every server in one round trip, each result named by its server (connectTo mapped back)', async () => {
    const connectTo = Object.fromEntries(names.map((n, i) => [n, `127.0.0.${i + 1}`]));
    const outcome = await runner.run({ target: target(), servers: names, connectTo, script: "Write-Output ($env:SSH_CONNECTION -split ' ')[2]; Write-Output $PSVersionTable.PSVersion.ToString()" });
    assert.equal(outcome.invocations, 1);
    assert.deepEqual(outcome.results.map((r) => [r.server, r.status, r.output]), names.map((n, i) => [n, 'ok', `127.0.0.${i + 1}\n7.6.9`]));
  });

  it('checks N servers with the real catalog scripts in one fan-out, each step decided as this Linux host really decides it', async () => {
    const counting = new CountingRunner(runner);
    const store = new ResultStore(new MemoryStore(), 'r', 'r.bad');
    const service = new CheckService({
      runner: counting, store, log: nullLogger, now: () => new Date(), extraInputs: () => ({}),
      credentialFor: async () => 'admin', settings: () => ({ timeoutMs: 120_000, throttleLimit: 8 }),
    });
    const servers = names.map((_, i) => server(i));
    const serverSteps = STEP_IDS.filter((id) => getStep(id).where === 'exchangeServer');
    await service.check(servers.map((s) => ({ server: s, steps: serverSteps.map((id) => getStep(id)) })));
    assert.equal(counting.requests.length, 1, 'one round trip for all servers');
    assert.equal(counting.requests[0]!.credential, undefined, 'no stored credential goes over ssh');
    for (const s of servers) {
      for (const id of serverSteps) {
        const r = store.get(s.fqdn, id);
        assert.ok(r, `${s.fqdn} ${id}`);
        // The remote pwsh is PowerShell on Linux: the Windows-only commands the scripts need are really missing there.
        assert.equal(r.status, 'error', `${s.fqdn} ${id}: ${JSON.stringify(r)}`);
        assert.match(r.summary, /needs Windows/, `${s.fqdn} ${id}: ${r.summary}`);
        assert.doesNotMatch(`${r.summary} ${r.code ?? ''}`, /unknown|none\)/i);
      }
    }
  });

  it('a server with nothing listening and one with a refused key fail alone, each with its own reason; an unknown host key is refused', async () => {
    const store = new ResultStore(new MemoryStore(), 'r', 'r.bad');
    const service = new CheckService({
      runner, store, log: nullLogger, now: () => new Date(), extraInputs: () => ({}),
      credentialFor: async () => undefined, settings: () => ({ timeoutMs: 120_000, throttleLimit: 8 }),
    });
    const good = server(0);
    const nothing = parseServer({ ...toEntry(server(1)), fqdn: 'exch09.contoso.test', connectTo: '127.0.0.9' });
    const refused = server(2, { keyFile: ssh.refusedKeyFile });
    const unknownKey = server(3, { knownHostsFile: ssh.emptyKnownHostsFile });
    const step = getStep('ps-remoting');
    await service.check([good, nothing, refused, unknownKey].map((s) => ({ server: s, steps: [step] })));
    assert.match(store.get(good.fqdn, step.id)!.summary, /needs Windows/, 'the good server is decided');
    const reasons = [nothing, refused, unknownKey].map((s) => store.get(s.fqdn, step.id)!);
    assert.deepEqual(reasons.map((r) => r.code), ['SshUnreachable', 'SshAuthenticationRefused', 'SshHostKeyUnknown'], JSON.stringify(reasons));
    assert.match(reasons[0]!.reason, /OpenSSH server/);
    assert.match(reasons[1]!.reason, /authorized_keys/);
    assert.match(reasons[2]!.reason, /known_hosts/);
    assert.equal(new Set(reasons.map((r) => r.reason)).size, 3, 'three distinct, actionable reasons');
    const messages = reasons.map((r) => r.evidence.find((e) => e.label === 'Message')?.value ?? '');
    assert.match(messages[0]!, /127\.0\.0\.9/);
  });

  it('cancelling mid-run leaves no pwsh or ssh process behind, and the next run works', async () => {
    const abort = new AbortController();
    const shellPid = (): number | undefined => (runner as unknown as { shell?: { child: { pid?: number } } }).shell?.child.pid;
    const connectTo = Object.fromEntries(names.map((n, i) => [n, `127.0.0.${i + 1}`]));
    const running = runner.run({ target: target(), servers: names, connectTo, script: 'Start-Sleep -Seconds 300', signal: abort.signal });
    await eventually('the ssh sessions are up', () => {
      const pid = shellPid();
      return pid !== undefined && processTree(pid).filter((p) => /(^|\/)ssh /.test(cmdline(p))).length === names.length;
    }, 600);
    const pid = shellPid()!;
    abort.abort();
    const outcome = await running;
    assert.deepEqual(outcome.results.map((r) => r.status === 'error' && r.error.kind), names.map(() => 'cancelled'));
    await eventually('the pwsh of the run is gone', () => cmdline(pid) === '');
    await eventually(`no ssh client is left (${leftovers(ssh).join('; ')})`, () => leftovers(ssh).length === 0);
    const next = await runner.run({ target: target(), servers: [names[0]!], connectTo, script: "Write-Output 'after the cancel'" });
    assert.equal(next.results[0]!.output, 'after the cancel', JSON.stringify(next.results[0]));
  });

  it('a hung remote call times out, and the next call works', async () => {
    const connectTo = { [names[1]!]: '127.0.0.2' };
    const hung = await runner.run({ target: target(), servers: [names[1]!], connectTo, script: 'Start-Sleep -Seconds 600', timeoutMs: 8_000 });
    assert.equal(hung.results[0]!.status === 'error' && hung.results[0]!.error.kind, 'timeout', JSON.stringify(hung.results[0]));
    await eventually(`no ssh client is left (${leftovers(ssh).join('; ')})`, () => leftovers(ssh).length === 0);
    const next = await runner.run({ target: target(), servers: [names[1]!], connectTo, script: "Write-Output 'answered'" });
    assert.equal(next.results[0]!.status, 'ok', JSON.stringify(next.results[0]));
    assert.equal(next.results[0]!.output, 'answered');
  });
});

function toEntry(s: ServerConfig): Record<string, unknown> {
  return { ...s };
}
