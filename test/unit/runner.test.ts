// The PowerShell runner against the test double that honours node-powershell's contract (see test/doubles).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodePowerShellRunner } from '../../src/powershell/nodePowerShellRunner';
import { InMemoryCredentialSource } from '../../src/powershell/credentials';
import { PowerShellUnavailableError, type RunRequest, type ServerRunResult } from '../../src/powershell/runner';
import { renderRunScript } from '../../src/powershell/remoteScript';
import { markerLines } from '../../src/pslang/resultMarkers';
import type { Logger } from '../../src/log';
import { PwshDouble } from '../doubles/pwshDouble';

const TOKEN = 'Tok3nForTests01';
const { begin, end } = markerLines(TOKEN);

/** A check script in the double's PowerShell subset that prints one marked JSON result. */
function checkScript(json: object): string {
  return [
    '# check: demo',
    "Write-Output 'banner noise before the result'",
    `Write-Output '${begin}'`,
    `Write-Output '${JSON.stringify(json).replace(/'/g, "''")}'`,
    `Write-Output '${end}'`,
  ].join('\n');
}

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (m: string | Error, ...a: unknown[]): void => { lines.push([String(m), ...a.map((x) => JSON.stringify(x))].join(' ')); };
  return { lines, trace: push, debug: push, info: push, warn: push, error: push };
}

/** Text plus everything hidden in it as base64 payloads (UTF-16LE or UTF-8), decoded recursively: secrets cannot hide. */
function deepDecode(text: string, depth = 0): string {
  if (depth > 4) return text;
  const parts = [text];
  for (const m of text.matchAll(/[A-Za-z0-9+/]{16,}={0,2}/g)) {
    const buf = Buffer.from(m[0], 'base64');
    for (const decoded of [buf.toString('utf16le'), buf.toString('utf8')]) {
      // eslint-disable-next-line no-control-regex -- printable text plus tab and line breaks
      if (/^[\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]*$/.test(decoded) && !decoded.includes('\ufffd')) parts.push(deepDecode(decoded, depth + 1));
    }
  }
  return parts.join('\n');
}

function byServer(results: readonly ServerRunResult[]): Record<string, ServerRunResult> {
  return Object.fromEntries(results.map((r) => [r.server, r]));
}

const SERVERS = ['exch01.contoso.test', 'exch02.contoso.test', 'exch03.contoso.test', 'exch04.contoso.test', 'exch05.contoso.test'];

