// The same runner against a REAL PowerShell 7 when this machine has one (the issue asks for it "if PowerShell 7
// could be installed"). On machines without pwsh (this one: `dotnet tool install --global PowerShell` and the pwsh npm
// package both fail offline) the suite is skipped with the reason; the double-based suites cover the contract.
import * as assert from 'node:assert/strict';
import { findExecutable, NodePowerShellRunner } from '../../src/powershell/nodePowerShellRunner';
import { InMemoryCredentialSource } from '../../src/powershell/credentials';
import { markerLines } from '../../src/pslang/resultMarkers';

const TOKEN = 'RealPwshToken01';

describe('powershell runner against a real pwsh (when installed)', function () {
  this.timeout(60_000);
  const pwsh = process.env.ERS_REAL_PWSH ?? findExecutable('pwsh');
  let runner: NodePowerShellRunner | undefined;

  before(function () {
    if (!pwsh) {
      console.log('      (skipped: PowerShell 7 "pwsh" is not installed here; set ERS_REAL_PWSH to its path to run these)');
      this.skip();
    }
    runner = new NodePowerShellRunner({ executable: pwsh, credentials: new InMemoryCredentialSource({ admin: { userName: 'CONTOSO\\x', password: 'p' } }) });
  });

  after(async () => {
    await runner?.dispose();
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
    const outcome = await runner!.run({ target: { kind: 'local' }, servers: [], script, resultToken: TOKEN });
    const r = outcome.results[0]!;
    assert.equal(r.status, 'ok', JSON.stringify(r));
    assert.deepEqual(r.status === 'ok' && r.result, { name: 'x', when: '2030-01-02T03:04:05.0000000Z', n: 4 });
    assert.equal(r.diagnostics.length, 1);
  });

  it('builds the credential from stdin without error and removes it after the run', async () => {
    const outcome = await runner!.run({ target: { kind: 'local' }, servers: [], script: "Write-Output ([string](Test-Path variable:global:ErsCredential))", credential: 'admin' });
    assert.equal(outcome.invocations, 2);
    const after = await runner!.run({ target: { kind: 'local' }, servers: [], script: "Write-Output ([string](Test-Path variable:global:ErsCredential))" });
    assert.equal(after.results[0]!.output.trim(), 'False');
  });
});
