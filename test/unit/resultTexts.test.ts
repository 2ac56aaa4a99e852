// Every summary and reason an evaluator writes exists in German too (the same kind of check as the l10n bundle):
// the texts the sources spell out, and every text the evaluators produce on all recorded outputs (hand-written
// shapes and the Pester tier's recorded runs), translate; each German entry keeps its placeholders; no entry is stale.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { evaluate } from '../../src/checks/evaluate';
import { resolveInputs, type RawStepInputs } from '../../src/checks/inputs';
import { germanResultText, localizeResult, resultTextKey } from '../../src/checks/resultText';
import { RESULT_TEXTS_DE } from '../../src/checks/resultTexts.de';
import type { StepId } from '../../src/checks/status';
import type { CheckOutcome, Observations, StepResult } from '../../src/checks/types';
import { networkPathFromProbe } from '../../src/execution/probeStep';
import { VERDICTS, type Severity, type Verdict } from '../../src/probe/types';

const root = path.join(__dirname, '..', '..', '..');
const FIXTURES = path.join(root, 'test', 'fixtures', 'check-output');

interface Case { name: string; inputs?: RawStepInputs; now?: string; observed?: Observations; outcome: CheckOutcome }
interface FixtureFile { step: string; now?: string; inputs?: RawStepInputs; cases: Case[] }

function fixtureResults(): StepResult[] {
  const out: StepResult[] = [];
  for (const dir of [FIXTURES, path.join(FIXTURES, 'recorded')]) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const fx = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as FixtureFile;
      for (const c of fx.cases) {
        const inputs = resolveInputs(c.inputs ?? fx.inputs ?? { server: 'exch01.contoso.com' });
        out.push(evaluate(fx.step as StepId, c.outcome, { now: new Date(c.now ?? fx.now ?? '2026-11-22T00:00:00Z'), inputs, ...(c.observed ? { observed: c.observed } : {}) }));
      }
    }
  }
  return out;
}

/** The texts the sources spell out: literal summaries, reasons, hints and the fragments pushed into them; simple templates with {n}. */
function sourceTexts(): string[] {
  const files = [
    ...readdirSync(path.join(root, 'src', 'checks', 'steps')).map((n) => path.join(root, 'src', 'checks', 'steps', n)),
    path.join(root, 'src', 'checks', 'envelope.ts'), path.join(root, 'src', 'checks', 'errors.ts'), path.join(root, 'src', 'checks', 'evaluate.ts'),
  ];
  const texts = new Set<string>();
  const unescape = (s: string): string => s.replace(/\\'/g, "'").replace(/\\\\/g, '\\');
  for (const file of files) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/\b(?:summary|reason|hint|what): '((?:[^'\\]|\\.)*)'/g)) texts.add(unescape(m[1] ?? ''));
    for (const m of src.matchAll(/\b(?:problems|warnings|unverified)\.push\('((?:[^'\\]|\\.)*)'\)/g)) texts.add(unescape(m[1] ?? ''));
    for (const m of src.matchAll(/\b(?:summary|reason|hint): `([^`]*)`/g)) {
      const body = m[1] ?? '';
      if (/\$\{[^}]*['"?]/.test(body)) continue; // conditional pieces: covered by the produced texts below
      let n = 0;
      texts.add(unescape(body.replace(/\$\{[^}]*\}/g, () => `{${n++}}`)));
    }
    for (const m of src.matchAll(/\b(?:problems|warnings|unverified)\.push\(`([^`]*)`\)/g)) {
      let n = 0;
      if (!/\$\{[^}]*['"?]/.test(m[1] ?? '')) texts.add(unescape((m[1] ?? '').replace(/\$\{[^}]*\}/g, () => `{${n++}}`)));
    }
  }
  texts.delete('');
  return [...texts];
}

