// Rendering probe reports for people (text), programs (json) and monitoring (Nagios plugin output). Pure.
import { EXPIRY_FAIL_DAYS, EXPIRY_WARN_DAYS } from './certificate';
import type { ProbeReport, Severity } from './probe';

/** Nagios plugin exit codes (also PRTG / Icinga / Zabbix script checks). */
export const NagiosCode = { ok: 0, warning: 1, critical: 2, unknown: 3 } as const;

const RANK: Record<Severity, number> = { ok: 0, unknown: 1, warning: 2, critical: 3 };
const LABEL: Record<Severity, string> = { ok: 'OK', warning: 'WARNING', critical: 'CRITICAL', unknown: 'UNKNOWN' };

export function worstSeverity(reports: readonly ProbeReport[]): Severity {
  let worst: Severity = reports.length ? 'ok' : 'unknown';
  for (const r of reports) if (RANK[r.severity] > RANK[worst]) worst = r.severity;
  return worst;
}

export function exitCodeFor(reports: readonly ProbeReport[]): number {
  return NagiosCode[worstSeverity(reports)];
}

export function formatText(reports: readonly ProbeReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`${r.host}:${r.port}  ${LABEL[r.severity]}  (${r.verdict})${r.address !== r.host ? `  via ${r.address}` : ''}`);
    for (const f of r.findings) out.push(`  ${f.severity === 'ok' ? '✓' : f.severity === 'warning' ? '!' : '✗'} ${f.message}`);
    if (r.tls) out.push(`  TLS         ${r.tls.protocol} ${r.tls.cipher}`);
    const c = r.certificate;
    if (c) {
      out.push(`  Subject     ${c.subject}`);
      out.push(`  Issuer      ${c.issuer}${c.selfSigned ? ' (self-signed)' : ''}`);
      out.push(`  Names       ${[...c.sanDns, ...c.sanIp].join(', ') || '(no SAN)'}`);
      out.push(`  Valid       ${c.notBefore} – ${c.notAfter} (${c.daysRemaining} days left)`);
      out.push(`  Thumbprint  ${c.thumbprint}`);
      out.push(`  Trust       ${c.trusted ? `trusted${c.trustedBy ? ` (root in ${c.trustedBy})` : ''}` : `not trusted${c.trustError ? ` (${c.trustError})` : ''}`}`);
    }
    if (r.trustStore) out.push(`  Trusts      ${r.trustStore}`);
    if (r.wsman) {
      out.push(r.wsman.status === 200
        ? `  WS-Man      ${r.wsman.productVendor ?? '?'} ${r.wsman.productVersion ?? ''} (protocol ${r.wsman.protocolVersion ?? '?'})`.trimEnd()
        : `  WS-Man      HTTP ${r.wsman.status}`);
    }
    out.push('');
  }
  return out.join('\n');
}

export function formatJson(reports: readonly ProbeReport[]): string {
  return `${JSON.stringify({ status: worstSeverity(reports), exitCode: exitCodeFor(reports), reports }, null, 2)}\n`;
}

function perfLabel(text: string): string {
  return `'${text.replace(/'/g, '')}'`;
}

/** Nagios plugin output: one status line with perfdata, then one line per host (long text). */
export function formatNagios(reports: readonly ProbeReport[]): string {
  const worst = worstSeverity(reports);
  const bad = reports.filter((r) => r.severity !== 'ok');
  const summary = reports.length === 0
    ? 'no host probed'
    : bad.length === 0
      ? `${reports.length === 1 ? `${reports[0]!.host}:${reports[0]!.port}` : `${reports.length} listeners`} OK`
      : bad.map((r) => `${r.host}:${r.port} ${r.verdict}`).join(', ');
  const perf = reports.flatMap((r) => {
    const items = [`${perfLabel(`${r.host}_time`)}=${(r.elapsedMs / 1000).toFixed(3)}s`];
    if (r.certificate) items.push(`${perfLabel(`${r.host}_cert_days`)}=${r.certificate.daysRemaining};${EXPIRY_WARN_DAYS}:;${EXPIRY_FAIL_DAYS}:`);
    return items;
  });
  const lines = [`EXCHANGE-REMOTING ${LABEL[worst]} - ${summary}${perf.length ? ` | ${perf.join(' ')}` : ''}`];
  for (const r of reports) {
    const first = r.findings.find((f) => f.severity === r.severity) ?? r.findings[0];
    lines.push(`[${LABEL[r.severity]}] ${r.host}:${r.port}: ${first?.message ?? r.verdict}${r.certificate ? ` (thumbprint ${r.certificate.thumbprint})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
