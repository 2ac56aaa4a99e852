// Report renderers: Markdown (for tickets and wikis), self-contained HTML (for change tickets, opens in any
// browser, no script, no external resource), JSON. Pure; every value is escaped for its format.
import type { RowState } from '../state/rowState';
import type { Report, ReportServer, ReportStep } from './model';
import { addCounts, countStates, EMPTY_COUNTS, type StateCounts } from '../state/counts';
import { localTime, timeZoneName } from '../util/localTime';
import { escapeMarkdownInline } from '../util/markdown';

export const REPORT_FORMATS = ['md', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_LANGUAGES = ['en', 'de'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

/** The report's own words in the two languages of our users (values from servers stay as they are). */
const WORDS = {
  en: {
    title: 'Exchange remoting checklist',
    generated: (at: string, by: string, minutes: number) => `Generated ${at} by ${by}. Results older than ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} are marked stale.`,
    server: 'Server', profile: 'Profile', state: 'State', passed: 'Passed', step: 'Step', evidence: 'Evidence', checked: 'Checked',
    connection: 'Connection', serviceAccount: 'Service account', notes: 'Notes', details: 'Details', code: 'Code', policy: 'Group Policy',
    passedOf: (p: number, a: number) => `${p}/${a} passed`, stale: 'stale',
    confirmedBy: (by: string, at: string) => `confirmed by ${by} on ${at}`, never: 'never',
    failed: 'Failed', warned: 'Warnings', couldNotCheck: 'Could not check', notChecked: 'Not checked', notApplicable: 'N/A', total: 'All servers',
    timesIn: (tz: string) => `Times are local (${tz}).`, remediation: 'Remediation', restarts: 'WinRM restarts', risk: 'Risk', safer: 'Safer alternative',
    documentation: 'Documentation', yes: 'yes', no: 'no', signOff: 'Sign-off', preparedBy: 'Prepared by', reviewedBy: 'Reviewed by', approvedBy: 'Approved (change board)', date: 'Date',
    open: 'Open items', noOpen: 'No open items: every applicable step passed.',
    states: { pass: 'PASS', warn: 'WARN', fail: 'FAIL', error: 'ERROR (could not check)', notApplicable: 'N/A', unknown: 'NOT CHECKED', running: 'RUNNING', confirmed: 'CONFIRMED MANUALLY' } as Record<RowState, string>,
    profiles: { remoting: 'PowerShell remoting', intune: 'Intune Exchange connector' } as Record<string, string>,
    connections: { 'https': 'WinRM over HTTPS', 'http-kerberos': 'WinRM over HTTP with Kerberos', 'local': 'local PowerShell', 'ssh': 'PowerShell remoting over SSH' } as Record<string, string>,
  },
  de: {
    title: 'Exchange-Remoting-Checkliste',
    generated: (at: string, by: string, minutes: number) => `Erstellt ${at} von ${by}. Ergebnisse, die älter als ${minutes} ${minutes === 1 ? 'Minute' : 'Minuten'} sind, gelten als veraltet.`,
    server: 'Server', profile: 'Profil', state: 'Zustand', passed: 'Bestanden', step: 'Schritt', evidence: 'Nachweis', checked: 'Geprüft',
    connection: 'Verbindung', serviceAccount: 'Dienstkonto', notes: 'Notizen', details: 'Details', code: 'Code', policy: 'Gruppenrichtlinie',
    passedOf: (p: number, a: number) => `${p}/${a} bestanden`, stale: 'veraltet',
    confirmedBy: (by: string, at: string) => `bestätigt von ${by} am ${at}`, never: 'nie',
    failed: 'Fehlgeschlagen', warned: 'Warnungen', couldNotCheck: 'Prüfung nicht möglich', notChecked: 'Nicht geprüft', notApplicable: 'N/Z', total: 'Alle Server',
    timesIn: (tz: string) => `Zeiten in Ortszeit (${tz}).`, remediation: 'Korrektur', restarts: 'WinRM-Neustart', risk: 'Risiko', safer: 'Sicherere Alternative',
    documentation: 'Dokumentation', yes: 'ja', no: 'nein', signOff: 'Freigabe', preparedBy: 'Erstellt von', reviewedBy: 'Geprüft von', approvedBy: 'Genehmigt (Change Board)', date: 'Datum',
    open: 'Offene Punkte', noOpen: 'Keine offenen Punkte: jeder zutreffende Schritt ist bestanden.',
    states: { pass: 'BESTANDEN', warn: 'WARNUNG', fail: 'FEHLGESCHLAGEN', error: 'FEHLER (Prüfung nicht möglich)', notApplicable: 'N/Z', unknown: 'NICHT GEPRÜFT', running: 'LÄUFT', confirmed: 'MANUELL BESTÄTIGT' } as Record<RowState, string>,
    profiles: { remoting: 'PowerShell-Remoting', intune: 'Intune Exchange-Connector' } as Record<string, string>,
    connections: { 'https': 'WinRM über HTTPS', 'http-kerberos': 'WinRM über HTTP mit Kerberos', 'local': 'lokale PowerShell', 'ssh': 'PowerShell-Remoting über SSH' } as Record<string, string>,
  },
} as const;
type Words = (typeof WORDS)[ReportLanguage];

/** The display name of a profile or connection id; an id this version does not know (a report is data) as it is. */
function named(names: Record<string, string>, id: string): string {
  return Object.prototype.hasOwnProperty.call(names, id) ? names[id] as string : id;
}

export interface RenderOptions {
  /** IANA time zone for the report's times (default: this machine's). */
  readonly timeZone?: string;
}

/** How the renderers show times and counts (from the report's steps, so older JSON reports render too). */
interface View {
  readonly w: Words;
  readonly lang: ReportLanguage;
  readonly time: (iso: string) => string;
  readonly tz: string;
  readonly counts: (s: ReportServer) => StateCounts;
  readonly totals: StateCounts;
}

export function renderReport(report: Report, format: ReportFormat, lang: ReportLanguage = 'en', options: RenderOptions = {}): string {
  const w = WORDS[lang];
  const locale = lang === 'de' ? 'de-DE' : 'en-GB';
  const counts = (s: ReportServer): StateCounts => countStates(s.steps.map((st) => st.state));
  const v: View = {
    w, lang, time: (iso) => localTime(iso, locale, options.timeZone), tz: timeZoneName(options.timeZone), counts,
    totals: report.servers.reduce((sum, s) => addCounts(sum, counts(s)), EMPTY_COUNTS),
  };
  switch (format) {
    case 'json': return `${JSON.stringify(report, null, 2)}\n`;
    case 'md': return renderMarkdown(report, v);
    case 'html': return renderHtml(report, v);
  }
}

/** The count columns, in the order of the summary tables. */
function countCells(c: StateCounts): number[] {
  return [c.passed, c.failed, c.warned, c.couldNotCheck, c.notChecked, c.notApplicable];
}

function countHeads(w: Words): string[] {
  return [w.passed, w.failed, w.warned, w.couldNotCheck, w.notChecked, w.notApplicable];
}

function needsAction(step: ReportStep): boolean {
  return step.state === 'fail' || step.state === 'warn' || step.state === 'error' || step.state === 'unknown';
}

/** A documentation link only when it is plain https (it goes into an href). */
function docHref(step: ReportStep): string | undefined {
  return step.docLink && /^https:\/\/[^\s"'<>]+$/.test(step.docLink) ? step.docLink : undefined;
}

// ---- Markdown ----------------------------------------------------------------------------------------------------

/** Every value, whatever its type, as escaped one-line Markdown text (no link, image, HTML or table break). */
function mdText(value: unknown): string {
  return escapeMarkdownInline(value, Number.MAX_SAFE_INTEGER);
}

function renderMarkdown(report: Report, v: View): string {
  const { w } = v;
  const out = [`# ${w.title}`, '', mdText(`${w.generated(v.time(report.generatedAt), report.generator, report.staleAfterMinutes)} ${w.timesIn(v.tz)}`), ''];
  const heads = countHeads(w);
  out.push(`| ${w.server} | ${w.profile} | ${w.state} | ${heads.join(' | ')} |`, `| --- | --- | --- |${heads.map(() => ' ---: |').join('')}`);
  for (const s of report.servers) out.push(`| ${mdText(s.fqdn)} | ${mdText(named(w.profiles, s.profile))} | ${mdText(w.states[s.state])} | ${countCells(v.counts(s)).join(' | ')} |`);
  out.push(`| **${w.total}** | | | ${countCells(v.totals).join(' | ')} |`);
  for (const s of report.servers) {
    out.push('', `## ${mdText(s.fqdn)}`, '', serverFacts(s, v).map(([k, val]) => `- ${k}: ${mdText(val)}`).join('\n'), '');
    out.push(`| ${w.step} | ${w.state} | ${w.evidence} | ${w.checked} |`, '| --- | --- | --- | --- |');
    for (const step of s.steps) out.push(`| ${mdText(step.title)} | ${mdText(w.states[step.state])}${step.stale ? ` (${mdText(w.stale)})` : ''} | ${mdText(step.summary)} | ${mdText(checkedText(step, v))} |`);
    for (const step of s.steps.filter((x) => x.evidence.length || x.reason || (needsAction(x) && (x.remediation || x.docLink)))) {
      out.push('', `### ${mdText(step.title)}`, '');
      if (step.reason) out.push(mdText(step.reason), '');
      for (const e of step.evidence) out.push(`- ${mdText(e.label)}: ${mdText(e.value)}`);
      if (step.code) out.push(`- ${w.code}: ${mdText(step.code)}`);
      if (step.policy) out.push(`- ${w.policy}: ${mdText(step.policy)}`);
      if (needsAction(step) && step.remediation) {
        const r = step.remediation;
        out.push(`- ${w.remediation}: ${mdText(r.changes[v.lang])}`, `- ${w.restarts}: ${r.restartsWinRM ? w.yes : w.no}`, `- ${w.risk}: ${mdText(r.risk)}`, `- ${w.safer}: ${mdText(r.saferAlternative[v.lang])}`);
      }
      const href = docHref(step);
      if (href) out.push(`- ${w.documentation}: <${href}>`);
    }
  }
  out.push('', `## ${w.signOff}`, '', `| | ${w.date} |`, '| --- | --- |', `| ${w.preparedBy}: | |`, `| ${w.reviewedBy}: | |`, `| ${w.approvedBy}: | |`);
  return `${out.join('\n')}\n`;
}

function serverFacts(s: ReportServer, v: View): [string, string][] {
  const { w } = v;
  const c = v.counts(s);
  const counts = countHeads(w).map((h, i) => `${h} ${countCells(c)[i]}`).join(', ');
  const facts: [string, string][] = [[w.profile, named(w.profiles, s.profile)], [w.connection, named(w.connections, s.connection)], [w.state, `${w.states[s.state]} (${counts})`]];
  if (s.serviceAccount) facts.push([w.serviceAccount, s.serviceAccount]);
  if (s.notes) facts.push([w.notes, s.notes]);
  return facts;
}

function checkedText(step: ReportStep, v: View): string {
  if (step.manual) return v.w.confirmedBy(step.manual.by, v.time(step.manual.at));
  return step.checkedAt ? v.time(step.checkedAt) : v.w.never;
}

// ---- HTML --------------------------------------------------------------------------------------------------------

/** Every value, whatever its type, as escaped HTML text. */
export function html(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1b1b1b;background:#fff}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc;padding-bottom:.2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ccc;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.state{font-weight:600;white-space:nowrap}.pass,.confirmed{color:#1a7f37}.warn{color:#9a6700}.fail{color:#cf222e}
.error{color:#8250df}.unknown,.notApplicable,.running{color:#57606a}.stale{font-weight:400;color:#57606a}
.num{text-align:right}.doc{margin:.2em 0 0;font-size:.9em}.remediation{margin:.4em 0;padding:.3em .5em;background:#fff8c5;border-left:3px solid #9a6700}
.signoff td{height:2.2em}tfoot th{text-align:left}details{margin:.3em 0}summary{cursor:pointer}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:600}
@media print{details{display:block}details>*{display:block}}`;

function renderHtml(report: Report, v: View): string {
  const { w, lang } = v;
  const cells = (c: StateCounts): string => countCells(c).map((n) => `<td class="num">${n}</td>`).join('');
  const rows = report.servers.map((s) => `<tr data-summary="${html(s.fqdn)}"><td><a href="#${html(anchor(s.fqdn))}">${html(s.fqdn)}</a></td><td>${html(named(w.profiles, s.profile))}</td><td class="state ${html(s.state)}">${html(w.states[s.state])}</td>${cells(v.counts(s))}</tr>`).join('\n');
  const totalRow = `<tfoot><tr><th colspan="3">${html(w.total)}</th>${cells(v.totals)}</tr></tfoot>`;
  const sections = report.servers.map((s) => {
    const facts = serverFacts(s, v).map(([k, val]) => `<dt>${html(k)}</dt><dd>${html(val)}</dd>`).join('');
    const steps = s.steps.map((step) => {
      const r = needsAction(step) ? step.remediation : undefined;
      const href = docHref(step);
      const evidence = step.evidence.map((e) => `<dt>${html(e.label)}</dt><dd>${html(e.value)}</dd>`).join('')
        + (step.code ? `<dt>${html(w.code)}</dt><dd>${html(step.code)}</dd>` : '') + (step.policy ? `<dt>${html(w.policy)}</dt><dd>${html(step.policy)}</dd>` : '');
      const remedy = r ? `<dl class="remediation"><dt>${html(w.remediation)}</dt><dd>${html(r.changes[lang])}</dd><dt>${html(w.restarts)}</dt><dd>${r.restartsWinRM ? html(w.yes) : html(w.no)}</dd><dt>${html(w.risk)}</dt><dd>${html(r.risk)}</dd><dt>${html(w.safer)}</dt><dd>${html(r.saferAlternative[lang])}</dd></dl>` : '';
      const doc = href ? `<p class="doc"><a rel="noreferrer noopener" href="${html(href)}">${html(w.documentation)}</a></p>` : '';
      const more = step.reason || evidence ? `<details><summary>${html(w.details)}</summary>${step.reason ? `<p>${html(step.reason)}</p>` : ''}${evidence ? `<dl>${evidence}</dl>` : ''}</details>` : '';
      return `<tr data-step="${html(step.id)}"><td>${html(step.title)}${doc}</td><td class="state ${html(step.state)}">${html(w.states[step.state])}${step.stale ? ` <span class="stale">(${html(w.stale)})</span>` : ''}</td><td>${html(step.summary)}${remedy}${more}</td><td>${html(checkedText(step, v))}</td></tr>`;
    }).join('\n');
    return `<section id="${html(anchor(s.fqdn))}" data-server="${html(s.fqdn)}"><h2>${html(s.fqdn)}</h2><dl>${facts}</dl>
<table><thead><tr><th>${html(w.step)}</th><th>${html(w.state)}</th><th>${html(w.evidence)}</th><th>${html(w.checked)}</th></tr></thead><tbody>
${steps}
</tbody></table></section>`;
  }).join('\n');
  return `<!DOCTYPE html>
<html lang="${html(lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(w.title)} ${html(v.time(report.generatedAt))}</title><style>${CSS}</style></head>
<body><h1>${html(w.title)}</h1>
<p>${html(w.generated(v.time(report.generatedAt), report.generator, report.staleAfterMinutes))} ${html(w.timesIn(v.tz))}</p>
<table class="summary"><thead><tr><th>${html(w.server)}</th><th>${html(w.profile)}</th><th>${html(w.state)}</th>${countHeads(w).map((h) => `<th>${html(h)}</th>`).join('')}</tr></thead><tbody>
${rows}
</tbody>${totalRow}</table>
${sections}
<section class="signoff"><h2>${html(w.signOff)}</h2><table><thead><tr><th></th><th>${html(w.date)}</th></tr></thead><tbody>
<tr><td>${html(w.preparedBy)}</td><td></td></tr><tr><td>${html(w.reviewedBy)}</td><td></td></tr><tr><td>${html(w.approvedBy)}</td><td></td></tr>
</tbody></table></section>
</body></html>
`;
}

function anchor(fqdn: string): string {
  return `server-${fqdn.replace(/[^A-Za-z0-9.-]/g, '_')}`;
}
