import * as assert from 'node:assert/strict';
import { CATALOG } from '../../src/checks/catalog';
import type { RawStepInputs } from '../../src/checks/inputs';
import { render, renderCheckAll, renderRunbook } from '../../src/checks/render';
import { STEP_IDS, WHERE } from '../../src/checks/status';
import { QuoteError } from '../../src/pslang/quote';
import { markerLines } from '../../src/pslang/resultMarkers';
import { InputError } from '../../src/servers/validation';
import { parsePowerShell } from './helpers/treeSitter';

const TOKEN = 'T0ken12345';

/** Every input set, harmless. Lists hold one item so that hostile variants keep the same length. */
const BASE: RawStepInputs = {
  server: 'exch01.contoso.com',
  account: 'CONTOSO\\svc_sync',
  netbiosName: 'EXCH01',
  computerDn: 'CN=EXCH01,OU=Servers,DC=contoso,DC=com',
  thumbprint: '6A8D7E5537D441190FD72C7C2E879A064072CE0F',
  trustedHosts: ['exch01.contoso.com'],
  remoteAddresses: ['10.0.5.21'],
  cbtLevel: 'Relaxed',
  connection: 'https',
  port: 5986,
  roleName: 'Intune Exchange Connector',
  roleGroupName: 'Intune Connector Admins',
  windowMinutes: 130,
  activityEventIds: ['7001'],
  errorEventIds: ['7002'],
};

const NORMAL_VARIANTS: RawStepInputs[] = [
  BASE,
  { server: 'exch01.contoso.com', account: 'svc_sync@contoso.com' },
  { ...BASE, account: "CONTOSO\\o'brien", computerDn: "CN=O'Brien\\, Pat,OU=Ops,DC=contoso,DC=com", cbtLevel: 'None', connection: 'http-kerberos', allowSelfSigned: true },
  { ...BASE, roleName: 'Quarantäne-Administratoren', trustedHosts: ['*.contoso.com', '10.0.0.5'], remoteAddresses: ['10.0.5.0/24', 'LocalSubnet'] },
];

const HOSTILE = [
  '"; Remove-Item C:\\ -Recurse -Force; "',
  "'; Remove-Item C:\\ -Recurse -Force; '",
  "x' + (Remove-Item C:\\) + 'y",
  '$(Remove-Item C:\\ -Recurse)',
  '$env:USERPROFILE',
  '\u2018; Remove-Item C:\\; \u2018',
  '\u2019 + $(calc) + \u2019',
  '\u201A; calc; \u201B',
  '\u201C; calc; \u201D \u201E',
  '`; calc `"',
  'x\nRemove-Item C:\\',
  'x\r\nRemove-Item C:\\',
  'x\u0000y',
  'x\u2028y',
  'a'.repeat(100_000),
  '@{ a = 1 }; calc',
  '#> <# ; calc',
];

/** How a hostile payload is put into each field (keeping the rest of the field valid where that is possible). */
const FIELDS: { name: keyof RawStepInputs; embed: (h: string) => unknown }[] = [
  { name: 'server', embed: (h) => `${h}.contoso.com` },
  { name: 'account', embed: (h) => `CONTOSO\\${h.slice(0, 20)}` },
  { name: 'account', embed: (h) => `${h.slice(0, 60)}@contoso.com` },
  { name: 'account', embed: (h) => h },
  { name: 'netbiosName', embed: (h) => h },
  { name: 'computerDn', embed: (h) => `CN=${h},OU=Servers,DC=contoso,DC=com` },
  { name: 'thumbprint', embed: (h) => `6A8D7E5537D441190FD72C7C2E879A064072CE0F${h}` },
  { name: 'trustedHosts', embed: (h) => [h] },
  { name: 'remoteAddresses', embed: (h) => [h] },
  { name: 'cbtLevel', embed: (h) => h },
  { name: 'connection', embed: (h) => h },
  { name: 'port', embed: (h) => h },
  { name: 'roleName', embed: (h) => h },
  { name: 'roleGroupName', embed: (h) => h },
  { name: 'windowMinutes', embed: (h) => h },
  { name: 'activityEventIds', embed: (h) => [h] },
  { name: 'errorEventIds', embed: (h) => h },
];

const CREDENTIAL = /-Credential\b|Get-Credential|SecureString|PSCredential|password\s*=/i;

/**
 * Every command a generated script may invoke: the cmdlets a stub harness must provide on a machine with
 * pwsh, plus our own helper functions. A new command in a script has to be added here on purpose.
 */
