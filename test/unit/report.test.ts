import * as assert from 'node:assert/strict';
import { buildReport, parseReport, REPORT_SCHEMA } from '../../src/report/model';
import { renderReport } from '../../src/report/render';
import { createReportCommand } from '../../src/cli/reportCommand';
import { runCli } from '../../src/cli/cli';
import { parseServer } from '../../src/servers/server';
import type { StoredResult } from '../../src/state/resultStore';

const now = new Date('2026-11-22T12:00:00.000Z');
const servers = [parseServer({ fqdn: 'exch01.contoso.com', serviceAccount: 'CONTOSO\\svc_sync' }), parseServer({ fqdn: 'exch02.contoso.com', profile: 'intune' })];
const results: Record<string, StoredResult> = {
  'exch01.contoso.com/ps-remoting': { stepId: 'ps-remoting', status: 'pass', summary: 'WinRM running, automatic', evidence: [{ label: 'WinRM', value: 'Running' }], reason: 'ok', checkedAt: '2026-11-22T11:59:00.000Z' },
  'exch01.contoso.com/trusted-hosts': { stepId: 'trusted-hosts', status: 'fail', summary: '<script>alert(1)</script>', evidence: [{ label: 'Value', value: '* | `x`' }], reason: 'TrustedHosts is *', checkedAt: '2026-11-20T11:59:00.000Z', code: '0x80338012' },
};

function report() {
  return buildReport({
    servers,
    stepsFor: (s) => (s.profile === 'intune' ? [{ id: 'connector-health', title: 'Connector health' }] : [{ id: 'ps-remoting', title: 'PowerShell remoting' }, {
      id: 'trusted-hosts', title: 'TrustedHosts', docLink: 'https://learn.microsoft.com/trusted-hosts',
      remediation: { changes: { en: 'Sets TrustedHosts to the listed hosts', de: 'Setzt TrustedHosts auf die Hosts' }, restartsWinRM: false, risk: 'medium', saferAlternative: { en: 'Use HTTPS', de: 'HTTPS verwenden' } },
    }]),
    resultOf: (server, step) => results[`${server}/${step}`],
    now, staleAfterMinutes: 60, generator: 'exchange-remoting-setup 0.1.0',
  });
}

