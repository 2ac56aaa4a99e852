// German as German Windows and Exchange administrators read it: no English leaking into German runtime strings, no
// count glued to a plural noun ("1 Ereignisse"), the terms German Windows and Exchange show, unique step numbers.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG, RISK_LEVELS } from '../../src/checks';
import { EVIDENCE_LABELS_DE } from '../../src/checks/evidenceLabels.de';
import { PROBE_RESULT_TEXTS_DE } from '../../src/checks/resultTexts.probe.de';
import { describeTarget } from '../../src/execution/plan';
import { buildReport } from '../../src/report/model';
import { renderReport } from '../../src/report/render';
import { parseServer } from '../../src/servers/server';
import { VIEWER_UI_STRINGS } from '../../src/traceViewer/uiStrings';
import { connectionName, presentStep, riskName } from '../../src/tree/presentation';

const root = join(__dirname, '..', '..', '..');
const de = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<string, string>;
const nlsDe = JSON.parse(readFileSync(join(root, 'package.nls.de.json'), 'utf8')) as Record<string, string>;
/** vscode.l10n.t with the German bundle, placeholders filled. */
const t = (s: string, ...args: (string | number)[]): string => (de[s] ?? s).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));

/** English words that must not appear in German text (case-sensitive: "Port 5986" is German, "port 5986" is not). */
const LEAKS: readonly [string, RegExp][] = [
  ['low', /\blow\b/], ['medium', /\bmedium\b/], ['high', /\bhigh\b/], ['over', /\bover\b/], ['this machine', /this machine/i], ['port', /\bport\b/],
];
/** A count directly before a plural noun reads "1 Ereignisse" for one; use "Ereignisse: 1" or a singular/plural pair. */
const GLUED = /(?:\{\d+\}|\$\{[^}]+\}|\b\d+)\s+(?:Trace-)?(?:Ereignisse|Warnungen|Fehler|Bereiche|Zeilen|Dateien|Server|Schritte|Aktivitäten|Treffer|Minuten|Zertifikate)\b|\w\((?:n|en|e|s)\)/;

/**
 * A bundle entry may glue a count to its noun when it is one half of a singular/plural pair: "1 server" (the literal
 * one, whose German noun may look plural: "1 Server") or "{0} warnings" when "1 warning" is also in the bundle.
 */
