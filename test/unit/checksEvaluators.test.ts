import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { evaluate } from '../../src/checks/evaluate';
import { resolveInputs, type RawStepInputs } from '../../src/checks/inputs';
import { isStepId, STATUSES, type StepId } from '../../src/checks/status';
import type { CheckOutcome, Observations, StepResult } from '../../src/checks/types';
import { extractResult } from '../../src/pslang/resultMarkers';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/check-output');

interface Expect {
  status: string;
  summary?: string;
  reason?: string;
  code?: string;
  highRisk?: boolean;
  policy?: boolean;
  evidence?: Record<string, string>;
}
interface Case { name: string; inputs?: RawStepInputs; now?: string; observed?: Observations; outcome: CheckOutcome; expect: Expect }
interface FixtureFile { step: string; now?: string; inputs: RawStepInputs; cases: Case[] }

function check(r: StepResult, e: Expect, label: string): void {
  const dump = `${label}\n${JSON.stringify(r, null, 1)}`;
  assert.equal(r.status, e.status, dump);
  assert.ok((STATUSES as readonly string[]).includes(r.status));
  assert.ok(r.summary.length > 0 && r.summary.length <= 120 && !r.summary.includes('\n'), `summary is one short line: ${dump}`);
  assert.ok(r.reason.length > 0, dump);
  if (e.summary !== undefined) assert.ok(r.summary.includes(e.summary), `summary should contain ${JSON.stringify(e.summary)}: ${dump}`);
  if (e.reason !== undefined) assert.ok(r.reason.includes(e.reason), `reason should contain ${JSON.stringify(e.reason)}: ${dump}`);
  if (e.code !== undefined) assert.ok((r.code ?? '').includes(e.code), `code should contain ${e.code}: ${dump}`);
  if (e.highRisk !== undefined) assert.equal(r.highRisk === true, e.highRisk, dump);
  if (e.policy !== undefined) assert.equal(r.policy !== undefined, e.policy, dump);
  for (const [label2, value] of Object.entries(e.evidence ?? {})) {
    const item = r.evidence.find((x) => x.label === label2 && x.value.includes(value));
    assert.ok(item, `evidence ${label2} should contain ${JSON.stringify(value)}: ${dump}`);
  }
}

describe('checks: evaluators decide on recorded output shapes', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();
  it('has a fixture file for every step', () => {
    const steps = files.map((f) => (JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as FixtureFile).step).sort();
    assert.deepEqual(steps, [
      'cbt-hardening', 'connector-config', 'connector-health', 'firewall-5986', 'https-listener', 'intune-rbac-role', 'kerberos-delegation',
      'listener-certificate', 'network-path-5986', 'ps-remoting', 'service-account-access', 'trusted-hosts',
    ]);
  });

  for (const file of files) {
    const fx = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as FixtureFile;
    describe(fx.step, () => {
      assert.ok(isStepId(fx.step));
      for (const c of fx.cases) {
        it(`${c.expect.status}: ${c.name}`, () => {
          const inputs = resolveInputs(c.inputs ?? fx.inputs);
          const now = new Date(c.now ?? fx.now ?? '2026-11-22T00:00:00Z');
          const r = evaluate(fx.step as StepId, c.outcome, { now, inputs, ...(c.observed ? { observed: c.observed } : {}) });
          assert.equal(r.stepId, fx.step);
          check(r, c.expect, `${file} / ${c.name}`);
        });
      }
    });
  }
});

describe('checks: evaluators never pass on errors', () => {
  const inputs = resolveInputs({ server: 'exch01.contoso.com', account: 'CONTOSO\\svc_sync' });
  const now = new Date('2026-11-22T00:00:00Z');
  const ids = ['service-account-access', 'kerberos-delegation', 'ps-remoting', 'https-listener', 'listener-certificate', 'cbt-hardening', 'trusted-hosts', 'firewall-5986', 'network-path-5986', 'intune-rbac-role', 'connector-health', 'connector-config'] as const;
  const garbage: CheckOutcome[] = [
    { kind: 'json', json: null },
    { kind: 'json', json: 'hello' },
    { kind: 'json', json: [] },
    { kind: 'json', json: { schema: 'ers.check/1', ok: true, data: null } },
    { kind: 'json', json: { schema: 'other', ok: true, data: {} } },
    { kind: 'json', json: { schema: 'ers.check/1', ok: 'yes', data: {} } },
    { kind: 'json', json: { schema: 'ers.check/1', ok: false, error: null } },
    { kind: 'error', error: {} },
    { kind: 'error', error: { fullyQualifiedErrorId: 'AccessDenied,PSSessionStateBroken', message: 'Connecting to remote server exch01.contoso.com failed with the following error message : Access is denied.' } },
  ];
  for (const id of ids) {
    it(`${id}: malformed or failed output is "error", never pass`, () => {
      for (const g of garbage) {
        const r = evaluate(id, g, { now, inputs });
        assert.equal(r.status, 'error', `${id} ${JSON.stringify(g)} → ${JSON.stringify(r)}`);
      }
    });
    it(`${id}: data of unexpected shape gives no pass`, () => {
      const r = evaluate(id, { kind: 'json', json: { schema: 'ers.check/1', step: id, ok: true, elevated: true, data: { unexpected: [1, 2, 3] } } }, { now, inputs });
      assert.notEqual(r.status, 'pass', JSON.stringify(r));
    });
  }

  it('rejects output of another step', () => {
    const r = evaluate('cbt-hardening', { kind: 'json', json: { schema: 'ers.check/1', step: 'ps-remoting', ok: true, data: {} } }, { now, inputs });
    assert.equal(r.status, 'error');
  });
});

