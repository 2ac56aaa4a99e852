// Every evidence label a user reads exists in German too (the same kind of check as the l10n bundle and the
// evaluator texts): each label the sources write has an entry in evidenceLabels.de.ts with the same placeholders,
// each label the evaluators produce on the recorded outputs translates, a label computed from an expression is one
// of the known data labels, no entry is stale, and the German UI shows the German labels.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EVIDENCE_LABELS_DE } from '../../src/checks/evidenceLabels.de';
import { evidenceLabelKey, germanEvidenceLabel, localizeResult } from '../../src/checks/resultText';
import type { StepResult } from '../../src/checks/types';
import { networkPathFromProbe } from '../../src/execution/probeStep';
import { fixtureResults } from './helpers/checkFixtureResults';
import { VERDICTS, type ProbeReport } from '../../src/probe/types';
import { CLOUD_URL_LABEL } from '../../src/checks/steps/connectorConfig';

const root = path.join(__dirname, '..', '..', '..');

/** Where evidence is written: the evaluators, the envelope, the probe step, the execution layer, manual confirmation. */
const SOURCES = [
  ...readdirSync(path.join(root, 'src', 'checks', 'steps')).map((n) => path.join('src', 'checks', 'steps', n)),
  'src/checks/envelope.ts', 'src/checks/evaluate.ts', 'src/execution/probeStep.ts', 'src/execution/stepResults.ts',
  'src/execution/checkService.ts', 'src/tree/checkCommands.ts',
];
/** Files that also hold quick-pick items with labels: only their evidence is read. */
const EVIDENCE_ONLY = new Set(['src/tree/checkCommands.ts']);

/** Labels that are data, by the expression that writes them: a firewall rule's name, a WSMan auth setting's name, a probe finding's code. */
const DATA_LABELS = ['r.name', "str(a.name) ?? '?'", 'f.code',
  // the connector's configuration file names (entries that stay as they are)
  'f.name || FILE_NAMES[f.kind] || f.kind', 'FILE_NAMES[k] ?? k'];
/** Labels named once as a constant (they are also matched elsewhere): read as their value. */
const CONSTANT_LABELS: Readonly<Record<string, string>> = { CLOUD_URL_LABEL };

