// Report renderers: Markdown (for tickets and wikis), self-contained HTML (for change tickets, opens in any
// browser, no script, no external resource), JSON. Pure; every value is escaped for its format.
import type { RowState } from '../tree/presentation';
import type { Report, ReportServer, ReportStep } from './model';

export const REPORT_FORMATS = ['md', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const STATE_LABEL: Record<RowState, string> = {
  pass: 'PASS', warn: 'WARN', fail: 'FAIL', error: 'ERROR (could not check)', notApplicable: 'N/A',
  unknown: 'NOT CHECKED', running: 'RUNNING', confirmed: 'CONFIRMED MANUALLY',
};

export function renderReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'json': return `${JSON.stringify(report, null, 2)}\n`;
    case 'md': return renderMarkdown(report);
    case 'html': return renderHtml(report);
  }
}

// ---- Markdown ----------------------------------------------------------------------------------------------------

function mdText(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, '\\$&').replace(/\r?\n/g, ' ');
}

function renderMarkdown(report: Report): string {
  const out = [`# Exchange remoting checklist`, '', `Generated ${mdText(report.generatedAt)} by ${mdText(report.generator)}. Results older than ${report.staleAfterMinutes} minutes are marked stale.`, ''];
  out.push('| Server | Profile | State | Passed |', '| --- | --- | --- | --- |');
  for (const s of report.servers) out.push(`| ${mdText(s.fqdn)} | ${mdText(s.profile)} | ${STATE_LABEL[s.state]} | ${s.passed}/${s.applicable} |`);
  for (const s of report.servers) {
    out.push('', `## ${mdText(s.fqdn)}`, '', serverFacts(s).map(([k, v]) => `- ${k}: ${mdText(v)}`).join('\n'), '');
    out.push('| Step | State | Evidence | Checked |', '| --- | --- | --- | --- |');
    for (const step of s.steps) out.push(`| ${mdText(step.title)} | ${STATE_LABEL[step.state]}${step.stale ? ' (stale)' : ''} | ${mdText(step.summary)} | ${mdText(checkedText(step))} |`);
    for (const step of s.steps.filter((x) => x.evidence.length || x.reason)) {
      out.push('', `### ${mdText(step.title)}`, '');
      if (step.reason) out.push(mdText(step.reason), '');
      for (const e of step.evidence) out.push(`- ${mdText(e.label)}: ${mdText(e.value)}`);
      if (step.code) out.push(`- Code: ${mdText(step.code)}`);
      if (step.policy) out.push(`- Group Policy: ${mdText(step.policy)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function serverFacts(s: ReportServer): [string, string][] {
  const facts: [string, string][] = [['Profile', s.profile], ['Connection', s.connection], ['State', `${STATE_LABEL[s.state]} (${s.passed}/${s.applicable} passed)`]];
  if (s.serviceAccount) facts.push(['Service account', s.serviceAccount]);
  if (s.notes) facts.push(['Notes', s.notes]);
  return facts;
}

function checkedText(step: ReportStep): string {
  if (step.manual) return `confirmed by ${step.manual.by} on ${step.manual.at}`;
  return step.checkedAt ?? 'never';
}

// ---- HTML --------------------------------------------------------------------------------------------------------

export function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1b1b1b;background:#fff}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc;padding-bottom:.2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ccc;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.state{font-weight:600;white-space:nowrap}.pass,.confirmed{color:#1a7f37}.warn{color:#9a6700}.fail{color:#cf222e}
.error{color:#8250df}.unknown,.notApplicable,.running{color:#57606a}.stale{font-weight:400;color:#57606a}
details{margin:.3em 0}summary{cursor:pointer}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:600}
@media print{details{display:block}details>*{display:block}}`;

function renderHtml(report: Report): string {
  const rows = report.servers.map((s) => `<tr><td><a href="#${html(anchor(s.fqdn))}">${html(s.fqdn)}</a></td><td>${html(s.profile)}</td><td class="state ${s.state}">${html(STATE_LABEL[s.state])}</td><td>${s.passed}/${s.applicable}</td></tr>`).join('\n');
  const sections = report.servers.map((s) => {
    const facts = serverFacts(s).map(([k, v]) => `<dt>${html(k)}</dt><dd>${html(v)}</dd>`).join('');
    const steps = s.steps.map((step) => {
      const evidence = step.evidence.map((e) => `<dt>${html(e.label)}</dt><dd>${html(e.value)}</dd>`).join('')
        + (step.code ? `<dt>Code</dt><dd>${html(step.code)}</dd>` : '') + (step.policy ? `<dt>Group Policy</dt><dd>${html(step.policy)}</dd>` : '');
      const more = step.reason || evidence ? `<details><summary>Details</summary>${step.reason ? `<p>${html(step.reason)}</p>` : ''}${evidence ? `<dl>${evidence}</dl>` : ''}</details>` : '';
      return `<tr data-step="${html(step.id)}"><td>${html(step.title)}</td><td class="state ${step.state}">${html(STATE_LABEL[step.state])}${step.stale ? ' <span class="stale">(stale)</span>' : ''}</td><td>${html(step.summary)}${more}</td><td>${html(checkedText(step))}</td></tr>`;
    }).join('\n');
    return `<section id="${html(anchor(s.fqdn))}" data-server="${html(s.fqdn)}"><h2>${html(s.fqdn)}</h2><dl>${facts}</dl>
<table><thead><tr><th>Step</th><th>State</th><th>Evidence</th><th>Checked</th></tr></thead><tbody>
${steps}
</tbody></table></section>`;
  }).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Exchange remoting checklist ${html(report.generatedAt)}</title><style>${CSS}</style></head>
<body><h1>Exchange remoting checklist</h1>
<p>Generated ${html(report.generatedAt)} by ${html(report.generator)}. Results older than ${report.staleAfterMinutes} minutes are marked stale.</p>
<table><thead><tr><th>Server</th><th>Profile</th><th>State</th><th>Passed</th></tr></thead><tbody>
${rows}
</tbody></table>
${sections}
</body></html>
`;
}

function anchor(fqdn: string): string {
  return `server-${fqdn.replace(/[^A-Za-z0-9.-]/g, '_')}`;
}
