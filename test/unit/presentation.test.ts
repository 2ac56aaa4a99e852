import * as assert from 'node:assert/strict';
import { presentStep, STATE_ICONS, md, type StepRowInput } from '../../src/tree/presentation';
import { summarizeServer } from '../../src/state/rowState';
import { STATUSES } from '../../src/checks/status';
import type { StoredResult } from '../../src/state/resultStore';
import { t } from './fakes';

const now = new Date('2026-11-22T12:00:00.000Z');
const base: StepRowInput = { stepId: 'ps-remoting', title: 'PowerShell remoting', running: false, hasRemediation: true, manualAllowed: false, now, staleAfterMinutes: 60 };
const fail: StoredResult = { stepId: 'ps-remoting', status: 'fail', summary: 'WinRM stopped', evidence: [{ label: 'WinRM', value: 'Stopped | *bold*' }], reason: 'WinRM is not running.', checkedAt: '2026-11-22T11:50:00.000Z', code: '0x80338012' };

describe('tree presentation', () => {
  it('has an icon for every status and row state', () => {
    for (const s of [...STATUSES, 'unknown', 'running', 'confirmed'] as const) assert.ok(STATE_ICONS[s].id, s);
    assert.equal(STATE_ICONS.running.id, 'loading~spin');
    assert.notEqual(STATE_ICONS.fail.id, STATE_ICONS.error.id, 'fail and could-not-check must look different');
  });

  it('shows a never-checked step as unknown', () => {
    const p = presentStep(base, t);
    assert.equal(p.state, 'unknown');
    assert.equal(p.description, 'not checked yet');
    assert.equal(p.contextValue, 'hasRemediation;status:unknown;step;step:ps-remoting');
  });

  it('shows a failed step with its evidence, escaped, and gates menus through contextValue tokens', () => {
    const p = presentStep({ ...base, result: fail, riskNote: 'Restarts WinRM', docLink: 'https://learn.microsoft.com/x' }, t);
    assert.equal(p.state, 'fail');
    assert.equal(p.icon.color, 'testing.iconFailed');
    assert.equal(p.description, 'WinRM stopped');
    assert.match(p.contextValue, /(^|;)status:fail(;|$)/);
    assert.match(p.tooltipMarkdown, /Stopped \\\| \\\*bold\\\*/);
    assert.match(p.tooltipMarkdown, /0x80338012/);
    assert.match(p.tooltipMarkdown, /\[Documentation\]\(https:\/\/learn\.microsoft\.com\/x\)/);
  });

  it('overlays running, marks stale results, and shows manual confirmations', () => {
    assert.equal(presentStep({ ...base, result: fail, running: true }, t).icon.id, 'loading~spin');
    const stale = presentStep({ ...base, result: { ...fail, checkedAt: '2026-11-22T09:00:00.000Z' } }, t);
    assert.equal(stale.stale, true);
    assert.match(stale.description, /^\(stale\) /);
    assert.match(stale.contextValue, /stale/);
    const manual = presentStep({ ...base, manualAllowed: true, formatTime: (iso) => `local(${iso.slice(0, 10)})`, result: { ...fail, status: 'pass', manual: { by: 'CONTOSO\\admin', at: '2026-11-20T08:00:00Z' } } }, t);
    assert.equal(manual.state, 'confirmed');
    assert.equal(manual.description, 'confirmed manually by CONTOSO\\admin on local(2026-11-20)');
  });

  it('summarizes a server: worst state wins, n/m passed over applicable steps', () => {
    assert.deepEqual(summarizeServer(['pass', 'pass', 'notApplicable', 'warn']), { passed: 2, applicable: 3, state: 'warn' });
    assert.deepEqual(summarizeServer(['pass', 'confirmed']), { passed: 2, applicable: 2, state: 'pass' });
    assert.equal(summarizeServer(['pass', 'error', 'fail']).state, 'fail');
    assert.equal(summarizeServer(['pass', 'running']).state, 'running');
    assert.equal(summarizeServer([]).state, 'unknown');
  });

  it('escapes Markdown and HTML-looking text from servers', () => {
    assert.equal(md('<img src=x onerror=alert(1)> [a](javascript:x)'), '\\<img src\\=x onerror\\=alert\\(1\\)\\> \\[a\\]\\(javascript\\:x\\)');
  });

  it('marks a step that changed since the previous run, with both results in the tooltip', () => {
    const change = { server: 'exch01', stepId: 'ps-remoting', kind: 'check' as const, drift: true, before: { status: 'pass' as const, summary: 'WinRM running', checkedAt: '2026-11-22T10:00:00Z' }, after: { status: 'fail' as const, summary: 'WinRM stopped', checkedAt: '2026-11-22T11:50:00Z' } };
    const p = presentStep({ ...base, result: fail, change, formatTime: (iso) => `local(${iso.slice(11, 16)})` }, t);
    assert.equal(p.description, '(changed) WinRM stopped');
    assert.match(p.contextValue, /(^|;)changed(;|$)/);
    const plain = p.tooltipMarkdown.replace(/\\/g, '');
    assert.match(plain, /was passed \(WinRM running, local\(10:00\)\), now failed \(local\(11:50\)\)/);
    assert.match(plain, /Checked: local\(11:50\)/);
  });

  it('says why a step was not checked, and flags a remediation that does not fit its cause', () => {
    const p = presentStep({ ...base, uncheckedReason: 'PowerShell 7 (pwsh) was not found.' }, t);
    assert.equal(p.description, 'not checked: PowerShell 7 (pwsh) was not found.');
    const dns = presentStep({ ...base, result: { ...fail, code: 'dns-failure' }, noRemedy: 'Fix DNS.' }, t);
    assert.match(dns.contextValue, /(^|;)noRemedy(;|$)/);
    assert.doesNotMatch(dns.contextValue, /remedyFits/, 'no Run Remediation for a DNS failure');
    assert.match(presentStep({ ...base, result: fail }, t).contextValue, /(^|;)remedyFits(;|$)/);
    assert.doesNotMatch(presentStep(base, t).contextValue, /remedyFits/, 'never checked: no Run Remediation');
    assert.match(dns.tooltipMarkdown.replace(/\\/g, ''), /What to do: Fix DNS\./);
  });
});