interface SourceLabels { literal: string[]; computed: string[] }
function sourceLabels(): SourceLabels {
  const literal = new Set<string>();
  const computed: string[] = [];
  for (const rel of SOURCES) {
    const src = readFileSync(path.join(root, rel), 'utf8');
    const re = EVIDENCE_ONLY.has(rel) ? /\bevidence: \[\{ label: (?:vscode\.l10n\.t\()?('(?:[^'\\]|\\.)*'|`[^`]*`|[^,}]+)/g : /\blabel: (?:vscode\.l10n\.t\()?('(?:[^'\\]|\\.)*'|`[^`]*`|[^,}]+)/g;
    for (const m of src.matchAll(re)) {
      const expr = (m[1] ?? '').trim();
      if (expr.startsWith("'")) literal.add(expr.slice(1, -1).replace(/\\'/g, "'").replace(/\\\\/g, '\\'));
      else if (expr.startsWith('`')) { let n = 0; literal.add(expr.slice(1, -1).replace(/\$\{[^}]*\}/g, () => `{${n++}}`).replace(/\\\\/g, '\\')); }
      else if (CONSTANT_LABELS[expr] !== undefined) literal.add(CONSTANT_LABELS[expr]);
      else computed.push(`${rel}: ${expr}`);
    }
  }
  return { literal: [...literal], computed };
}

/** A probe report of a listener whose trusted certificate expires soon (the shape probe.ts returns). */
const PROBE: ProbeReport = {
  host: 'exch01.contoso.com', port: 5986, address: '10.0.5.10', elapsedMs: 41, severity: 'warning', verdict: 'expiring',
  tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
  certificate: {
    subject: 'CN=exch01.contoso.com', subjectCn: 'exch01.contoso.com', issuer: 'CN=Contoso Issuing CA 01', sanDns: ['exch01.contoso.com'], sanIp: [],
    notBefore: '2026-01-01T00:00:00Z', notAfter: '2026-12-20T00:00:00Z', daysRemaining: 19, thumbprint: '6A8D7E5537D441190FD72C7C2E879A064072CE0F',
    serialNumber: '01', selfSigned: false, trusted: true, trustedBy: 'the machine\'s store', matchedName: 'exch01.contoso.com',
  },
  wsman: { status: 200, productVendor: 'Microsoft Corporation', productVersion: 'OS: 0.0.0 SP: 0.0 Stack: 3.0' },
  findings: [{ code: 'expiring', severity: 'warning', message: 'The certificate expires in 19 days.' }],
  trustStore: 'the machine\'s store',
};

describe('German evidence labels', () => {
  const labels = sourceLabels();
  const results = [...fixtureResults(), networkPathFromProbe(PROBE)];

  it('every label the sources write has a German entry with the same placeholders', () => {
    assert.ok(labels.literal.length > 40, `${labels.literal.length} labels found`);
    assert.deepEqual(labels.literal.filter((l) => EVIDENCE_LABELS_DE[l] === undefined), [], 'labels without German');
    const ph = (s: string): string[] => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
    for (const [en, de] of Object.entries(EVIDENCE_LABELS_DE)) {
      assert.deepEqual(ph(de), ph(en), `placeholders differ for "${en}"`);
      assert.notEqual(de.trim(), '', en);
    }
  });

  it('a label computed from an expression is one of the known data labels', () => {
    assert.deepEqual(labels.computed.map((c) => c.replace(/^.*?: /, '')).filter((e) => !DATA_LABELS.includes(e)), [], labels.computed.join('\n'));
  });

  it('every label the evaluators produce on the recorded outputs translates, data labels aside', () => {
    assert.ok(results.length > 100);
    // Data labels: the firewall rules' names, the WSMan auth settings' names and the probe's finding codes.
    const codes: readonly string[] = Object.values(VERDICTS);
    const data = (r: StepResult, label: string): boolean => ((r.stepId === 'firewall-5986' || r.stepId === 'cbt-hardening') && !labels.literal.includes(label)) || (r.stepId === 'network-path-5986' && codes.includes(label));
    const untranslated = [...new Set(results.flatMap((r) => r.evidence.filter((e) => evidenceLabelKey(e.label) === undefined && !data(r, e.label)).map((e) => `${r.stepId}: ${e.label}`)))];
    assert.deepEqual(untranslated, []);
  });

  it('has no stale entry', () => {
    const used = new Set(labels.literal);
    for (const r of results) for (const e of r.evidence) { const k = evidenceLabelKey(e.label); if (k) used.add(k); }
    assert.deepEqual(Object.keys(EVIDENCE_LABELS_DE).filter((k) => !used.has(k)), []);
  });

  it('the German UI shows German labels and leaves values and data labels alone; English stays English', () => {
    assert.equal(germanEvidenceLabel('Role Intune Exchange Connector'), 'Rolle Intune Exchange Connector');
    assert.equal(germanEvidenceLabel('Events in the last 130 min'), 'Ereignisse der letzten 130 min');
    assert.equal(germanEvidenceLabel('HTTPS *:5986'), 'HTTPS *:5986');
    assert.equal(germanEvidenceLabel('ERS-WinRM-HTTPS-In-5986'), 'ERS-WinRM-HTTPS-In-5986');
    const r = { summary: 'No HTTPS listener', reason: 'x', evidence: [{ label: 'Resolves to', value: '10.0.5.10' }, { label: 'WINRM-HTTP-In-TCP', value: 'enabled' }] };
    assert.deepEqual(localizeResult(r, 'en'), r);
    assert.deepEqual(localizeResult(r, 'de').evidence, [{ label: 'Aufgelöst zu', value: '10.0.5.10' }, { label: 'WINRM-HTTP-In-TCP', value: 'enabled' }]);
    const probe = localizeResult(networkPathFromProbe(PROBE), 'de').evidence.map((e) => e.label);
    assert.ok(probe.includes('Ziel') && probe.includes('Vertrauen') && probe.includes('Dauer'), probe.join(', '));
  });
});