describe('powershell runner (node-powershell against the test double)', function () {
  this.timeout(30_000);
  let double: PwshDouble;
  let runner: NodePowerShellRunner;
  let logger: ReturnType<typeof capturingLogger>;
  const credentials = new InMemoryCredentialSource();

  beforeEach(() => {
    double = new PwshDouble();
    logger = capturingLogger();
    runner = new NodePowerShellRunner({ executable: double.executable, env: double.env(), credentials, logger, defaultTimeoutMs: 15_000 });
  });

  afterEach(async () => {
    await runner.dispose();
    double.cleanup();
  });

  it('spawns `<exe> -NoLogo -NoProfile -NonInteractive -NoExit -Command -` and reads a marked result from a local run', async () => {
    const outcome = await runner.run({ target: { kind: 'local' }, servers: [], script: checkScript({ status: 'Running', n: 4 }), resultToken: TOKEN });
    assert.equal(outcome.results.length, 1);
    const r = outcome.results[0]!;
    assert.equal(r.status, 'ok', JSON.stringify(r));
    assert.deepEqual(r.status === 'ok' && r.result, { status: 'Running', n: 4 });
    const starts = double.records().filter((x) => x.event === 'start');
    assert.equal(starts.length, 1);
    assert.deepEqual(starts[0]!.argv, ['-NoLogo', '-NoProfile', '-NonInteractive', '-NoExit', '-Command', '-']);
    // Every script travels as one line: the double decoded exactly one script for this run.
    assert.equal(double.records().filter((x) => x.event === 'unknown').length, 0);
    assert.equal(double.records().filter((x) => x.event === 'script').length, 1);
  });

  it('fans out over N servers in ONE PowerShell round trip on one long-lived process', async () => {
    double.setScenario({ servers: { '*': { latencyMs: 30 } } });
    const outcome = await runner.run({ target: { kind: 'https' }, servers: SERVERS, script: checkScript({ ok: true }), resultToken: TOKEN, throttleLimit: 16 });
    assert.deepEqual(outcome.results.map((r) => [r.server, r.status]), SERVERS.map((s) => [s, 'ok']));
    assert.equal(outcome.invocations, 1);
    const scripts = double.records().filter((x) => x.event === 'script');
    assert.equal(scripts.length, 1, 'one invocation for all servers');
    const wrapper = scripts[0]!.script!;
    assert.match(wrapper, /Invoke-Command @ersParams/);
    assert.match(wrapper, /\$ersThrottle = 16/);
    assert.match(wrapper, /\$ersParams\.UseSSL = \$true; \$ersParams\.Port = 5986/);
    for (const s of SERVERS) assert.ok(wrapper.includes(`'${s}'`), s);
    // A second run reuses the same process.
    await runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 2), script: checkScript({ ok: 2 }), resultToken: TOKEN });
    assert.equal(double.records().filter((x) => x.event === 'start').length, 1);
    assert.equal(runner.shellsStarted, 1);
  });

  it('gives each server its own script (catalog scripts embed the server) and still makes one round trip', async () => {
    double.setScenario({ servers: { '*': { latencyMs: 5 } } });
    const outcome = await runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 3), script: (server) => checkScript({ me: server }), resultToken: TOKEN });
    assert.deepEqual(outcome.results.map((r) => r.status === 'ok' && r.result), SERVERS.slice(0, 3).map((s) => ({ me: s })));
    assert.equal(double.records().filter((x) => x.event === 'script').length, 1);
  });

  it('renders the HTTP/Kerberos bootstrap target and the port', async () => {
    const outcome = await runner.run({ target: { kind: 'http-kerberos', port: 15985 }, servers: SERVERS.slice(0, 1), script: checkScript({ ok: 1 }), resultToken: TOKEN });
    assert.equal(outcome.results[0]!.status, 'ok');
    const wrapper = double.records().find((x) => x.event === 'script')!.script!;
    assert.match(wrapper, /\$ersParams\.Port = 15985; \$ersParams\.Authentication = 'Kerberos'/);
    assert.doesNotMatch(wrapper, /UseSSL/);
  });

  it('gives one server\'s Access denied / unreachability an error for that server only', async () => {
    double.setScenario({
      servers: {
        '*': { latencyMs: 5 },
        'exch02.contoso.test': { behaviour: 'access-denied' },
        'exch04.contoso.test': { behaviour: 'unreachable', latencyMs: 40 },
      },
    });
    const outcome = await runner.run({ target: { kind: 'https' }, servers: SERVERS, script: checkScript({ ok: true }), resultToken: TOKEN });
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
    const outcome = await runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 1), script: "Get-Frobnicator -All\nWrite-Error 'denied by policy'", resultToken: TOKEN });
    const r = outcome.results[0]!;
    assert.equal(r.status, 'error');
    assert.equal(r.status === 'error' && r.error.kind, 'script-error');
    assert.match(r.status === 'error' ? r.error.message : '', /Get-Frobnicator/);
    assert.equal(r.diagnostics.length, 2);

    const local = await runner.run({ target: { kind: 'local' }, servers: [], script: "[Console]::Error.WriteLine('raw stderr from the script')", resultToken: TOKEN });
    const l = local.results[0]!;
    assert.equal(l.status === 'error' && l.error.kind, 'script-error');
    assert.match(l.status === 'error' ? l.error.message : '', /raw stderr from the script/);
    // The process survived the stderr output: same pid.
    assert.equal(runner.shellsStarted, 1);
  });

  it('times out a hung call, replaces the process, and the next call works on a fresh shell', async () => {
    double.setScenario({ local: { behaviour: 'hang' } });
    const hung = await runner.run({ target: { kind: 'local' }, servers: [], script: checkScript({ never: true }), resultToken: TOKEN, timeoutMs: 1500 });
    assert.equal(hung.results[0]!.status, 'error');
    assert.equal(hung.results[0]!.status === 'error' && hung.results[0]!.error.kind, 'timeout');
    double.setScenario({});
    const next = await runner.run({ target: { kind: 'local' }, servers: [], script: checkScript({ again: true }), resultToken: TOKEN });
    assert.equal(next.results[0]!.status, 'ok');
    const starts = double.records().filter((x) => x.event === 'start');
    assert.equal(starts.length, 2, 'a second process was started');
    assert.notEqual(starts[0]!.pid, starts[1]!.pid);
    assert.equal(runner.shellsStarted, 2);
  });

  it('cancels a running fan-out through an AbortSignal; finished servers keep their results; the next call works', async () => {
    double.setScenario({ servers: { '*': { latencyMs: 1 }, 'exch03.contoso.test': { behaviour: 'hang' } } });
    const ac = new AbortController();
    const pending = runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 3), script: checkScript({ ok: true }), resultToken: TOKEN, signal: ac.signal });
    await double.waitFor((r) => r.event === 'hang');
    ac.abort();
    const outcome = await pending;
    const r = byServer(outcome.results);
    assert.equal(r['exch01.contoso.test']!.status, 'ok');
    assert.equal(r['exch02.contoso.test']!.status, 'ok');
    assert.equal(r['exch03.contoso.test']!.status === 'error' && r['exch03.contoso.test']!.error.kind, 'cancelled');
    double.setScenario({});
    const next = await runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 1), script: checkScript({ ok: 1 }), resultToken: TOKEN });
    assert.equal(next.results[0]!.status, 'ok');
    assert.equal(runner.shellsStarted, 2);
  });

  it('after a crash mid-run marks only the unfinished servers as error and recovers on the next call', async () => {
    double.setScenario({
      servers: {
        'exch01.contoso.test': { latencyMs: 5 },
        'exch02.contoso.test': { latencyMs: 10 },
        'exch03.contoso.test': { latencyMs: 150, behaviour: 'crash' },
        'exch04.contoso.test': { latencyMs: 3000 },
      },
    });
    const outcome = await runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 4), script: checkScript({ ok: true }), resultToken: TOKEN });
    const r = byServer(outcome.results);
    assert.equal(r['exch01.contoso.test']!.status, 'ok');
    assert.equal(r['exch02.contoso.test']!.status, 'ok');
    assert.equal(r['exch03.contoso.test']!.status === 'error' && r['exch03.contoso.test']!.error.kind, 'crashed');
    assert.equal(r['exch04.contoso.test']!.status === 'error' && r['exch04.contoso.test']!.error.kind, 'crashed');
    double.setScenario({});
    const next = await runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 2), script: checkScript({ ok: 1 }), resultToken: TOKEN });
    assert.deepEqual(next.results.map((x) => x.status), ['ok', 'ok']);
    assert.equal(runner.shellsStarted, 2);
  });

  it('passes the credential through stdin only: never in argv, logs or the generated script', async () => {
    const password = "P@ss'w0rd$(Remove-Item C:\\)\u2019;`n";
    const user = 'CONTOSO\\ers-admin';
    credentials.set('admin', { userName: user, password });
    double.setScenario({ servers: { '*': { requireCredential: { user, password } } } });
    const request: RunRequest = { target: { kind: 'https' }, servers: SERVERS.slice(0, 2), script: checkScript({ ok: true }), resultToken: TOKEN, credential: 'admin' };
    const outcome = await runner.run(request);
    assert.deepEqual(outcome.results.map((x) => x.status), ['ok', 'ok'], JSON.stringify(outcome.results));
    assert.equal(outcome.invocations, 2, 'credential feed + one fan-out');
    assert.ok(double.records().some((x) => x.event === 'credential-set' && x.user === user), 'the double received the credential over stdin');

    // Without it the server says Access denied, for that run only.
    const without = await runner.run({ ...request, credential: undefined });
    assert.deepEqual(without.results.map((x) => x.status === 'error' && x.error.kind), ['access-denied', 'access-denied']);

    const argvs = double.records().filter((x) => x.event === 'start').map((x) => JSON.stringify(x.argv));
    const wrapperScripts = double.records().filter((x) => x.event === 'script' && !/Set-Variable -Name ErsCredential/.test(x.script!)).map((x) => x.script!);
    const rendered = renderRunScript({ runToken: 'abcdef0123456789', target: { kind: 'https' }, servers: SERVERS, script: checkScript({}), useCredential: true });
    assert.ok(wrapperScripts.length >= 2);
    // Scanned with every base64 payload decoded (recursively), so an encoded copy would be found too.
    for (const a of argvs) assert.ok(!deepDecode(a).includes(password), 'argv holds the secret');
    assert.ok(!deepDecode(logger.lines.join('\n')).includes(password), 'the log holds the secret');
    for (const s of wrapperScripts) assert.ok(!deepDecode(s).includes(password), 'a run script holds the secret');
    assert.ok(!deepDecode(rendered).includes(password));
    assert.ok(!deepDecode(JSON.stringify(process.argv)).includes(password));
    // node-powershell's in-memory history is cleared after every call (it would hold the feed and grow forever).
    const shell = (runner as unknown as { shell?: { ps: { history: unknown[] } } }).shell;
    assert.equal(shell?.ps.history.length, 0);
    // Positive control: the stdin feed did carry it (encoded, never as plain text), so the scan can see it.
    assert.ok(!double.rawLog().includes(password));
    assert.ok(deepDecode(double.rawLog()).includes(password));
    assert.match(wrapperScripts[0]!, /\$ersParams\.Credential = \$global:ErsCredential/);
    assert.match(wrapperScripts[0]!, /finally \{\n {2}Remove-Variable -Name ErsCredential -Scope Global/);
  });

  it('dispose() stops a hung call at once with cancelled results', async () => {
    double.setScenario({ local: { behaviour: 'hang' } });
    const pending = runner.run({ target: { kind: 'local' }, servers: [], script: checkScript({}), resultToken: TOKEN, timeoutMs: 600_000 });
    await double.waitFor((r) => r.event === 'hang');
    await runner.dispose();
    const outcome = await pending;
    assert.equal(outcome.results[0]!.status === 'error' && outcome.results[0]!.error.kind, 'cancelled');
    await assert.rejects(runner.run({ target: { kind: 'local' }, servers: [], script: 'x' }), /disposed/);
  });

  it('keeps the credential out of node-powershell\'s debug log even with DEBUG=*', async () => {
    const password = 'Debug-Secret-Pa55!';
    credentials.set('service', { userName: 'CONTOSO\\svc', password });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debug = require('debug') as { enable(ns: string): void; disable(): string };
    const printed: string[] = [];
    const original = console.log;
    console.log = (...a: unknown[]) => { printed.push(a.map(String).join(' ')); };
    debug.enable('*');
    try {
      const outcome = await runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 1), script: checkScript({ ok: 1 }), resultToken: TOKEN, credential: 'service' });
      assert.equal(outcome.results[0]!.status, 'ok');
    } finally {
      debug.disable();
      console.log = original;
    }
    assert.ok(!deepDecode(printed.join('\n')).includes(password), 'the debug log holds the secret');
    // The scan would find it: the stdin feed the double saw does carry it (encoded), as it must.
    assert.ok(deepDecode(double.rawLog()).includes(password));
  });

  it('reports a missing stored credential per server without running anything', async () => {
    const empty = new NodePowerShellRunner({ executable: double.executable, env: double.env(), credentials: new InMemoryCredentialSource() });
    try {
      const outcome = await empty.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 2), script: 'x', credential: 'service' });
      assert.deepEqual(outcome.results.map((x) => x.status === 'error' && x.error.kind), ['no-credential', 'no-credential']);
      assert.match(outcome.results[0]!.status === 'error' ? outcome.results[0]!.error.message : '', /service account/);
      assert.equal(empty.shellsStarted, 0);
    } finally {
      await empty.dispose();
    }
  });

  it('runs one cmdlet against the no-language Exchange endpoint and builds the JSON on the client', async () => {
    double.setScenario({ servers: { '*': { objects: [{ Name: 'EXCH01', AdminDisplayVersion: 'Version 15.2 (Build 1544.4)' }] } } });
    const outcome = await runner.run({
      target: { kind: 'exchange' },
      servers: ['exch01.contoso.test'],
      command: { cmdlet: 'Get-ExchangeServer', parameters: { Identity: "EXCH01'; Remove-Item x" }, properties: ['Name', 'AdminDisplayVersion'] },
    });
    const r = outcome.results[0]!;
    assert.equal(r.status, 'ok', JSON.stringify(r));
    assert.deepEqual(r.status === 'ok' && r.result, [{ Name: 'EXCH01', AdminDisplayVersion: 'Version 15.2 (Build 1544.4)' }]);
    const wrapper = double.records().find((x) => x.event === 'script')!.script!;
    assert.match(wrapper, /\$ersInner = \[scriptblock\]::Create\('Get-ExchangeServer -Identity ''EXCH01''''; Remove-Item x'''\)/);
    assert.match(wrapper, /ConfigurationName = 'Microsoft\.Exchange'/);
    assert.match(wrapper, /'http:\/\/exch01\.contoso\.test\/PowerShell\/'/);
  });

  it('refuses invalid server names before starting PowerShell', async () => {
    await assert.rejects(runner.run({ target: { kind: 'https' }, servers: ["exch01'; Remove-Item C:\\"], script: 'x' }), /not a valid DNS name|short name/);
    assert.equal(runner.shellsStarted, 0);
  });

  it('honours node-powershell\'s NODE_POWERSHELL override and queues concurrent calls on the one process', async () => {
    const viaEnv = new NodePowerShellRunner({ executable: 'pwsh', env: { ...double.env(), NODE_POWERSHELL: double.executable } });
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
    const broken = join(double.dir, 'pwsh-broken');
    writeFileSync(broken, '#!/nonexistent/interpreter\n', { mode: 0o755 });
    const r = new NodePowerShellRunner({ executable: broken, env: double.env() });
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