const ALLOWED_COMMANDS = new Set([
  // our helpers (defined in the script itself)
  'ConvertTo-ErsError', 'ConvertTo-ErsLdapValue', 'Get-ErsCertInfo', 'Get-ErsListenerCertificates', 'Get-ErsListeners', 'Get-ErsWinRMServicePolicy', 'Get-ErsTlsInfo', 'Get-ErsXmlText', 'Resolve-ErsHostAddress', 'Test-ErsElevated', 'Test-ErsShouldChange',
  'Get-ErsBounded', 'Get-ErsWindowsFolder', 'Read-ErsConnectorXml', 'Get-ErsConnectorFiles', 'Find-ErsAccountCert',
  // PowerShell core utilities
  'ConvertTo-Json', 'ForEach-Object', 'Get-ChildItem', 'Get-Command', 'Get-Content', 'Get-Date', 'Get-Item', 'Get-ItemProperty', 'Import-Module', 'New-Object', 'Out-Null', 'Select-Object', 'Set-Item', 'Sort-Object', 'Test-Path', 'Where-Object', 'Write-Host', 'Write-Output', 'Write-Warning',
  // Windows-only cmdlets (stub these for a real run)
  'Add-LocalGroupMember', 'Enable-PSRemoting', 'Get-CimInstance', 'Get-PSSessionConfiguration', 'Get-Service', 'Set-Service', 'Start-Service', 'Get-WinEvent', 'Get-Counter',
  'Get-WSManInstance', 'New-WSManInstance', 'Set-WSManInstance', 'New-SelfSignedCertificate',
  'Get-NetConnectionProfile', 'Get-NetFirewallAddressFilter', 'Get-NetFirewallPortFilter', 'Get-NetFirewallRule', 'New-NetFirewallRule', 'Set-NetFirewallRule',
  'Get-ADComputer', 'Set-ADAccountControl',
  'New-PSSession', 'Import-PSSession', 'Remove-PSSession', 'Add-RoleGroupMember', 'Get-ManagementRole', 'Get-ManagementRoleAssignment', 'Get-ManagementRoleEntry', 'Get-RoleGroup', 'Get-RoleGroupMember', 'Get-User',
  'New-ManagementRole', 'New-ManagementRoleAssignment', 'New-RoleGroup', 'Remove-ManagementRoleEntry', 'Set-User',
]);

/** $ers* variables a script may read: the input block plus the ones the scaffolding assigns. */
const KNOWN_VARIABLES = new Set([
  'ersServer', 'ersNetbiosName', 'ersAccount', 'ersComputerDn', 'ersThumbprint', 'ersTrustedHosts', 'ersRemoteAddresses', 'ersCbtLevel', 'ersConnection',
  'ersPort', 'ersRoleName', 'ersRoleGroupName', 'ersWindowMinutes', 'ersActivityEventIds', 'ersErrorEventIds', 'ersAllowSelfSigned', 'ersAllowAnyRemoteAddress',
  'ersOut', 'ersOne', 'ersResults', 'ersFailedStep', 'ersFailMessage', 'ersJson', 'script:ersPolicyErrors',
]);

interface Skeleton { shape: string; commands: string }

async function assertClean(script: string, label: string): Promise<Skeleton> {
  const p = await parsePowerShell(script);
  assert.deepEqual(p.problems, [], `${label}: parse problems`);
  assert.doesNotMatch(script, CREDENTIAL, `${label}: credential in script`);
  for (const c of p.commands) assert.ok(ALLOWED_COMMANDS.has(c), `${label}: unexpected command ${c}`);
  for (const v of p.variables) {
    if (/^(script:)?ers/i.test(v)) assert.ok(KNOWN_VARIABLES.has(v), `${label}: unknown variable $${v}`);
    if (/^env:/i.test(v)) assert.equal(v, 'env:COMPUTERNAME', `${label}: environment variable ${v}`);
  }
  return { shape: p.shape, commands: p.commands.join(' ') };
}

type Renderer = (inputs: RawStepInputs) => string;

const RENDERERS: { label: string; fn: Renderer }[] = [
  ...STEP_IDS.flatMap((id) => (['check', 'remediation'] as const).map((kind) => ({ label: `${id} ${kind}`, fn: (i: RawStepInputs) => render(id, kind, i, { token: TOKEN }) }))),
  ...(['remoting', 'intune'] as const).flatMap((profile) => WHERE.filter((where) => CATALOG.some((s) => s.profiles.includes(profile) && s.where === where)).flatMap((where) => [
    { label: `runbook ${profile} ${where}`, fn: (i: RawStepInputs) => renderRunbook(i, undefined, { profile, where, token: TOKEN }) },
    { label: `runbook ${profile} ${where} (some results)`, fn: (i: RawStepInputs) => renderRunbook(i, { 'ps-remoting': 'pass', 'https-listener': 'fail', 'listener-certificate': 'warn', 'intune-rbac-role': 'fail' }, { profile, where, token: TOKEN }) },
    { label: `check-all ${profile} ${where}`, fn: (i: RawStepInputs) => renderCheckAll(i, { profile, where, token: TOKEN }) },
  ])),
];

