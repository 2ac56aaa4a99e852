// The PowerShell runner's credential handling against the test double: the credential reaches PowerShell through
// stdin only, never argv, a log (node-powershell's debug log included) or a generated script.
import * as assert from 'node:assert/strict';
import { NodePowerShellRunner } from '../../src/powershell/nodePowerShellRunner';
import { InMemoryCredentialSource } from '../../src/powershell/credentials';
import type { RunRequest } from '../../src/powershell/runner';
import { renderRunScript } from '../../src/powershell/remoteScript';
import { SERVERS, TOKEN, checkScript, deepDecode, useRunnerDouble } from './helpers/runnerDouble';

describe('powershell runner: credentials (node-powershell against the test double)', function () {
  this.timeout(30_000);
  const ctx = useRunnerDouble();

  it('passes the credential through stdin only: never in argv, logs or the generated script', async () => {
    const password = "P@ss'w0rd$(Remove-Item C:\\)\u2019;`n";
    const user = 'CONTOSO\\ers-admin';
    ctx.credentials.set('admin', { userName: user, password });
    ctx.double.setScenario({ servers: { '*': { requireCredential: { user, password } } } });
    const request: RunRequest = { target: { kind: 'https' }, servers: SERVERS.slice(0, 2), script: checkScript({ ok: true }), resultToken: TOKEN, credential: 'admin' };
    const outcome = await ctx.runner.run(request);
    assert.deepEqual(outcome.results.map((x) => x.status), ['ok', 'ok'], JSON.stringify(outcome.results));
    assert.equal(outcome.invocations, 2, 'credential feed + one fan-out');
    assert.ok(ctx.double.records().some((x) => x.event === 'credential-set' && x.user === user), 'the double received the credential over stdin');

    // Without it the server says Access denied, for that run only.
    const without = await ctx.runner.run({ ...request, credential: undefined });
    assert.deepEqual(without.results.map((x) => x.status === 'error' && x.error.kind), ['access-denied', 'access-denied']);

    const argvs = ctx.double.records().filter((x) => x.event === 'start').map((x) => JSON.stringify(x.argv));
    const wrapperScripts = ctx.double.records().filter((x) => x.event === 'script' && !/Set-Variable -Name ErsCredential/.test(x.script!)).map((x) => x.script!);
    const rendered = renderRunScript({ runToken: 'abcdef0123456789', target: { kind: 'https' }, servers: SERVERS, script: checkScript({}), useCredential: true });
    assert.ok(wrapperScripts.length >= 2);
    // Scanned with every base64 payload decoded (recursively), so an encoded copy would be found too.
    for (const a of argvs) assert.ok(!deepDecode(a).includes(password), 'argv holds the secret');
    assert.ok(!deepDecode(ctx.logger.lines.join('\n')).includes(password), 'the log holds the secret');
    for (const s of wrapperScripts) assert.ok(!deepDecode(s).includes(password), 'a run script holds the secret');
    // The credential invocation itself is code PowerShell parses (history, Script Block Logging): it holds no secret
    // and reads the credential as data, from the next stdin line (issue 10).
    const feeds = ctx.double.records().filter((x) => x.event === 'script' && /Set-Variable -Name ErsCredential/.test(x.script!)).map((x) => x.script!);
    assert.ok(feeds.length >= 1);
    for (const f of feeds) {
      assert.ok(!deepDecode(f).includes(password) && !deepDecode(f).includes(user), 'the credential invocation holds the secret as code');
      assert.match(f, /\[Console\]::In\.ReadLine\(\)/);
    }
    assert.ok(!deepDecode(rendered).includes(password));
    assert.ok(!deepDecode(JSON.stringify(process.argv)).includes(password));
    // node-powershell's in-memory history is cleared after every call (it would hold the feed and grow forever).
    const shell = (ctx.runner as unknown as { shell?: { ps: { history: unknown[] } } }).shell;
    assert.equal(shell?.ps.history.length, 0);
    // Positive control: the stdin feed did carry it (encoded, never as plain text), so the scan can see it.
    assert.ok(!ctx.double.rawLog().includes(password));
    assert.ok(deepDecode(ctx.double.rawLog()).includes(password));
    assert.match(wrapperScripts[0]!, /\$ersParams\.Credential = \$global:ErsCredential/);
    assert.match(wrapperScripts[0]!, /finally \{\n {2}Remove-Variable -Name ErsCredential -Scope Global/);
  });


  it('keeps the credential out of node-powershell\'s debug log even with DEBUG=*', async () => {
    const password = 'Debug-Secret-Pa55!';
    ctx.credentials.set('service', { userName: 'CONTOSO\\svc', password });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debug = require('debug') as { enable(ns: string): void; disable(): string };
    const printed: string[] = [];
    const original = console.log;
    console.log = (...a: unknown[]) => { printed.push(a.map(String).join(' ')); };
    debug.enable('*');
    try {
      const outcome = await ctx.runner.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 1), script: checkScript({ ok: 1 }), resultToken: TOKEN, credential: 'service' });
      assert.equal(outcome.results[0]!.status, 'ok');
    } finally {
      debug.disable();
      console.log = original;
    }
    assert.ok(!deepDecode(printed.join('\n')).includes(password), 'the debug log holds the secret');
    // The scan would find it: the stdin feed the double saw does carry it (encoded), as it must.
    assert.ok(deepDecode(ctx.double.rawLog()).includes(password));
  });


  it('reports a missing stored credential per server without running anything', async () => {
    const empty = new NodePowerShellRunner({ executable: ctx.double.executable, env: ctx.double.env(), credentials: new InMemoryCredentialSource() });
    try {
      const outcome = await empty.run({ target: { kind: 'https' }, servers: SERVERS.slice(0, 2), script: 'x', credential: 'service' });
      assert.deepEqual(outcome.results.map((x) => x.status === 'error' && x.error.kind), ['no-credential', 'no-credential']);
      assert.match(outcome.results[0]!.status === 'error' ? outcome.results[0]!.error.message : '', /service account/);
      assert.equal(empty.shellsStarted, 0);
    } finally {
      await empty.dispose();
    }
  });

});
