// Runs the generated scripts for real when PowerShell 7 (pwsh) is on the PATH, with every Windows-only
// cmdlet replaced by a stub that only logs its name. Hostile inputs try to create a canary file; the test
// asserts that nothing but the stubs ran and the canary never appears. Skipped where pwsh is missing.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RawStepInputs } from '../../src/checks/inputs';
import { render, renderRunbook } from '../../src/checks/render';
import { STEP_IDS } from '../../src/checks/status';
import { extractResult } from '../../src/pslang/resultMarkers';
import { InputError } from '../../src/servers/validation';
import { parsePowerShell } from './helpers/treeSitter';

/** Windows-only or environment-specific commands the scripts call; each becomes a logging stub. */
export const STUBBED = [
  'Add-LocalGroupMember', 'Enable-PSRemoting', 'Get-CimInstance', 'Get-PSSessionConfiguration', 'Get-Service', 'Set-Service', 'Start-Service', 'Get-WinEvent',
  'Get-WSManInstance', 'New-WSManInstance', 'Set-WSManInstance', 'New-SelfSignedCertificate',
  'Get-NetConnectionProfile', 'Get-NetFirewallAddressFilter', 'Get-NetFirewallPortFilter', 'Get-NetFirewallRule', 'New-NetFirewallRule', 'Set-NetFirewallRule',
  'Get-ADComputer', 'Set-ADAccountControl', 'Import-Module',
  'Add-PSSnapin', 'Add-RoleGroupMember', 'Get-ManagementRole', 'Get-ManagementRoleAssignment', 'Get-ManagementRoleEntry', 'Get-RoleGroup', 'Get-RoleGroupMember', 'Get-User',
  'New-ManagementRole', 'New-ManagementRoleAssignment', 'New-RoleGroup', 'Remove-ManagementRoleEntry', 'Set-User',
] as const;

function stubs(): string {
  // Simple (non-advanced) functions take any arguments, switches and pipeline input without complaint.
  return STUBBED.map((name) => `function ${name} { Add-Content -LiteralPath $env:ERS_STUB_LOG -Value '${name}' }`).join('\n');
}

/** Puts the stubs after a leading param block (which must stay the script's first statement). */
function withStubs(script: string): string {
  const head = '[CmdletBinding(SupportsShouldProcess = $true)]\nparam()\n';
  return script.startsWith(head) ? `${head}${stubs()}\n${script.slice(head.length)}` : `${stubs()}\n${script}`;
}

function pwshAvailable(): boolean {
  try {
    return spawnSync('pwsh', ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.Major'], { encoding: 'utf8', timeout: 30_000 }).status === 0;
  } catch {
    return false;
  }
}

/** Hostile values that would create the canary file ($env:ERS_CANARY) if they ever escaped their literal. */
const CANARY_INPUTS: RawStepInputs[] = [
  { server: 'exch01.contoso.com', account: "CONTOSO\\a';ni $env:ERS_CANARY;'" },
  { server: 'exch01.contoso.com', account: 'CONTOSO\\a\u2019;ni $env:ERS_CANARY;\u2018' },
  { server: 'exch01.contoso.com', account: 'CONTOSO\\$(ni $env:ERS_CANARY)' },
  { server: 'exch01.contoso.com', account: 'CONTOSO\\svc', computerDn: 'CN=$(ni $env:ERS_CANARY),DC=contoso,DC=com' },
  { server: 'exch01.contoso.com', account: 'CONTOSO\\svc', computerDn: "CN=x' + (ni $env:ERS_CANARY) + 'y,DC=contoso,DC=com" },
  { server: 'exch01.contoso.com', account: 'CONTOSO\\svc', roleName: 'a\u201B;ni $env:ERS_CANARY' },
];

describe('scripts: real runs under pwsh with stubbed Windows cmdlets (skipped without pwsh)', function () {
  this.timeout(600_000);
  let dir = '';
  before(function () {
    if (!pwshAvailable()) this.skip();
    dir = mkdtempSync(path.join(tmpdir(), 'ers-pwsh-'));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  function run(script: string, name: string, args: string[] = []): { stdout: string; log: string[]; canary: boolean } {
    const file = path.join(dir, `${name}.ps1`);
    const log = path.join(dir, `${name}.log`);
    const canary = path.join(dir, `${name}.canary`);
    writeFileSync(file, withStubs(script), 'utf8');
    writeFileSync(log, '');
    const r = spawnSync('pwsh', ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file, ...args], {
      encoding: 'utf8', timeout: 120_000, env: { ...process.env, ERS_STUB_LOG: log, ERS_CANARY: canary },
    });
    const lines = readFileSync(log, 'utf8').split(/\r?\n/).filter(Boolean);
    return { stdout: r.stdout ?? '', log: lines, canary: existsSync(canary) };
  }

  for (const id of STEP_IDS) {
    it(`${id}: check and remediation run; hostile values never execute`, () => {
      let n = 0;
      for (const inputs of CANARY_INPUTS) {
        for (const kind of ['check', 'remediation'] as const) {
          let script: string;
          try {
            script = render(id, kind, inputs, { token: 'PwshRun001' });
          } catch (err) {
            assert.ok(err instanceof InputError);
            continue;
          }
          const name = `${id}-${kind}-${n++}`;
          const r = run(script, name);
          assert.equal(r.canary, false, `${name}: injected code ran`);
          for (const c of r.log) assert.ok((STUBBED as readonly string[]).includes(c), `${name}: ${c}`);
          if (kind === 'check') {
            const x = extractResult(r.stdout, 'PwshRun001');
            assert.ok(x.ok, `${name}: ${r.stdout.slice(-500)}`);
            assert.equal((x.json as { schema?: string }).schema, 'ers.check/1');
          }
        }
      }
    });
  }

  it('runbooks run under -WhatIf and never execute hostile values', () => {
    for (const [i, inputs] of CANARY_INPUTS.entries()) {
      let script: string;
      try {
        script = renderRunbook(inputs, undefined, { token: 'PwshRun002' });
      } catch (err) {
        assert.ok(err instanceof InputError);
        continue;
      }
      const r = run(script, `runbook-${i}`, ['-WhatIf']);
      assert.equal(r.canary, false);
      assert.ok(extractResult(r.stdout, 'PwshRun002').ok);
    }
  });
});

describe('scripts: the stub harness itself', () => {
  it('keeps the param block first and parses without errors', async () => {
    for (const kind of ['check', 'remediation'] as const) {
      const script = withStubs(render('cbt-hardening', kind, { server: 'exch01.contoso.com' }, { token: 'PwshRun003' }));
      const p = await parsePowerShell(script);
      assert.deepEqual(p.problems, []);
      if (kind === 'remediation') assert.ok(script.startsWith('[CmdletBinding(SupportsShouldProcess = $true)]\nparam()\nfunction Add-LocalGroupMember '));
    }
  });
});