describe('checks: certificate bands (60/30 days) with an injected clock', () => {
  const inputs = resolveInputs({ server: 'exch01.contoso.com' });
  const out = (notAfter: string): CheckOutcome => ({ kind: 'json', json: { schema: 'ers.check/1', step: 'listener-certificate', ok: true, elevated: true, data: { https: [{ address: '*', port: 5986, enabled: 'true', certificateThumbprint: 'AA'.repeat(20), certificate: { thumbprint: 'AA'.repeat(20), subject: 'CN=exch01.contoso.com', issuer: 'CN=CA', dnsNames: ['exch01.contoso.com'], ekus: [], notBefore: '2026-01-01T00:00:00Z', notAfter, hasPrivateKey: true } }], candidates: [] } } });
  const now = new Date('2026-11-22T00:00:00Z');
  for (const [days, status] of [[400, 'pass'], [60, 'pass'], [59, 'warn'], [30, 'warn'], [29, 'fail'], [0, 'fail'], [-1, 'fail']] as const) {
    it(`${days} days left → ${status}`, () => {
      const notAfter = new Date(now.getTime() + days * 86_400_000 + 3_600_000).toISOString();
      assert.equal(evaluate('listener-certificate', out(notAfter), { now, inputs }).status, status);
    });
  }
  it('uses configurable thresholds', () => {
    const custom = resolveInputs({ server: 'exch01.contoso.com', certWarnDays: 90, certFailDays: 45 });
    const notAfter = new Date(now.getTime() + 50 * 86_400_000 + 3_600_000).toISOString();
    assert.equal(evaluate('listener-certificate', out(notAfter), { now, inputs: custom }).status, 'warn');
    assert.equal(evaluate('listener-certificate', out(notAfter), { now: new Date(now.getTime() + 10 * 86_400_000), inputs: custom }).status, 'fail');
  });
});

describe('checks: a recorded Windows PowerShell 5.1 stdout with noise around the markers', () => {
  it('extracts the result and evaluates it', () => {
    const stdout = readFileSync(path.join(FIXTURES, 'cbt-hardening.stdout-ps51.txt'), 'utf8');
    const x = extractResult(stdout, 'Fx7Q2m9KzA');
    assert.ok(x.ok);
    const r = evaluate('cbt-hardening', { kind: 'json', json: x.json }, { now: new Date('2026-11-22T00:00:00Z'), inputs: resolveInputs({ server: 'exch01.contoso.com' }) });
    assert.equal(r.status, 'pass');
    assert.equal(r.summary, 'Relaxed');
  });
});

describe('checks: evaluators on the shapes the Pester tier recorded from the real scripts', () => {
  const dir = path.join(FIXTURES, 'recorded');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  it('has a recorded file for every step', () => assert.equal(files.length, 12));
  for (const file of files) {
    const fx = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as FixtureFile & { cases: (Case & { expect: { status: string; summary: string } })[] };
    it(`${fx.step}: ${fx.cases.length} recorded runs keep their verdicts`, () => {
      assert.ok(fx.cases.length >= 1);
      for (const c of fx.cases) {
        const r = evaluate(fx.step as StepId, c.outcome, { now: new Date(c.now ?? '2026-11-22T00:00:00Z'), inputs: resolveInputs(c.inputs ?? { server: 'exch01.contoso.com' }), ...(c.observed ? { observed: c.observed } : {}) });
        assert.equal(r.status, c.expect.status, `${c.name}: ${r.summary}`);
        assert.equal(r.summary, c.expect.summary, c.name);
      }
    });
  }
});