describe('scripts: every rendered script parses and resists injection', function () {
  this.timeout(120_000);

  for (const r of RENDERERS) {
    it(`${r.label}: normal inputs parse without ERROR/MISSING nodes`, async () => {
      for (const [n, inputs] of NORMAL_VARIANTS.entries()) await assertClean(r.fn(inputs), `${r.label} variant ${n}`);
    });

    it(`${r.label}: hostile inputs are refused or leave the syntax tree unchanged`, async () => {
      const base = await assertClean(r.fn(BASE), `${r.label} base`);
      let accepted = 0;
      let refused = 0;
      for (const f of FIELDS) {
        for (const h of HOSTILE) {
          const inputs = { ...BASE, [f.name]: f.embed(h) } as RawStepInputs;
          let script: string;
          try {
            script = r.fn(inputs);
          } catch (err) {
            assert.ok(err instanceof InputError || err instanceof QuoteError, `${r.label} ${f.name}: unexpected ${String(err)}`);
            // eslint-disable-next-line no-control-regex -- a message must not carry NUL
            assert.ok((err as Error).message.length > 10 && !/[\n\u0000]/.test((err as Error).message), 'clear one-line message');
            refused++;
            continue;
          }
          accepted++;
          const got = await assertClean(script, `${r.label} ${f.name}=${JSON.stringify(h).slice(0, 40)}`);
          assert.equal(got.shape, base.shape, `${r.label} ${f.name}=${JSON.stringify(h).slice(0, 40)}: syntax tree changed`);
          assert.equal(got.commands, base.commands, `${r.label} ${f.name}: invoked commands changed`);
          assert.ok(!script.includes('\u0000'), 'no NUL in script');
        }
      }
      assert.ok(refused > 0, 'some hostile values are refused');
      assert.ok(accepted > 0, 'some hostile values are accepted and quoted (the tree comparison is exercised)');
    });
  }

  it('check scripts carry the result markers once each, serialize with an explicit depth, and set up the envelope', () => {
    const { begin, end } = markerLines(TOKEN);
    for (const id of STEP_IDS) {
      const s = render(id, 'check', BASE, { token: TOKEN });
      assert.equal(s.split(begin).length, 2, id);
      assert.equal(s.split(end).length, 2, id);
      assert.ok(s.indexOf(begin) < s.indexOf(end));
      assert.match(s, /ConvertTo-Json -InputObject .* -Depth \d+ -Compress/);
      assert.ok(s.includes("$ersJson = [regex]::Replace($ersJson, '[^\\u0000-\\u007F]', { param($m) '\\u{0:x4}' -f [int][char]$m.Value })"), 'ASCII-only JSON');
      assert.match(s, new RegExp(`step = '${id}'`));
      assert.match(s, /\$ersServer = 'exch01\.contoso\.com'/);
    }
  });

  it('remediation scripts start with the -WhatIf parameter block and document change, restart and risk', () => {
    for (const step of CATALOG) {
      const s = render(step.id, 'remediation', BASE);
      assert.ok(s.startsWith('[CmdletBinding(SupportsShouldProcess = $true)]\nparam()'), step.id);
      assert.match(s, /# What it changes: /);
      assert.match(s, /# Restarts WinRM: /);
      assert.match(s, /# Risk: (low|medium|high)\./);
      assert.match(s, /# Safer alternative: /);
    }
  });

  it('values appear only in the input block', () => {
    const s = render('kerberos-delegation', 'check', { ...BASE, account: 'CONTOSO\\uniq_acct_42' }, { token: TOKEN });
    const lines = s.split('\n').filter((l) => l.includes('uniq_acct_42'));
    assert.deepEqual(lines, ["$ersAccount = 'CONTOSO\\uniq_acct_42'"]);
  });

  it('refuses a step whose required input is missing, with the input named', () => {
    assert.throws(() => render('service-account-access', 'check', { server: 'exch01.contoso.com' }), (e: unknown) => e instanceof InputError && e.field === 'account');
    assert.throws(() => render('ps-remoting', 'check', { server: '10.0.0.5' }), (e: unknown) => e instanceof InputError && /IP address/.test(e.message));
  });
});
