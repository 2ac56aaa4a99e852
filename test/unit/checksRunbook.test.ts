import * as assert from 'node:assert/strict';
import { stepsFor } from '../../src/checks/catalog';
import { evaluate, evaluateCombined, outcomeFromStdout } from '../../src/checks/evaluate';
import { resolveInputs } from '../../src/checks/inputs';
import { planRunbook, renderCheckAll, renderRunbook, runbookOutcome, splitCombinedResult } from '../../src/checks/render';
import { extractResult, markerLines } from '../../src/pslang/resultMarkers';

const INPUTS = { server: 'exch01.contoso.com', account: 'CONTOSO\\svc_sync', remoteAddresses: ['10.0.5.21'] };
const TOKEN = 'RunBook42x';

describe('checks: runbooks', () => {
  it('plans every step when no results are known', () => {
    const plan = planRunbook(stepsFor('remoting', 'exchangeServer'));
    assert.ok(plan.every((p) => p.action === 'remediate'));
  });

  it('plans from results: fail fixes, warn fixes only where the step says so, undecided steps are never fixed blindly', () => {
    const plan = planRunbook(stepsFor('remoting', 'exchangeServer'), {
      'service-account-access': 'pass',
      'ps-remoting': 'fail',
      'https-listener': 'error',
      'listener-certificate': 'warn',
      'cbt-hardening': 'warn',
    });
    const byId = Object.fromEntries(plan.map((p) => [p.stepId, p]));
    assert.equal(byId['service-account-access']?.action, 'skip');
    assert.equal(byId['ps-remoting']?.action, 'remediate');
    assert.equal(byId['https-listener']?.action, 'skip');
    assert.match(byId['https-listener']?.why ?? '', /could not decide/);
    assert.equal(byId['listener-certificate']?.action, 'remediate');
    assert.equal(byId['cbt-hardening']?.action, 'skip');
    assert.equal(byId['firewall-5986']?.action, 'skip');
    assert.match(byId['firewall-5986']?.why ?? '', /not checked yet/);
  });

  it('renders the needed remediations in catalog order with comments, -WhatIf support and a final check', () => {
    const s = renderRunbook(INPUTS, { 'service-account-access': 'pass', 'ps-remoting': 'fail', 'https-listener': 'fail', 'listener-certificate': 'pass', 'cbt-hardening': 'pass', 'firewall-5986': 'fail' }, { token: TOKEN });
    assert.ok(s.startsWith('[CmdletBinding(SupportsShouldProcess = $true)]\nparam()'));
    const order = ["'== ps-remoting =='", "'== https-listener =='", "'== firewall-5986 =='"].map((m) => s.indexOf(m));
    assert.ok(order.every((i) => i > 0), 'all included');
    assert.deepEqual([...order].sort((a, b) => a - b), order, 'in catalog order');
    assert.ok(!s.includes("'== service-account-access =='"));
    assert.match(s, /# - service-account-access: skip \(check passed\)/);
    assert.match(s, /# Step 3: PowerShell remoting enabled/);
    assert.match(s, /WARNING: ps-remoting restarts WinRM/);
    assert.match(s, /Enable-PSRemoting -Force/);
    assert.match(s, /New-NetFirewallRule/);
    const { begin, end } = markerLines(TOKEN);
    assert.ok(s.lastIndexOf(begin) > s.indexOf("'== firewall-5986 =='"), 'check at the end');
    assert.equal(s.split(begin).length, 2);
    assert.equal(s.split(end).length, 2);
    for (const id of ['service-account-access', 'ps-remoting', 'https-listener', 'listener-certificate', 'cbt-hardening', 'firewall-5986']) {
      assert.match(s, new RegExp(`step = '${id}'`), `final check covers ${id}`);
    }
  });

  it('leaves out steps whose inputs are missing and says why', () => {
    const s = renderRunbook({ server: 'exch01.contoso.com' }, undefined, { token: TOKEN });
    assert.match(s, /# - service-account-access: left out, "Service account may use remote PowerShell" needs the service account/);
    assert.doesNotMatch(s, /step = 'service-account-access'/);
    assert.match(s, /step = 'ps-remoting'/);
    assert.match(renderCheckAll({ server: 'exch01.contoso.com' }, { token: TOKEN }), /# - service-account-access: left out/);
    // intune-rbac-role runs on this machine (the Exchange endpoint is one hop from here): its place is domain.
    assert.throws(() => renderRunbook({ server: 'exch01.contoso.com' }, undefined, { profile: 'intune', where: 'domain', token: TOKEN }), /No step can be rendered/);
  });

  it('says so when nothing is left to do', () => {
    const all = Object.fromEntries(stepsFor('remoting', 'exchangeServer').map((st) => [st.id, 'pass' as const]));
    const s = renderRunbook(INPUTS, all, { token: TOKEN });
    assert.match(s, /Nothing to remediate/);
    assert.match(s, /No step restarts WinRM/);
  });

  it('builds runbooks for other machines and the Intune profile', () => {
    assert.match(renderRunbook(INPUTS, undefined, { where: 'domain', token: TOKEN }), /Set-ADAccountControl -Identity \$computer -TrustedForDelegation \$true/);
    assert.match(renderRunbook(INPUTS, undefined, { where: 'client', token: TOKEN }), /-Concatenate/);
    assert.match(renderRunbook(INPUTS, undefined, { profile: 'intune', where: 'domain', token: TOKEN }), /New-ManagementRole -Parent \$parent -Name \$child/);
    assert.match(renderCheckAll(INPUTS, { profile: 'intune', where: 'client', token: TOKEN }), /Microsoft Intune Exchange Connector/);
  });

  it('splits a combined result into per-step outcomes that the evaluators accept', () => {
    const doc = {
      schema: 'ers.checks/1',
      results: [
        { schema: 'ers.check/1', step: 'cbt-hardening', ok: true, elevated: true, data: { auth: [{ name: 'CbtHardeningLevel', value: 'Relaxed', sourceOfValue: '' }], policy: [] } },
        { schema: 'ers.check/1', step: 'ps-remoting', ok: false, elevated: false, error: { fullyQualifiedErrorId: 'System.UnauthorizedAccessException,Microsoft.PowerShell.Commands.GetItemCommand', hresults: ['0x80070005'] } },
        { schema: 'ers.check/1', step: 'not-a-step', ok: true, data: {} },
      ],
    };
    const { begin, end } = markerLines(TOKEN);
    const x = extractResult(`noise\n${begin}\n${JSON.stringify(doc)}\n${end}\n`, TOKEN);
    assert.ok(x.ok);
    const parts = splitCombinedResult(x.json);
    assert.deepEqual([...parts.keys()], ['cbt-hardening', 'ps-remoting']);
    const ctx = { now: new Date('2026-11-22T00:00:00Z'), inputs: resolveInputs(INPUTS) };
    assert.equal(evaluate('cbt-hardening', parts.get('cbt-hardening')!, ctx).status, 'pass');
    const r = evaluate('ps-remoting', parts.get('ps-remoting')!, ctx);
    assert.equal(r.status, 'error');
    assert.match(r.summary, /Needs elevation/);
    assert.equal(splitCombinedResult({ schema: 'x' }).size, 0);
  });

  it('evaluates a combined document; an expected step without a result is an error', () => {
    const ctx = { now: new Date('2026-11-22T00:00:00Z'), inputs: resolveInputs(INPUTS) };
    const doc = { schema: 'ers.checks/1', results: { schema: 'ers.check/1', step: 'cbt-hardening', ok: true, elevated: true, data: { auth: [{ name: 'CbtHardeningLevel', value: 'Relaxed', sourceOfValue: '' }] } } };
    const rs = evaluateCombined(doc, ctx, ['cbt-hardening', 'firewall-5986']);
    assert.deepEqual(rs.map((r) => [r.stepId, r.status]), [['cbt-hardening', 'pass'], ['firewall-5986', 'error']]);
  });

  it('turns stdout without a result into a classified error, never a pass', () => {
    const ctx = { now: new Date('2026-11-22T00:00:00Z'), inputs: resolveInputs(INPUTS) };
    const { begin } = markerLines(TOKEN);
    for (const stdout of ['', 'WARNING: profile noise only', `${begin}\n{"schema":"ers.check/1"`, `${begin}\nnot json\n${markerLines(TOKEN).end}`]) {
      const o = outcomeFromStdout(stdout, TOKEN);
      assert.equal(o.kind, 'error');
      const r = evaluate('ps-remoting', o, ctx);
      assert.equal(r.status, 'error');
      assert.match(r.summary, /no result came back/);
    }
    assert.equal(outcomeFromStdout(`${begin}\n{"a":1}\n${markerLines(TOKEN).end}`, TOKEN).kind, 'json');
  });

  it('reports where a runbook stopped', () => {
    const s = renderRunbook(INPUTS, undefined, { token: TOKEN });
    assert.match(s, /runbook = \[pscustomobject\]@\{ failedStep = \$ersFailedStep; message = \$ersFailMessage \}/);
    assert.doesNotMatch(renderCheckAll(INPUTS, { token: TOKEN }), /runbook =/);
    assert.deepEqual(runbookOutcome({ schema: 'ers.checks/1', results: [], runbook: { failedStep: '', message: '' } }), { completed: true });
    assert.deepEqual(runbookOutcome({ schema: 'ers.checks/1', results: [], runbook: { failedStep: 'https-listener', message: 'No certificate for exch01…' } }), { completed: false, failedStep: 'https-listener', message: 'No certificate for exch01…' });
    assert.equal(runbookOutcome({ schema: 'ers.checks/1', results: [] }), undefined);
  });
});