describe('checklist report', () => {
  it('lists every server and step with state, evidence, timestamps and staleness', () => {
    const r = report();
    assert.equal(r.schema, REPORT_SCHEMA);
    assert.deepEqual(r.servers.map((s) => [s.fqdn, s.state, s.passed, s.applicable]), [['exch01.contoso.com', 'fail', 1, 2], ['exch02.contoso.com', 'unknown', 0, 1]]);
    const th = r.servers[0]?.steps[1];
    assert.equal(th?.stale, true);
    assert.equal(th?.code, '0x80338012');
    assert.equal(r.servers[1]?.steps[0]?.state, 'unknown');
  });

  it('renders JSON that reads back', () => {
    assert.deepEqual(parseReport(renderReport(report(), 'json')), JSON.parse(JSON.stringify(report())));
    assert.throws(() => parseReport('{"schema":"other"}'), /not an exchange-remoting-setup\.report\/1 report/);
    assert.throws(() => parseReport('nope'), /not JSON/);
  });

  it('renders Markdown with table cells escaped', () => {
    const text = renderReport(report(), 'md');
    assert.match(text, /\| Server \| Profile \| State \| Passed \| Failed \| Warnings \| Could not check \| Not checked \| N\/A \|/);
    assert.match(text, /\| exch01\\\.contoso\\\.com \| PowerShell remoting \| FAIL \| 1 \| 1 \| 0 \| 0 \| 0 \| 0 \|/);
    assert.match(text, /\| exch02\\\.contoso\\\.com \| Intune Exchange connector \| NOT CHECKED \| 0 \| 0 \| 0 \| 0 \| 1 \| 0 \|/, 'a never-checked server is not counted as failed');
    assert.match(text, /\\<script\\>/);
    assert.match(text, /Value: \\\* \\\| \\`x\\`/);
    assert.match(text, /FAIL \(stale\)/);
  });

  it('renders self-contained HTML with every value escaped and no script', () => {
    const text = renderReport(report(), 'html');
    assert.match(text, /^<!DOCTYPE html>/);
    assert.ok(!/<script/i.test(text), 'no script element, even from server text');
    assert.match(text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(text, /default-src 'none'/);
    assert.ok(!/src="https?:|<link|url\(/i.test(text), 'no external resources');
    assert.deepEqual([...text.matchAll(/href="([^"#][^"]*)"/g)].map((m) => m[1]), ['https://learn.microsoft.com/trusted-hosts'], 'only the documentation link of the failed step leaves the page');
    for (const s of servers) assert.match(text, new RegExp(`data-server="${s.fqdn.replace(/\./g, '\\.')}"`));
  });
});

describe('report CLI', () => {
  const files = new Map<string, string>();
  const fake = { read: async (p: string) => { const t = files.get(p); if (t === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' }); return t; }, write: async (p: string, t: string) => { files.set(p, t); } };

  function io() {
    const o = { stdout: '', stderr: '', env: {}, out(t: string) { o.stdout += t; }, err(t: string) { o.stderr += t; } };
    return o;
  }

  it('renders an exported JSON report as Markdown and exits 1 when a step failed', async () => {
    files.set('r.json', renderReport(report(), 'json'));
    const out = io();
    assert.equal(await runCli(['report', 'r.json'], out, [createReportCommand(fake)], '1'), 1);
    assert.match(out.stdout, /^# Exchange remoting checklist/);
  });

  it('writes HTML to a file with --out', async () => {
    const out = io();
    await runCli(['report', 'r.json', '--format', 'html', '--out', 'r.html'], out, [createReportCommand(fake)], '1');
    assert.match(files.get('r.html') ?? '', /^<!DOCTYPE html>/);
    assert.equal(out.stdout, '');
  });

  it('explains a missing file or a file that is not a report, with exit 2', async () => {
    const missing = io();
    assert.equal(await runCli(['report', 'nope.json'], missing, [createReportCommand(fake)], '1'), 2);
    assert.match(missing.stderr, /cannot read nope\.json: ENOENT/);
    files.set('x.json', '{"hello":1}');
    const wrong = io();
    assert.equal(await runCli(['report', 'x.json'], wrong, [createReportCommand(fake)], '1'), 2);
    assert.match(wrong.stderr, /not an exchange-remoting-setup\.report\/1 report/);
    assert.equal(await runCli(['report', 'x.json', '--format', 'pdf'], io(), [createReportCommand(fake)], '1'), 2);
  });
});

describe('report in German', () => {
  it('renders the report\'s own words in German, values unchanged', () => {
    const md = renderReport(report(), 'md', 'de');
    assert.match(md, /^# Exchange-Remoting-Checkliste/);
    assert.match(md, /\| Server \| Profil \| Zustand \| Bestanden \|/);
    assert.match(md, /FEHLGESCHLAGEN \(veraltet\)/);
    assert.match(md, /exch01\\\.contoso\\\.com/);
    const page = renderReport(report(), 'html', 'de');
    assert.match(page, /<html lang="de">/);
    assert.match(page, /NICHT GEPRÜFT/);
  });

  it('is chosen with --lang on the command line', async () => {
    const files = new Map<string, string>([['r.json', renderReport(report(), 'json')]]);
    const fake = { read: async (p: string) => files.get(p) ?? '', write: async () => undefined };
    const o = { stdout: '', stderr: '', env: {}, out(t: string) { o.stdout += t; }, err(t: string) { o.stderr += t; } };
    await runCli(['report', 'r.json', '--lang', 'de'], o, [createReportCommand(fake)], '1');
    assert.match(o.stdout, /Exchange-Remoting-Checkliste/);
  });

  it('reads like a handover: counts per state and in total, remediation and documentation of open steps, local times, sign-off', () => {
    const r = report();
    assert.deepEqual(r.totals, { total: 3, notChecked: 1, passed: 1, failed: 1, warned: 0, couldNotCheck: 0, notApplicable: 0, running: 0 });
    const text = renderReport(r, 'html', 'en', { timeZone: 'Europe/Berlin' });
    assert.match(text, /<tr data-summary="exch01\.contoso\.com">.*<td class="num">1<\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0<\/td><\/tr>/);
    assert.match(text, /<tfoot><tr><th colspan="3">All servers<\/th><td class="num">1<\/td><td class="num">1<\/td>/);
    const trusted = /<tr data-step="trusted-hosts">[\s\S]*?<\/tr>/.exec(text)?.[0] ?? '';
    assert.match(trusted, /Remediation<\/dt><dd>Sets TrustedHosts to the listed hosts/);
    assert.match(trusted, /WinRM restarts<\/dt><dd>no/);
    assert.match(trusted, /Safer alternative<\/dt><dd>Use HTTPS/);
    assert.match(trusted, /<a rel="noreferrer noopener" href="https:\/\/learn\.microsoft\.com\/trusted-hosts">Documentation<\/a>/);
    assert.ok(!/2026-11-2\dT/.test(text), 'no raw ISO instants');
    assert.match(trusted, /20 Nov 2026, 12:59/, 'checked time in the report\'s time zone (Berlin is UTC+1 in November)');
    assert.match(text, /Times are local \(Europe\/Berlin\)/);
    assert.match(text, /Sign-off[\s\S]*Prepared by[\s\S]*Reviewed by[\s\S]*Approved \(change board\)/);
    const de = renderReport(r, 'html', 'de', { timeZone: 'Europe/Berlin' });
    assert.match(de, /Korrektur<\/dt><dd>Setzt TrustedHosts auf die Hosts/);
    assert.match(de, /20\.11\.2026, 12:59|20\. Nov\. 2026, 12:59/);
    const passed = /<tr data-step="ps-remoting">[\s\S]*?<\/tr>/.exec(text)?.[0] ?? '';
    assert.ok(!/Remediation/.test(passed), 'a passed step carries no remediation');
  });

  it('renders an older JSON report without counts (they are derived from its steps)', () => {
    const { totals: _t, ...old } = JSON.parse(renderReport(report(), 'json')) as Record<string, unknown>;
    const text = renderReport(parseReport(JSON.stringify({ ...old, servers: (old.servers as Record<string, unknown>[]).map(({ counts: _c, ...s }) => s) })), 'md');
    assert.match(text, /\| \*\*All servers\*\* \| \| \| 1 \| 1 \| 0 \| 0 \| 1 \| 0 \|/);
  });
});
