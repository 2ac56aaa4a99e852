// The PowerShell runner against the test double that honours node-powershell's contract (see test/doubles).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodePowerShellRunner } from '../../src/powershell/nodePowerShellRunner';
import { PowerShellUnavailableError } from '../../src/powershell/runner';

import { SERVERS, TOKEN, byServer, checkScript, useRunnerDouble } from './helpers/runnerDouble';

describe('powershell runner (node-powershell against the test double)', function () {
  this.timeout(30_000);
  const ctx = useRunnerDouble();

  it('spawns `<exe> -NoLogo -NoProfile -NonInteractive -NoExit -Command -` and reads a marked result from a local run', async () => {
    const outcome = await ctx.runner.run({ target: { kind: 'local' }, servers: [], script: checkScript({ status: 'Running', n: 4 }), resultToken: TOKEN });
    assert.equal(outcome.results.length, 1);
    const r = outcome.results[0]!;
    assert.equal(r.status, 'ok', JSON.stringify(r));
    assert.deepEqual(r.status === 'ok' && r.result, { status: 'Running', n: 4 });
    const starts = ctx.double.records().filter((x) => x.event === 'start');
    assert.equal(starts.length, 1);
    assert.deepEqual(starts[0]!.argv, ['-NoLogo', '-NoProfile', '-NonInteractive', '-NoExit', '-Command', '-']);
    // Every script travels as one line: the double decoded exactly one script for this run.
    assert.equal(ctx.double.records().filter((x) => x.event === 'unknown').length, 0);
    assert.equal(ctx.double.records().filter((x) => x.event === 'script').length, 1);
  });

  it('fans out over N servers in ONE PowerShell round trip on one long-lived process', async () => {
    ctx.double.setScenario({ servers: { '*': { latencyMs: 30 } } });
    const outcome = await ctx.runner.run({ target: { kind: 'https' }, servers: SERVERS, script: checkScript({ ok: true }), resultToken: TOKEN, throttleLimit: 16 });
    assert.deepEqual(outcome.results.map((r) => [r.server, r.status]), SERVERS.map((s) => [s, 'ok']));
    assert.equal(outcome.invocations, 1);
    const scripts = ctx.double.records().filter((x) => x.event === 'script');
    assert.equal(scripts.length, 1, 'one invocation for all servers');
    const wrapper = scripts[0]!.script!;
    assert.match(wrapper, /Invoke-Command @ersParams/);
    assert.match(wrapper, /\$ersThrottle = 16/);
    assert.match(wrapper, /\$ersParams\.UseSSL = \$true; \$ersParams\.Port = 5986/);
    for (const s of SERVERS) assert.ok(wrapper.includes(`'${s}'`), s);
    // A second run reuses the same process.
    await ctx.runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 2), script: checkScript({ ok: 2 }), resultToken: TOKEN });
    assert.equal(ctx.double.records().filter((x) => x.event === 'start').length, 1);
    assert.equal(ctx.runner.shellsStarted, 1);
  });

  it('gives each server its own script (catalog scripts embed the server) and still makes one round trip', async () => {
    ctx.double.setScenario({ servers: { '*': { latencyMs: 5 } } });
    const outcome = await ctx.runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 3), script: (server) => checkScript({ me: server }), resultToken: TOKEN });
    assert.deepEqual(outcome.results.map((r) => r.status === 'ok' && r.result), SERVERS.slice(0, 3).map((s) => ({ me: s })));
    assert.equal(ctx.double.records().filter((x) => x.event === 'script').length, 1);
  });

  it('renders the HTTP/Kerberos bootstrap target and the port', async () => {
    const outcome = await ctx.runner.run({ target: { kind: 'http-kerberos', port: 15985 }, servers: SERVERS.slice(0, 1), script: checkScript({ ok: 1 }), resultToken: TOKEN });
    assert.equal(outcome.results[0]!.status, 'ok');
    const wrapper = ctx.double.records().find((x) => x.event === 'script')!.script!;
    assert.match(wrapper, /\$ersParams\.Port = 15985; \$ersParams\.Authentication = 'Kerberos'/);
    assert.doesNotMatch(wrapper, /UseSSL/);
  });

  it('gives one server\'s Access denied / unreachability an error for that server only', async () => {
    ctx.double.setScenario({
      servers: {
        '*': { latencyMs: 5 },
        'exch02.contoso.test': { behaviour: 'access-denied' },
        'exch04.contoso.test': { behaviour: 'unreachable', latencyMs: 40 },
      },
    });
    const outcome = await ctx.runner.run({ target: { kind: 'https' }, servers: SERVERS, script: checkScript({ ok: true }), resultToken: TOKEN });
    const r = byServer(outcome.results);
    assert.equal(r['exch01.contoso.test']!.status, 'ok');
    assert.equal(r['exch03.contoso.test']!.status, 'ok');
    assert.equal(r['exch05.contoso.test']!.status, 'ok');
    const denied = r['exch02.contoso.test']!;
    assert.equal(denied.status, 'error');
    assert.equal(denied.status === 'error' && denied.error.kind, 'access-denied');
    assert.equal(denied.status === 'error' && denied.error.errorId, 'AccessDenied,PSSessionStateBroken');
    const down = r['exch04.contoso.test']!;
    assert.equal(down.status === 'error' && down.error.kind, 'unreachable');
    assert.equal(down.status === 'error' && down.error.hresult, '0x80338012');
  });

  it('reports a script that raised errors but printed no result as script-error, and stderr text as an error', async () => {
    const outcome = await ctx.runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 1), script: "Get-Frobnicator -All\nWrite-Error 'denied by policy'", resultToken: TOKEN });
    const r = outcome.results[0]!;
    assert.equal(r.status, 'error');
    assert.equal(r.status === 'error' && r.error.kind, 'script-error');
    assert.match(r.status === 'error' ? r.error.message : '', /Get-Frobnicator/);
    assert.equal(r.diagnostics.length, 2);

    const local = await ctx.runner.run({ target: { kind: 'local' }, servers: [], script: "[Console]::Error.WriteLine('raw stderr from the script')", resultToken: TOKEN });
    const l = local.results[0]!;
    assert.equal(l.status === 'error' && l.error.kind, 'script-error');
    assert.match(l.status === 'error' ? l.error.message : '', /raw stderr from the script/);
    // The process survived the stderr output: same pid.
    assert.equal(ctx.runner.shellsStarted, 1);
  });

  it('times out a hung call, replaces the process, and the next call works on a fresh shell', async () => {
    ctx.double.setScenario({ local: { behaviour: 'hang' } });
    const hung = await ctx.runner.run({ target: { kind: 'local' }, servers: [], script: checkScript({ never: true }), resultToken: TOKEN, timeoutMs: 1500 });
    assert.equal(hung.results[0]!.status, 'error');
    assert.equal(hung.results[0]!.status === 'error' && hung.results[0]!.error.kind, 'timeout');
    ctx.double.setScenario({});
    const next = await ctx.runner.run({ target: { kind: 'local' }, servers: [], script: checkScript({ again: true }), resultToken: TOKEN });
    assert.equal(next.results[0]!.status, 'ok');
    const starts = ctx.double.records().filter((x) => x.event === 'start');
    assert.equal(starts.length, 2, 'a second process was started');
    assert.notEqual(starts[0]!.pid, starts[1]!.pid);
    assert.equal(ctx.runner.shellsStarted, 2);
  });

  it('cancels a running fan-out through an AbortSignal; finished servers keep their results; the next call works', async () => {
    ctx.double.setScenario({ servers: { '*': { latencyMs: 1 }, 'exch03.contoso.test': { behaviour: 'hang' } } });
    const ac = new AbortController();
    const pending = ctx.runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 3), script: checkScript({ ok: true }), resultToken: TOKEN, signal: ac.signal });
    await ctx.double.waitFor((r) => r.event === 'hang');
    ac.abort();
    const outcome = await pending;
    const r = byServer(outcome.results);
    assert.equal(r['exch01.contoso.test']!.status, 'ok');
    assert.equal(r['exch02.contoso.test']!.status, 'ok');
    assert.equal(r['exch03.contoso.test']!.status === 'error' && r['exch03.contoso.test']!.error.kind, 'cancelled');
    ctx.double.setScenario({});
    const next = await ctx.runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 1), script: checkScript({ ok: 1 }), resultToken: TOKEN });
    assert.equal(next.results[0]!.status, 'ok');
    assert.equal(ctx.runner.shellsStarted, 2);
  });

  it('after a crash mid-run marks only the unfinished servers as error and recovers on the next call', async () => {
    ctx.double.setScenario({
      servers: {
        'exch01.contoso.test': { latencyMs: 5 },
        'exch02.contoso.test': { latencyMs: 10 },
        'exch03.contoso.test': { latencyMs: 150, behaviour: 'crash' },
        'exch04.contoso.test': { latencyMs: 3000 },
      },
    });
    const outcome = await ctx.runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 4), script: checkScript({ ok: true }), resultToken: TOKEN });
    const r = byServer(outcome.results);
    assert.equal(r['exch01.contoso.test']!.status, 'ok');
    assert.equal(r['exch02.contoso.test']!.status, 'ok');
    assert.equal(r['exch03.contoso.test']!.status === 'error' && r['exch03.contoso.test']!.error.kind, 'crashed');
    assert.equal(r['exch04.contoso.test']!.status === 'error' && r['exch04.contoso.test']!.error.kind, 'crashed');
    ctx.double.setScenario({});
    const next = await ctx.runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 2), script: checkScript({ ok: 1 }), resultToken: TOKEN });
    assert.deepEqual(next.results.map((x) => x.status), ['ok', 'ok']);
    assert.equal(ctx.runner.shellsStarted, 2);
  });

  it('dispose() stops a hung call at once with cancelled results', async () => {
    ctx.double.setScenario({ local: { behaviour: 'hang' } });
    const pending = ctx.runner.run({ target: { kind: 'local' }, servers: [], script: checkScript({}), resultToken: TOKEN, timeoutMs: 600_000 });
    await ctx.double.waitFor((r) => r.event === 'hang');
    await ctx.runner.dispose();
    const outcome = await pending;
    assert.equal(outcome.results[0]!.status === 'error' && outcome.results[0]!.error.kind, 'cancelled');
    await assert.rejects(ctx.runner.run({ target: { kind: 'local' }, servers: [], script: 'x' }), /disposed/);
  });

  it('runs one cmdlet against the no-language Exchange endpoint and builds the JSON on the client', async () => {
    ctx.double.setScenario({ servers: { '*': { objects: [{ Name: 'EXCH01', AdminDisplayVersion: 'Version 15.2 (Build 1544.4)' }] } } });
    const outcome = await ctx.runner.run({
      target: { kind: 'exchange' },
      servers: ['exch01.contoso.test'],
      command: { cmdlet: 'Get-ExchangeServer', parameters: { Identity: "EXCH01'; Remove-Item x" }, properties: ['Name', 'AdminDisplayVersion'] },
    });
    const r = outcome.results[0]!;
    assert.equal(r.status, 'ok', JSON.stringify(r));
    assert.deepEqual(r.status === 'ok' && r.result, [{ Name: 'EXCH01', AdminDisplayVersion: 'Version 15.2 (Build 1544.4)' }]);
    const wrapper = ctx.double.records().find((x) => x.event === 'script')!.script!;
    assert.match(wrapper, /\$ersInner = \[scriptblock\]::Create\('Get-ExchangeServer -Identity ''EXCH01''''; Remove-Item x'''\)/);
    assert.match(wrapper, /ConfigurationName = 'Microsoft\.Exchange'/);
    assert.match(wrapper, /'http:\/\/exch01\.contoso\.test\/PowerShell\/'/);
  });

  it('refuses invalid server names before starting PowerShell', async () => {
    await assert.rejects(ctx.runner.run({ target: { kind: 'https' }, servers: ["exch01'; Remove-Item C:\\"], script: 'x' }), /not a valid DNS name|short name/);
    assert.equal(ctx.runner.shellsStarted, 0);
  });

  it('honours node-powershell\'s NODE_POWERSHELL override and queues concurrent calls on the one process', async () => {
    const viaEnv = new NodePowerShellRunner({ executable: 'pwsh', env: { ...ctx.double.env(), NODE_POWERSHELL: ctx.double.executable } });
    try {
      const [a, b] = await Promise.all([
        viaEnv.run({ target: { kind: 'local' }, servers: [], script: checkScript({ call: 'a' }), resultToken: TOKEN }),
        viaEnv.run({ target: { kind: 'local' }, servers: [], script: checkScript({ call: 'b' }), resultToken: TOKEN }),
      ]);
      assert.deepEqual(a.results[0]!.status === 'ok' && a.results[0]!.result, { call: 'a' });
      assert.deepEqual(b.results[0]!.status === 'ok' && b.results[0]!.result, { call: 'b' });
      assert.equal(viaEnv.shellsStarted, 1);
    } finally {
      await viaEnv.dispose();
    }
  });

  it('does not dispose a shell whose process never spawned (broken interpreter), and says what to install', async () => {
    const broken = join(ctx.double.dir, 'pwsh-broken');
    writeFileSync(broken, '#!/nonexistent/interpreter\n', { mode: 0o755 });
    const r = new NodePowerShellRunner({ executable: broken, env: ctx.double.env() });
    try {
      await assert.rejects(r.run({ target: { kind: 'local' }, servers: [], script: "Write-Output 'x'" }), (err: unknown) => {
        assert.ok(err instanceof PowerShellUnavailableError);
        assert.match(err.message, /could not be started.*Install PowerShell 7/);
        return true;
      });
      assert.equal(r.shellsStarted, 0);
    } finally {
      await r.dispose();
    }
  });

  it('gives one clear message naming what to install when the executable is missing', async () => {
    for (const exe of ['pwsh-not-installed-here', '/nonexistent/bin/pwsh', 'powershell.exe']) {
      const missing = new NodePowerShellRunner({ executable: exe, env: { PATH: '/nonexistent' } });
      try {
        await assert.rejects(missing.run({ target: { kind: 'local' }, servers: [], script: "Write-Output 'x'" }), (err: unknown) => {
          assert.ok(err instanceof PowerShellUnavailableError, String(err));
          assert.match(err.message, /was not found/);
          assert.match(err.message, exe === 'powershell.exe' ? /Windows PowerShell.*install PowerShell 7/ : /Install PowerShell 7/);
          assert.doesNotMatch(err.message, /\n\s+at /, 'no stack trace in the message');
          return true;
        });
        assert.equal(missing.shellsStarted, 0);
      } finally {
        await missing.dispose();
      }
    }
  });
});
