// Report renderers: Markdown (for tickets and wikis), self-contained HTML (for change tickets, opens in any
// browser, no script, no external resource), JSON. Pure; every value is escaped for its format.
import type { RowState } from '../state/rowState';
import type { Report, ReportServer, ReportStep } from './model';
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

export function renderReport(report: Report, format: ReportFormat, lang: ReportLanguage = 'en'): string {
  const w = WORDS[lang];
  switch (format) {
    case 'json': return `${JSON.stringify(report, null, 2)}\n`;
    case 'md': return renderMarkdown(report, w);
    case 'html': return renderHtml(report, w, lang);
  }
}

// ---- Markdown ----------------------------------------------------------------------------------------------------

/** Every value, whatever its type, as escaped one-line Markdown text (no link, image, HTML or table break). */
function mdText(value: unknown): string {
  return escapeMarkdownInline(value, Number.MAX_SAFE_INTEGER);
}

function renderMarkdown(report: Report, w: Words): string {
  const out = [`# ${w.title}`, '', mdText(w.generated(report.generatedAt, report.generator, report.staleAfterMinutes)), ''];
  out.push(`| ${w.server} | ${w.profile} | ${w.state} | ${w.passed} |`, '| --- | --- | --- | --- |');
  for (const s of report.servers) out.push(`| ${mdText(s.fqdn)} | ${mdText(named(w.profiles, s.profile))} | ${mdText(w.states[s.state])} | ${mdText(`${s.passed}/${s.applicable}`)} |`);
  for (const s of report.servers) {
    out.push('', `## ${mdText(s.fqdn)}`, '', serverFacts(s, w).map(([k, v]) => `- ${k}: ${mdText(v)}`).join('\n'), '');
    out.push(`| ${w.step} | ${w.state} | ${w.evidence} | ${w.checked} |`, '| --- | --- | --- | --- |');
    for (const step of s.steps) out.push(`| ${mdText(step.title)} | ${mdText(w.states[step.state])}${step.stale ? ` (${mdText(w.stale)})` : ''} | ${mdText(step.summary)} | ${mdText(checkedText(step, w))} |`);
    for (const step of s.steps.filter((x) => x.evidence.length || x.reason)) {
      out.push('', `### ${mdText(step.title)}`, '');
      if (step.reason) out.push(mdText(step.reason), '');
      for (const e of step.evidence) out.push(`- ${mdText(e.label)}: ${mdText(e.value)}`);
      if (step.code) out.push(`- ${w.code}: ${mdText(step.code)}`);
      if (step.policy) out.push(`- ${w.policy}: ${mdText(step.policy)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function serverFacts(s: ReportServer, w: Words): [string, string][] {
  const facts: [string, string][] = [[w.profile, named(w.profiles, s.profile)], [w.connection, named(w.connections, s.connection)], [w.state, `${w.states[s.state]} (${w.passedOf(s.passed, s.applicable)})`]];
  if (s.serviceAccount) facts.push([w.serviceAccount, s.serviceAccount]);
  if (s.notes) facts.push([w.notes, s.notes]);
  return facts;
}

function checkedText(step: ReportStep, w: Words): string {
  if (step.manual) return w.confirmedBy(step.manual.by, step.manual.at);
  return step.checkedAt ?? w.never;
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
details{margin:.3em 0}summary{cursor:pointer}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:600}
@media print{details{display:block}details>*{display:block}}`;

function renderHtml(report: Report, w: Words, lang: ReportLanguage): string {
  const rows = report.servers.map((s) => `<tr><td><a href="#${html(anchor(s.fqdn))}">${html(s.fqdn)}</a></td><td>${html(named(w.profiles, s.profile))}</td><td class="state ${html(s.state)}">${html(w.states[s.state])}</td><td>${html(`${s.passed}/${s.applicable}`)}</td></tr>`).join('\n');
  const sections = report.servers.map((s) => {
    const facts = serverFacts(s, w).map(([k, v]) => `<dt>${html(k)}</dt><dd>${html(v)}</dd>`).join('');
    const steps = s.steps.map((step) => {
      const evidence = step.evidence.map((e) => `<dt>${html(e.label)}</dt><dd>${html(e.value)}</dd>`).join('')
        + (step.code ? `<dt>${html(w.code)}</dt><dd>${html(step.code)}</dd>` : '') + (step.policy ? `<dt>${html(w.policy)}</dt><dd>${html(step.policy)}</dd>` : '');
      const more = step.reason || evidence ? `<details><summary>${html(w.details)}</summary>${step.reason ? `<p>${html(step.reason)}</p>` : ''}${evidence ? `<dl>${evidence}</dl>` : ''}</details>` : '';
      return `<tr data-step="${html(step.id)}"><td>${html(step.title)}</td><td class="state ${html(step.state)}">${html(w.states[step.state])}${step.stale ? ` <span class="stale">(${html(w.stale)})</span>` : ''}</td><td>${html(step.summary)}${more}</td><td>${html(checkedText(step, w))}</td></tr>`;
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
<title>${html(w.title)} ${html(report.generatedAt)}</title><style>${CSS}</style></head>
<body><h1>${html(w.title)}</h1>
<p>${html(w.generated(report.generatedAt, report.generator, report.staleAfterMinutes))}</p>
<table><thead><tr><th>${html(w.server)}</th><th>${html(w.profile)}</th><th>${html(w.state)}</th><th>${html(w.passed)}</th></tr></thead><tbody>
${rows}
</tbody></table>
${sections}
</body></html>
`;
}

function anchor(fqdn: string): string {
  return `server-${fqdn.replace(/[^A-Za-z0-9.-]/g, '_')}`;
}
