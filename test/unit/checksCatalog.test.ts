import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'node:assert/strict';
import { CATALOG, catalogData, getStep, stepsFor } from '../../src/checks/catalog';
import { resolveInputs } from '../../src/checks/inputs';
import { RISK_LEVELS, STEP_IDS, WHERE } from '../../src/checks/status';

/** The checklist: every number names one step, so a user can refer to each (issue 18 item 6: 8 and 9 were both 8). */
const REQUIRED: Record<string, string[]> = {
  '1': ['service-account-access'],
  '2': ['kerberos-delegation'],
  '3': ['ps-remoting'],
  '4': ['https-listener'],
  '5': ['listener-certificate'],
  '6': ['cbt-hardening'],
  '7': ['trusted-hosts'],
  '8': ['firewall-5986'],
  '9': ['network-path-5986'],
  '10': ['intune-rbac-role'],
  '11': ['connector-health'],
  '12': ['connector-config'],
};

describe('checks: the catalog is complete', () => {
  const inputs = resolveInputs({ server: 'exch01.contoso.com', account: 'CONTOSO\\svc' });

  for (const [number, ids] of Object.entries(REQUIRED)) {
    for (const id of ids) {
      it(`step ${number} (${id}) has a check, a remediation and an evaluator`, () => {
        const step = CATALOG.find((s) => s.id === id);
        assert.ok(step, `missing step ${id}`);
        assert.equal(step.number, number);
        assert.equal(typeof step.checkBody, 'function');
        assert.equal(typeof step.remediationBody, 'function');
        assert.equal(typeof step.evaluate, 'function');
        assert.ok(step.checkBody(inputs).trim().length > 50, 'check body');
        assert.ok(step.remediationBody(inputs).trim().length > 50, 'remediation body');
        const r = step.evaluate({ kind: 'error', error: { fullyQualifiedErrorId: 'x' } }, { now: new Date(0), inputs });
        assert.equal(r.status, 'error');
      });
    }
  }

  it('lists the ids once, in STEP_IDS order', () => {
    assert.deepEqual(CATALOG.map((s) => s.id), [...STEP_IDS]);
    assert.equal(new Set(STEP_IDS).size, STEP_IDS.length);
    assert.equal(getStep('cbt-hardening').id, 'cbt-hardening');
  });

  for (const step of CATALOG) {
    it(`${step.id}: data fields are filled in English and German`, () => {
      for (const t of [step.title, step.explanation, step.whereDetail, step.remediation.changes, step.remediation.riskNote, step.remediation.saferAlternative]) {
        assert.ok(t.en.trim().length > 3 && t.de.trim().length > 3);
        assert.notEqual(t.en, t.de === 'Entfällt.' ? '' : t.de);
        assert.ok(!/[\r\n]/.test(t.en + t.de), 'one paragraph');
      }
      assert.ok((WHERE as readonly string[]).includes(step.where));
      assert.ok((RISK_LEVELS as readonly string[]).includes(step.remediation.risk));
      assert.match(step.docLink, /^https:\/\//);
      assert.ok(step.profiles.length > 0);
      assert.equal(typeof step.needsElevation, 'boolean');
      assert.equal(typeof step.remediation.restartsWinRM, 'boolean');
    });
  }

  it('marks the facts the issue and the step document name', () => {
    assert.equal(getStep('ps-remoting').remediation.restartsWinRM, true);
    assert.ok(CATALOG.filter((s) => s.id !== 'ps-remoting').every((s) => !s.remediation.restartsWinRM));
    assert.equal(getStep('kerberos-delegation').remediation.risk, 'high');
    assert.equal(getStep('kerberos-delegation').where, 'domain');
    assert.equal(getStep('trusted-hosts').where, 'client');
    assert.deepEqual(stepsFor('intune').map((s) => s.id), ['intune-rbac-role', 'connector-health', 'connector-config']);
    assert.equal(stepsFor('remoting').length, 9);
    assert.deepEqual(stepsFor('remoting', 'exchangeServer').map((s) => s.id), ['service-account-access', 'ps-remoting', 'https-listener', 'listener-certificate', 'cbt-hardening', 'firewall-5986']);
  });

  it('serialises the catalog as plain data', () => {
    const data = JSON.parse(JSON.stringify(catalogData())) as { id: string; title: { de: string } }[];
    assert.equal(data.length, CATALOG.length);
    assert.equal(data[0]?.title.de, 'Dienstkonto darf Remote-PowerShell verwenden');
  });

  it('kerberos-delegation never sends an administrator down a path that cannot carry the WinRM second hop (Microsoft\'s second-hop article, linked)', () => {
    const k = getStep('kerberos-delegation');
    const link = 'https://learn.microsoft.com/powershell/scripting/security/remoting/ps-remoting-second-hop';
    for (const text of [k.remediation.saferAlternative.en, k.remediation.saferAlternative.de]) {
      assert.ok(text.includes(link), 'links the second-hop article');
      assert.doesNotMatch(text, /Set-ADComputer -PrincipalsAllowedToDelegateToAccount|protocol transition|Protokollübergang/, 'no constrained or resource-based delegation recipe');
    }
    assert.match(k.remediation.saferAlternative.en, /neither supports the second hop for WinRM/);
    assert.match(k.remediation.saferAlternative.de, /keine von beiden den zweiten Hop für WinRM/);
    assert.equal(k.docLink, link);
  });

  it('the Intune connector steps say it is retired (2020, support ended 2024) and name its replacement, in both languages; so does the README', () => {
    for (const id of ['intune-rbac-role', 'connector-health', 'connector-config'] as const) {
      const e = getStep(id).explanation;
      assert.match(e.en, /^Retired: .*2020.*early 2024.*Exchange hybrid modern authentication with Conditional Access/);
      assert.match(e.de, /^Eingestellt: .*2020.*Anfang 2024.*Exchange-Hybrid mit moderner Authentifizierung und bedingtem Zugriff/);
    }
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    assert.match(readme, /connector is retired: Microsoft stopped new installations in 2020 and ended its support in early 2024/);
  });
});
