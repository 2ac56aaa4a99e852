// The runner against the REAL PowerShell 7.6.9 (built from NuGet by scripts/ensure-tools.sh). Each "defect" test
// below reproduced a bug the test double could not show: terminal sequences in front of the first line, WinRM-only
// session options off Windows, output-then-throw counted as success, Windows-only commands shown as "unknown".
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { getStep, STEP_IDS } from '../../src/checks';
import { confirmedRemediation } from '../../src/checks/script';
import { CheckService } from '../../src/execution/checkService';
import { nullLogger } from '../../src/log';
import { InMemoryCredentialSource } from '../../src/powershell/credentials';
import { NodePowerShellRunner } from '../../src/powershell/nodePowerShellRunner';
import { oneLine } from '../../src/powershell/encodedScript';
import { renderRunScript } from '../../src/powershell/remoteScript';
import { parseRunOutput } from '../../src/powershell/runOutput';
import { markerLines } from '../../src/pslang/resultMarkers';
import { parseServer } from '../../src/servers/server';
import { ResultStore } from '../../src/state/resultStore';
import { realPwsh } from '../tooling/pwsh';
import { MemoryStore } from './fakes';

const TOKEN = 'RealPwshToken01';

describe('powershell runner against the real pwsh 7.6.9', function () {
  this.timeout(120_000);
  const pwsh = realPwsh();
  let runner: NodePowerShellRunner;

  before(() => {
    runner = new NodePowerShellRunner({ executable: pwsh, credentials: new InMemoryCredentialSource({ admin: { userName: 'CONTOSO\\x', password: 'p' } }) });
  });

  after(async () => {
    await runner.dispose();
  });

  it('runs a multi-line local check with real ConvertTo-Json and reads the marked result', async () => {
    const { begin, end } = markerLines(TOKEN);
    const script = [
      "$o = [ordered]@{ name = 'x'; when = (Get-Date '2030-01-02T03:04:05Z').ToUniversalTime().ToString('o'); n = 4 }",
      'if ($true) {',
      `  Write-Output '${begin}'`,
      '  Write-Output (ConvertTo-Json -InputObject $o -Compress -Depth 3)',
      `  Write-Output '${end}'`,
      '}',
      "Write-Error 'a non-terminating error after the result'",
    ].join('\n');
    const outcome = await runner.run({ target: { kind: 'local' }, servers: [], script, resultToken: TOKEN });
    const r = outcome.results[0]!;
    assert.equal(r.status, 'ok', JSON.stringify(r));
    assert.deepEqual(r.status === 'ok' && r.result, { name: 'x', when: '2030-01-02T03:04:05.0000000Z', n: 4 });
    assert.equal(r.diagnostics.length, 1);
  });

  it('builds the credential from stdin without error and removes it after the run', async () => {
    const outcome = await runner.run({ target: { kind: 'local' }, servers: [], script: "Write-Output ([string](Test-Path variable:global:ErsCredential))", credential: 'admin' });
    assert.equal(outcome.invocations, 2);
    const after = await runner.run({ target: { kind: 'local' }, servers: [], script: "Write-Output ([string](Test-Path variable:global:ErsCredential))" });
    assert.equal(after.results[0]!.output.trim(), 'False');
  });

  it('defect: the first line survives the terminal sequences pwsh writes when TERM is a real terminal', async () => {
    // What the user's VS Code may pass on: a colour terminal, no NO_COLOR. pwsh then writes ESC[?1h ESC[?1l first.
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
    delete env.NO_COLOR;
    const viaTerminal = new NodePowerShellRunner({ executable: pwsh, env });
    try {
      const first = await viaTerminal.run({ target: { kind: 'local' }, servers: [], script: "Write-Output 'the first line'" });
      assert.equal(first.results[0]!.status, 'ok', JSON.stringify(first.results[0]));
      assert.equal(first.results[0]!.output, 'the first line');
    } finally {
      await viaTerminal.dispose();
    }
    // And the parser alone, on what the real pwsh prints to a pipe under that TERM (sequences included).
    const child = spawn(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-NoExit', '-Command', '-'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.stdin.end(`${oneLine(renderRunScript({ runToken: 'TermRun0001', target: { kind: 'local' }, servers: [], script: "Write-Output 'one'; Write-Output 'two'", useCredential: false }))}\nexit\n`);
    await closed;
    assert.ok(stdout.includes('\u001b['), 'the real pwsh wrote terminal sequences (else this test proves nothing)');
    const parsed = parseRunOutput(stdout, 'TermRun0001');
    assert.deepEqual(parsed.outputs.get('localhost'), ['one', 'two']);
    assert.equal(parsed.done, true);
  });

  it('defect: a WinRM fan-out off Windows ends in one "needs Windows" reason, not a New-PSSessionOption parameter error', async () => {
    const outcome = await runner.run({ target: { kind: 'https' }, servers: ['exch01.contoso.test', 'exch02.contoso.test'], script: 'hostname', resultToken: TOKEN });
    assert.equal(outcome.results.length, 2);
    for (const r of outcome.results) {
      assert.equal(r.status, 'error', JSON.stringify(r));
      assert.equal(r.status === 'error' && r.error.kind, 'needs-windows', JSON.stringify(r));
      assert.doesNotMatch(JSON.stringify(r), /NamedParameterNotFound|ProxyAccessType|OpenTimeout/);
      assert.match(r.status === 'error' ? r.error.message : '', /needs Windows PowerShell or PowerShell on Windows/);
    }
  });

  it('defect: a remediation that wrote output and then threw is not confirmed, and its output is kept', async () => {
    const token = 'RemedToken0001';
    const script = confirmedRemediation("$ErrorActionPreference = 'Stop'\nWrite-Output 'changed the first thing'\nthrow 'the second change failed'", token);
    const outcome = await runner.run({ target: { kind: 'local' }, servers: [], script, resultToken: token });
    const r = outcome.results[0]!;
    assert.equal(r.status, 'error', JSON.stringify(r));
    assert.match(r.output, /changed the first thing/);
    const done = await runner.run({ target: { kind: 'local' }, servers: [], script: confirmedRemediation("Write-Output 'all changed'", token), resultToken: token });
    assert.deepEqual(done.results[0]!.status === 'ok' && done.results[0]!.result, { schema: 'ers.remediation/1', done: true });
  });

  it('defect: a call with no result is not a success (an error record without a result marker fails the run)', async () => {
    const outcome = await runner.run({ target: { kind: 'local' }, servers: [], script: "Write-Output 'some output'; Write-Output 'more output'; Write-Error 'and then an error'" });
    assert.match(outcome.results[0]!.output, /more output/);
    assert.equal(outcome.results[0]!.status, 'error', JSON.stringify(outcome.results[0]));
  });

  it('defect: Run Remediation for a host that does not resolve is never reported as done', async () => {
    const store = new ResultStore(new MemoryStore(), 'r', 'r.bad');
    const service = new CheckService({
      runner, store, log: nullLogger, now: () => new Date(), extraInputs: () => ({}),
      credentialFor: async () => undefined, settings: () => ({ timeoutMs: 60_000, throttleLimit: 4 }),
    });
    const server = parseServer({ fqdn: 'exch01.does-not-resolve.invalid', serviceAccount: 'CONTOSO\\svc' });
    const plan = service.planRemediation(server, getStep('cbt-hardening'));
    const outcome = await service.remediate(plan);
    assert.equal(outcome.ok, false, JSON.stringify(outcome));
    assert.notEqual(outcome.verdict, 'done');
  });

  it('defect: every PowerShell step run here (Linux) ends in "needs Windows", never "unknown" or an elevation hint', async () => {
    const store = new ResultStore(new MemoryStore(), 'r', 'r.bad');
    const service = new CheckService({
      runner, store, log: nullLogger, now: () => new Date(), extraInputs: () => ({ computerDn: 'CN=EXCH01,DC=contoso,DC=test' }),
      credentialFor: async () => undefined, settings: () => ({ timeoutMs: 60_000, throttleLimit: 4 }),
    });
    const server = parseServer({ fqdn: 'exch01.does-not-resolve.invalid', serviceAccount: 'CONTOSO\\svc', connection: 'local' });
    await service.check([{ server, steps: STEP_IDS.map((id) => getStep(id)) }]);
    for (const stepId of STEP_IDS.filter((id) => id !== 'network-path-5986')) {
      const res = store.get(server.fqdn, stepId);
      assert.ok(res, stepId);
      assert.equal(res.status, 'error', `${stepId}: ${JSON.stringify(res)}`);
      assert.match(res.summary, /needs Windows/, `${stepId}: ${res.summary}`);
      assert.doesNotMatch(`${res.summary} ${res.reason}`, /unknown|elevat/i, `${stepId}: ${res.summary} ${res.reason}`);
      assert.match(res.reason, /needs Windows PowerShell or PowerShell on Windows/);
    }
    // The step that needs no Windows cmdlet is decided for real (the name does not resolve here).
    const net = store.get(server.fqdn, 'network-path-5986');
    assert.ok(net && ['fail', 'warn'].includes(net.status), JSON.stringify(net));
  });
});
