import * as assert from 'node:assert/strict';
import { runCli } from '../../src/cli/cli';
import { scriptCommand } from '../../src/cli/scriptCommand';
import { stepsCommand } from '../../src/cli/stepsCommand';
import { ExitCode, type CliIo } from '../../src/cli/types';
import { STEP_IDS } from '../../src/checks/status';
import { markerLines } from '../../src/pslang/resultMarkers';

function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', env: {}, out(t: string) { io.stdout += t; }, err(t: string) { io.stderr += t; } };
  return io;
}
const COMMANDS = [stepsCommand, scriptCommand];
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await runCli(argv, io, COMMANDS, '1.0.0');
  return { code, out: io.stdout, err: io.stderr };
}

describe('checks: CLI steps and script', () => {
  it('script --token <bad> is a usage error (exit 2, one line, no stack trace)', async () => {
    for (const bad of ['short', 'has space 123', 'x'.repeat(65), 'abc-def-ghi']) {
      const r = await run('script', 'cbt-hardening', '--server', 'exch01.contoso.com', '--token', bad);
      assert.equal(r.code, ExitCode.usage, bad);
      assert.match(r.err, /--token must be 8 to 64 letters or digits/);
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
      assert.equal(r.out, '');
    }
  });

  it('steps lists every step as a table', async () => {
    const r = await run('steps');
    assert.equal(r.code, ExitCode.ok);
    for (const id of STEP_IDS) assert.match(r.out, new RegExp(`\\b${id}\\b`));
    assert.match(r.out, /restarts WinRM/);
  });

  it('steps --json gives the catalog as data; --profile and --lang filter and translate', async () => {
    const r = await run('steps', '--json');
    const data = JSON.parse(r.out) as { id: string; remediation: { risk: string } }[];
    assert.equal(data.length, STEP_IDS.length);
    assert.ok(data.every((d) => typeof d.remediation.risk === 'string'));
    const de = await run('steps', '--profile', 'intune', '--lang', 'de');
    assert.match(de.out, /Zustand des Intune-Exchange-Connectors/);
    assert.doesNotMatch(de.out, /kerberos-delegation/);
  });

  it('script <step> prints the check with the given token', async () => {
    const r = await run('script', 'cbt-hardening', '--server', 'exch01.contoso.com', '--token', 'Tok3nTok3n');
    assert.equal(r.code, ExitCode.ok);
    assert.ok(r.out.includes(markerLines('Tok3nTok3n').begin));
    assert.match(r.out, /\$ersServer = 'exch01\.contoso\.com'/);
  });

  it('script --remediate and --runbook', async () => {
    const rem = await run('script', 'trusted-hosts', '--server', 'exch01.contoso.com', '--remediate', '--trusted-host', 'exch01.contoso.com', '--trusted-host', '*.contoso.com');
    assert.equal(rem.code, ExitCode.ok);
    assert.match(rem.out, /\$ersTrustedHosts = @\('exch01\.contoso\.com', '\*\.contoso\.com'\)/);
    const rb = await run('script', 'all', '--server', 'exch01.contoso.com', '--account', 'CONTOSO\\svc', '--runbook');
    assert.equal(rb.code, ExitCode.ok);
    assert.match(rb.out, /runbook \(remoting profile\)/);
    const one = await run('script', 'cbt-hardening', '--server', 'exch01.contoso.com', '--runbook');
    assert.match(one.out, /'== cbt-hardening =='/);
    assert.doesNotMatch(one.out, /'== ps-remoting =='/);
    assert.doesNotMatch(one.out, /step = 'ps-remoting'/);
    const intune = await run('script', 'all', '--server', 'exch01.contoso.com', '--account', 'svc@contoso.com', '--profile', 'intune', '--where', 'client', '--check');
    assert.equal(intune.code, ExitCode.ok);
    assert.match(intune.out, /ers\.checks\/1/);
  });

  it('refuses bad input with exit 2 and a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['script', 'cbt-hardening'], /--server <fqdn> is required/],
      [['script', 'nope', '--server', 'exch01.contoso.com'], /Unknown step "nope"/],
      [['script', 'cbt-hardening', '--server', "exch01'; Remove-Item C:\\"], /not a valid DNS name/],
      [['script', 'service-account-access', '--server', 'exch01.contoso.com'], /needs the service account/],
      [['script', 'trusted-hosts', '--server', 'exch01.contoso.com', '--trusted-host', '*', '--remediate'], /every destination/],
      [['script', 'cbt-hardening', '--server', 'exch01.contoso.com', '--check', '--remediate'], /Choose one/],
      [['script', 'cbt-hardening', '--server', 'exch01.contoso.com', '--password', 'x'], /Unknown option|unknown/i],
      [['script', 'all', '--server', 'exch01.contoso.com', '--profile', 'intune', '--where', 'network'], /no step that runs on "network"/],
      [['steps', 'extra'], /Unexpected argument/],
    ];
    for (const [argv, why] of cases) {
      const r = await run(...argv);
      assert.equal(r.code, ExitCode.usage, argv.join(' '));
      assert.match(r.err, why, argv.join(' '));
      assert.equal(r.out, '');
    }
  });
});