/** Every string and simple template literal of the evaluator sources, as keys (for the stale-entry check). */
function sourceLiterals(): string[] {
  const dir = path.join(root, 'src', 'checks', 'steps');
  const out: string[] = [];
  for (const file of [...readdirSync(dir).map((n) => path.join(dir, n)), path.join(root, 'src', 'checks', 'errors.ts'), path.join(root, 'src', 'checks', 'envelope.ts'), path.join(root, 'src', 'execution', 'probeStep.ts')]) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/'((?:[^'\\\n]|\\.)*)'/g)) out.push((m[1] ?? '').replace(/\\'/g, "'").replace(/\\\\/g, '\\'));
    for (const m of src.matchAll(/`([^`]*)`/g)) { let n = 0; out.push((m[1] ?? '').replace(/\$\{[^}]*\}/g, () => `{${n++}}`).replace(/\\\\/g, '\\')); }
  }
  return out;
}

/** Results that are a bare value (the CBT level itself) need no translation. */
const VALUE_ONLY = /^(Strict|Relaxed|None)$/;

describe('German evaluator texts', () => {
  const results = fixtureResults();
  const produced = [...new Set(results.flatMap((r) => [r.summary, r.reason]))];

  it('every summary and reason the sources spell out has a German entry', () => {
    // A key with no words of its own ("{0}: {1} ({2})") only joins translated parts.
    const missing = sourceTexts().filter((t) => RESULT_TEXTS_DE[t] === undefined && /[A-Za-z]/.test(t.replace(/\{\d+\}/g, '')));
    assert.deepEqual(missing, []);
  });

  it('every summary and reason the evaluators produce on the recorded outputs translates', () => {
    assert.ok(results.length > 100, `${results.length} results`);
    const untranslated = produced.filter((t) => !VALUE_ONLY.test(t) && (germanResultText(t) === undefined || germanResultText(t) === t));
    assert.deepEqual(untranslated, []);
  });

  it('each German entry keeps the placeholders of its English key, and no entry is stale', () => {
    const ph = (s: string): string[] => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
    for (const [en, de] of Object.entries(RESULT_TEXTS_DE)) {
      assert.deepEqual(ph(de), ph(en), `placeholders differ for "${en}"`);
      assert.notEqual(de.trim(), '', en);
    }
    const used = new Set<string>([...sourceTexts(), ...sourceLiterals()]);
    for (const t of produced) { germanResultText(t, 0, used); const k = resultTextKey(t); if (k) used.add(k); }
    const stale = Object.keys(RESULT_TEXTS_DE).filter((k) => !used.has(k));
    assert.deepEqual(stale, [], 'German entries no evaluator text uses');
  });

  it('every summary of the network-path step decided by the probe translates, none half ("Zertifikat expired")', () => {
    const cert = { subject: 'CN=exch01.contoso.com', issuer: 'CN=Contoso CA', sanDns: ['exch01.contoso.com'], sanIp: [], notBefore: '2026-01-01T00:00:00Z', notAfter: '2026-12-20T00:00:00Z', daysRemaining: 19, thumbprint: '6A8D7E5537D441190FD72C7C2E879A064072CE0F', serialNumber: '01', selfSigned: false, trusted: true };
    const severity = (v: Verdict): Severity => (v === 'ok' || v === 'self-signed-trusted' ? 'ok' : v === 'error' ? 'unknown' : ['expiring', 'thumbprint-mismatch', 'wsman-auth-required', 'wsman-failed'].includes(v) ? 'warning' : 'critical');
    const summaries = Object.values(VERDICTS).map((v) => networkPathFromProbe({
      host: 'exch01.contoso.com', port: 5986, address: '10.0.5.10', elapsedMs: 3, verdict: v, severity: severity(v),
      findings: [{ code: v, severity: severity(v), message: 'x' }], ...(['dns-failure', 'refused', 'timeout', 'unreachable', 'not-tls', 'tls-failed'].includes(v) ? {} : { certificate: cert }),
    }).summary);
    assert.deepEqual(summaries.filter((t) => { const de = germanResultText(t); return de === undefined || /\b(Certificate|expired|trusted|answers|reachable|failed|needs|from here|decide)\b/.test(de); }), []);
  });

  it('translates inserted fragments and joined parts, keeps data values, and leaves English alone', () => {
    assert.equal(germanResultText('WinRM is Stopped; WinRM starts Disabled'), 'WinRM ist Stopped; WinRM startet Disabled');
    assert.equal(germanResultText('Allowed via BUILTIN\\Remote Management Users'), 'Zugelassen über BUILTIN\\Remote Management Users');
    assert.equal(germanResultText('Needs elevation: The check could not run: access denied'), 'Erhöhte Rechte nötig: Prüfung nicht möglich: Zugriff verweigert');
    const r = { summary: 'No HTTPS listener', reason: 'WinRM has no HTTPS listener. Create one on port 5986 with a certificate for exch01.contoso.com.' };
    assert.deepEqual(localizeResult(r, 'en'), r);
    assert.equal(localizeResult(r, 'de').reason, 'WinRM hat keinen HTTPS-Listener. Legen Sie einen auf Port 5986 mit einem Zertifikat für exch01.contoso.com an.');
  });
});
