// Plan before apply: failing steps with each property now (from the evidence) and after, owner, WinRM restart.
import * as assert from 'node:assert/strict';
import { stepsFor } from '../../src/checks';
import { resolveInputs } from '../../src/checks/inputs';
import { applicable, computePlan, renderPlan } from '../../src/plan/remediationPlan';
import type { StoredResult } from '../../src/state/resultStore';
import { t } from './fakes';

const at = '2026-12-01T09:00:00.000Z';
const results: Record<string, StoredResult> = {
  'service-account-access': { stepId: 'service-account-access', status: 'pass', summary: 'member', evidence: [], reason: '', checkedAt: at },
  'ps-remoting': { stepId: 'ps-remoting', status: 'fail', summary: 'WinRM stopped', evidence: [{ label: 'WinRM service', value: 'Stopped, Manual' }, { label: 'Listeners', value: '(none)' }], reason: '', checkedAt: at },
  'cbt-hardening': { stepId: 'cbt-hardening', status: 'fail', summary: 'CBT None', evidence: [{ label: 'CbtHardeningLevel', value: 'None' }], reason: '', checkedAt: at, policy: { setting: 'CbtHardeningLevel', policy: 'Allow Basic authentication (WinRM Service)', proposal: 'Set the GPO to Relaxed' } },
  'firewall-5986': { stepId: 'firewall-5986', status: 'fail', summary: 'No inbound allow rule for TCP 5986', evidence: [{ label: 'Network profile', value: 'Domain' }], reason: '', checkedAt: at },
  'network-path-5986': { stepId: 'network-path-5986', status: 'fail', summary: 'exch01 does not resolve', evidence: [], reason: '', checkedAt: at, code: 'dns-failure' },
  'trusted-hosts': { stepId: 'trusted-hosts', status: 'error', summary: 'could not run', evidence: [], reason: '', checkedAt: at },
};

function plan(remoteAddresses: string[] = []) {
  return computePlan({
    server: 'exch01.contoso.com', steps: stepsFor('remoting'), resultOf: (id) => results[id],
    inputs: resolveInputs({ server: 'exch01.contoso.com', account: 'CONTOSO\\svc_sync', remoteAddresses }), text: (b) => b.en,
  }, t);
}

describe('remediation plan', () => {
  it('lists only failing steps, in catalog order, with each property now and after', () => {
    const p = plan(['10.0.4.21']);
    assert.deepEqual(p.map((i) => i.stepId), ['ps-remoting', 'cbt-hardening', 'firewall-5986', 'network-path-5986'], 'passed, never-checked and could-not-check steps are not in the plan');
    const ps = p[0];
    assert.equal(ps?.restartsWinRM, true);
    assert.deepEqual(ps?.properties[0], { property: 'WinRM service', now: 'Stopped, Manual', after: 'Running, start type Automatic' });
    assert.equal(ps?.blocked, undefined);
    assert.match(p[2]?.properties[0]?.after ?? '', /from 10\.0\.4\.21/);
  });

  it('names the Group Policy owner and blocks what cannot be applied here, saying why', () => {
    const p = plan();
    const cbt = p.find((i) => i.stepId === 'cbt-hardening');
    assert.match(cbt?.owner ?? '', /Allow Basic authentication/);
    assert.match(cbt?.blocked ?? '', /Group Policy owns this setting/);
    assert.match(p.find((i) => i.stepId === 'network-path-5986')?.blocked ?? '', /DNS/);
    assert.match(p.find((i) => i.stepId === 'firewall-5986')?.blocked ?? '', /No sync-server addresses/);
    assert.deepEqual(applicable(p, ['firewall-5986', 'cbt-hardening', 'ps-remoting']).map((i) => i.stepId), ['ps-remoting'], 'blocked items never run');
  });

  it('renders a plan document with the properties table, server values escaped', () => {
    const text = renderPlan('exch01.contoso.com', plan(), t, '1 Dec 2026, 10:00');
    assert.match(text, /^# Remediation plan for exch01\.contoso\.com/);
    assert.match(text, /Nothing has run\./);
    assert.match(text, /\| WinRM service \| Stopped, Manual \| Running, start type Automatic \|/);
    assert.match(text, /\| Listeners \| \(none\) \|/);
    assert.match(text, /WinRM restarts: yes/);
    assert.match(renderPlan('x', [], t, 'now'), /No step needs a remediation/);
  });
});