function pairedCount(key: string | undefined, keys: ReadonlySet<string>): boolean {
  if (key === undefined) return false;
  if (/(^|[^\w{])1 [a-z]+(?<!s)\b/.test(key)) return true;
  const plain = (k: string) => k.replace(/\{\d+\}/g, '{}');
  const singular = plain(key).replace(/\{\} ([a-z]+)s\b/, '1 $1');
  return singular !== plain(key) && [...keys].some((k) => plain(k) === singular);
}

function problems(texts: readonly (readonly [string, string, string?])[], keys: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (const [where, raw, key] of texts) {
    const text = raw.replace(/`[^`]*`/g, '`…`'); // code and setting names in backticks are not prose
    for (const [word, re] of LEAKS) if (re.test(text)) out.push(`${where}: English "${word}" in "${text.slice(0, 160)}"`);
    const g = GLUED.exec(text);
    if (g && !pairedCount(key, keys)) out.push(`${where}: count glued to a plural noun ("${g[0]}") in "${text.slice(0, 160)}"`);
  }
  return out;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : n.endsWith('.ts') ? [p] : [];
  });
}

describe('German UI as German administrators read it', () => {
  it('finds the leaks it is meant to find (the check itself)', () => {
    assert.equal(problems([['x', 'Risiko: low — ändert nichts']]).length, 1);
    assert.equal(problems([['x', 'exch01 over WinRM HTTPS (port 5986)']]).length, 2);
    assert.equal(problems([['x', 'this machine (local PowerShell)']]).length, 1);
    assert.equal(problems([['x', '1 Ereignisse']]).length, 1);
    assert.equal(problems([['x', '{0} Zeile(n) wurden übersprungen.']]).length, 1);
    assert.equal(problems([['x', '${formatCount(n)} beschädigte Bereiche'.replace('b', 'B')]]).length, 1);
    assert.deepEqual(problems([['x', 'Ereignisse: 1 · Port 5986 · Risiko: Mittel · sofern `port` nichts anderes angibt']]), []);
    // Halves of a singular/plural pair are fine; a plural without its singular is not.
    const pair = new Set(['1 warning', '{0} warnings', 'Report of 1 server saved to {0}.', 'Report of {0} servers saved to {1}.']);
    assert.deepEqual(problems([['a', '{0} Warnungen', '{0} warnings'], ['b', 'Bericht über 1 Server gespeichert unter {0}.', 'Report of 1 server saved to {0}.'], ['c', 'Bericht über {0} Server gespeichert unter {1}.', 'Report of {0} servers saved to {1}.']], pair), []);
    assert.equal(problems([['d', '{0} Dateien', '{0} files']], pair).length, 1);
  });

  it('has no English word and no glued count in the German bundle, manifest strings and evidence labels', () => {
    assert.deepEqual(problems([
      ...Object.entries(de).map(([k, v]) => [`bundle "${k}"`, v, k] as const),
      ...Object.entries(nlsDe).map(([k, v]) => [`package.nls.de.json ${k}`, v] as const),
      ...Object.entries(EVIDENCE_LABELS_DE).map(([k, v]) => [`evidence label "${k}"`, v] as const),
    ], new Set(Object.keys(de))), []);
  });

  it('has none in the probe\'s German reasons, counts as "Label: n", and the terms German Windows shows', () => {
    const texts = Object.entries(PROBE_RESULT_TEXTS_DE);
    assert.deepEqual(problems(texts.map(([k, v]) => [`probe text "${k.slice(0, 60)}"`, v] as const)), []);
    assert.deepEqual(texts.filter(([, v]) => /(?:\{\d+\}|\b\d+)\s+Tage/.test(v)).map(([k]) => k), [], '"in 1 Tagen": a count glued to days');
    const all = texts.map(([, v]) => v).join('\n');
    assert.match(all, /Vertrauenswürdigen Stammzertifizierungsstellen/);
    assert.doesNotMatch(all, /Trusted Root|Rechner|Anmeldedaten|<thumbprint>|<file>/);
  });

  it('has none in the German catalog texts either (titles, explanations, remediation notes)', () => {
    const texts: [string, string][] = [];
    for (const s of CATALOG) {
      texts.push([`${s.id} title`, s.title.de], [`${s.id} explanation`, s.explanation.de], [`${s.id} whereDetail`, s.whereDetail.de],
        [`${s.id} changes`, s.remediation.changes.de], [`${s.id} riskNote`, s.remediation.riskNote.de], [`${s.id} saferAlternative`, s.remediation.saferAlternative.de]);
    }
    assert.deepEqual(problems(texts), []);
  });

  it('puts German words where the UI inserts a value: target, risk level, connection, report columns, tooltips', () => {
    const server = parseServer({ fqdn: 'exch01.contoso.com', connection: 'https' });
    const composed: [string, string][] = [
      ['target local', describeTarget({ kind: 'local' }, server, 'de')],
      ['target https', describeTarget({ kind: 'https', port: 5986 }, server, 'de')],
      ['target http-kerberos', describeTarget({ kind: 'http-kerberos' }, server, 'de')],
      ['target exchange', describeTarget({ kind: 'exchange' } as never, server, 'de')],
      ...RISK_LEVELS.map((r) => [`risk ${r}`, `Risiko: ${riskName(r, t)}`] as [string, string]),
      ...(['https', 'http-kerberos', 'local', 'ssh'] as const).map((c) => [`connection ${c}`, connectionName(c, t)] as [string, string]),
    ];
    assert.deepEqual(problems(composed), []);
    assert.equal(describeTarget({ kind: 'https', port: 5986 }, server, 'de'), 'exch01.contoso.com über WinRM HTTPS (Port 5986)');
    assert.deepEqual(RISK_LEVELS.map((r) => riskName(r, t)), ['Niedrig', 'Mittel', 'Hoch']);

    const report = buildReport({
      servers: [parseServer({ fqdn: 'exch01.contoso.com', connection: 'http-kerberos' }), parseServer({ fqdn: 'exch02.contoso.com', profile: 'intune' })],
      stepsFor: (s) => [{ id: s.profile === 'intune' ? 'connector-health' : 'ps-remoting', title: 'Schritt' }],
      resultOf: () => undefined, now: new Date('2026-12-01T12:00:00Z'), staleAfterMinutes: 1, generator: 'test',
    });
    for (const format of ['md', 'html'] as const) {
      const text = renderReport(report, format, 'de');
      assert.match(text, /PowerShell\\?-Remoting/);
      assert.match(text, /Intune Exchange\\?-Connector/);
      assert.match(text, /WinRM über HTTP mit Kerberos/);
      assert.doesNotMatch(text, /(?<![-\w])(remoting|intune|http-kerberos)(?![-.\w])/, 'no raw profile or connection id');
      assert.match(text, /älter als 1 Minute sind/, 'singular for one minute');
      assert.deepEqual(problems([[`report ${format}`, text.replace(/exch0\d\.contoso\.com/g, '')]]), []);
    }

    const row = presentStep({
      stepId: 'ps-remoting', title: 'PowerShell-Remoting aktiv, WinRM automatisch', explanation: 'Der Dienst „Windows-Remoteverwaltung (WS-Verwaltung)“ …',
      running: false, hasRemediation: true, manualAllowed: false, riskNote: `${riskName('medium', t)} — WinRM startet neu`, now: new Date(), staleAfterMinutes: 60,
    }, t);
    assert.match(row.tooltipMarkdown, /Risiko: Mittel — WinRM startet neu/);
    assert.match(row.tooltipMarkdown, /Windows\\-Remoteverwaltung \\\(WS\\-Verwaltung\\\)/, 'the full explanation is in the tooltip');
    assert.deepEqual(problems([['step tooltip', row.tooltipMarkdown]]), []);
  });

  it('never glues a count to a label in the trace viewer webview (Label: n, as VS Code shows counts)', () => {
    const glued: string[] = [];
    for (const file of tsFiles(join(root, 'media'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/formatCount\([^)]*\)\}\s*\$\{[^}]*\bt\('[^']*s'\)/g)) glued.push(`${file}: ${m[0]}`);
    }
    assert.deepEqual(glued, []);
  });

  it('translates the details pane labels and section titles the host builds (dto.ts)', () => {
    const dto = readFileSync(join(root, 'src', 'traceViewer', 'dto.ts'), 'utf8');
    const labels = new Set<string>();
    for (const call of dto.matchAll(/fields\(\[([\s\S]*?)\]\)/g)) for (const m of call[1]!.matchAll(/\[\s*'([^']+)',/g)) labels.add(m[1]!);
    for (const m of dto.matchAll(/title: '([^']+)'/g)) labels.add(m[1]!);
    assert.ok(labels.has('Computer') && labels.has('Offset') && labels.has('Event'), [...labels].join(', '));
    const listed = new Set(VIEWER_UI_STRINGS);
    const notXmlNames = [...labels].filter((l) => !['TraceRecord', 'ExtendedData', 'System.Diagnostics', 'AppDomain'].includes(l));
    assert.deepEqual(notXmlNames.filter((l) => !listed.has(l) || !(l in de)), [], 'labels without a German translation');
    assert.equal(t('Offset'), 'Byte-Position');
    assert.equal(t('Type'), 'Typ');
  });

  it('uses the terms German Windows and Exchange show', () => {
    const all = [...Object.values(de), ...Object.values(nlsDe), ...CATALOG.flatMap((s) => [s.title.de, s.explanation.de, s.remediation.changes.de, s.remediation.riskNote.de, s.remediation.saferAlternative.de])].join('\n');
    for (const wrong of [/Anmeldedaten/, /von Hand bestätigt/, /Gruppenrichtlinie (besitzt|den Wert besitzt)/, /nicht prüfbar"/, /Channel Binding Token/, /Kindrolle|Elternrolle/, /\bRechner\b/]) {
      assert.doesNotMatch(all, wrong);
    }
    assert.equal(nlsDe['command.refreshServers'], 'Serverliste aktualisieren');
    assert.equal(nlsDe['command.forgetCredentials'], 'Gespeicherte Anmeldeinformationen löschen…');
    assert.equal(de['Level'], 'Ebene');
    assert.equal(de['could not check'], 'Prüfung nicht möglich');
    assert.deepEqual(['Start', 'Stop', 'Suspend', 'Resume', 'Transfer'].map((x) => de[x]), ['Start', 'Stop', 'Suspend', 'Resume', 'Transfer'], 'event types as in the XML');
    assert.match(CATALOG.find((s) => s.id === 'cbt-hardening')!.explanation.de, /Kanalbindungstoken \(CBT\)/);
    assert.match(CATALOG.find((s) => s.id === 'ps-remoting')!.explanation.de, /Windows-Remoteverwaltung \(WS-Verwaltung\).*Automatisch \(Verzögerter Start\)/);
  });

  it('keeps German step titles short enough for a normal side bar, and gives every step its own number', () => {
    const long = CATALOG.filter((s) => s.title.de.length > 50).map((s) => `${s.id}: ${s.title.de} (${s.title.de.length})`);
    assert.deepEqual(long, []);
    const numbers = CATALOG.map((s) => s.number);
    assert.equal(new Set(numbers).size, numbers.length, `numbers: ${numbers.join(', ')}`);
  });
});
