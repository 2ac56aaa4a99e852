// The network-path step decided from Node's own connectivity probe (TCP 5986, TLS, certificate, WS-Man Identify),
// from the machine VS Code runs on: works on Windows, Linux and macOS, with no PowerShell. Pure mapping.
import type { StepResult } from '../checks/types';
import type { Finding, ProbeReport } from '../probe/probe';

const NETWORK = new Set(['dns-failure', 'refused', 'timeout', 'unreachable', 'not-tls', 'tls-failed', 'error']);

const SUMMARY: Record<string, (r: ProbeReport) => string> = {
  'expired': () => 'Certificate expired',
  'not-yet-valid': () => 'Certificate not valid yet',
  'expiring-critical': (r) => `Certificate expires in ${r.certificate?.daysRemaining ?? '?'} days`,
  'expiring': (r) => `Certificate expires in ${r.certificate?.daysRemaining ?? '?'} days`,
  'name-mismatch': (r) => `Certificate does not name ${r.host}`,
  'self-signed': () => 'Self-signed certificate, not trusted',
  'untrusted': () => 'Certificate chain not trusted',
  'thumbprint-mismatch': () => 'Presented certificate differs from the configured thumbprint',
  'wsman-auth-required': (r) => `TCP ${r.port} and TLS reachable; Identify needs authentication`,
  'wsman-not-wsman': (r) => `Port ${r.port} answers, but not as WS-Management`,
  'wsman-failed': (r) => `TCP ${r.port} and TLS reachable; the Identify request failed`,
};

type Words = (r: ProbeReport) => string;

/** A finding's message as a sentence of a reason joined from several (Node's error texts end without a full stop). */
const sentence = (m: string): string => (/[.?!]$/.test(m) ? m : `${m}.`);

/** Each network verdict in words (the code stays in the result's code and evidence). */
const NETWORK_SUMMARY: Readonly<Record<string, Words>> = {
  'dns-failure': (r) => `${r.host} does not resolve`,
  refused: (r) => `TCP ${r.port} refused`,
  timeout: (r) => `TCP ${r.port}: no answer`,
  unreachable: (r) => `TCP ${r.port}: network unreachable`,
  'not-tls': (r) => `TCP ${r.port} open, but no TLS`,
  'tls-failed': (r) => `TCP ${r.port} open, TLS handshake failed`,
};

/** What to do, fitting each cause: a DNS failure is not a firewall problem, a refusal is no dropped packet. */
const NETWORK_ADVICE: Readonly<Record<string, Words>> = {
  'dns-failure': (r) => `Fix name resolution: the DNS record of ${r.host}, or the DNS servers of this machine. No firewall change helps until the name resolves.`,
  refused: (r) => `${r.host} answered and refused port ${r.port}: no HTTPS listener there (step "HTTPS listener"), or its host firewall rejects it (step "Host firewall").`,
  timeout: (r) => `Nothing answers on TCP ${r.port}: a firewall on the path from this machine to ${r.host} drops it (host firewall rule on the server, network firewalls between sites).`,
  unreachable: (r) => `There is no route from this machine to ${r.host}: check routing and VPN, then the firewalls on the path.`,
  'not-tls': (r) => `Port ${r.port} answers without TLS: bind a certificate to the HTTPS listener (step "HTTPS listener").`,
  'tls-failed': (r) => `The TLS handshake on port ${r.port} failed: check the listener's certificate binding (step "HTTPS listener").`,
};

/**
 * fail: no TCP connection, no TLS, something other than WS-Man answers, or a CRITICAL certificate finding. warn: a
 * WARNING finding (certificate expiring, WS-Man would not identify itself without authentication). pass: the probe
 * says OK. error: the probe itself could not decide (name resolution aside, which is a real failure of the path).
 * Past the network layer the status is the probe's own severity, so this step and the `probe` CLI give the same
 * verdict for the same certificate (a trusted self-signed certificate passes, with its trade-off in the reason).
 */
export function networkPathFromProbe(report: ProbeReport): StepResult {
  const network = report.findings.find((f) => NETWORK.has(f.code));
  const wsman = report.findings.find((f) => f.code.startsWith('wsman-'));
  const c = report.certificate;
  const evidence = [
    { label: 'Target', value: `${report.host}:${report.port} (${report.address})` },
    ...(report.tls ? [{ label: 'TLS', value: `${report.tls.protocol}, ${report.tls.cipher}` }] : []),
    ...(c ? [{ label: 'Certificate', value: `${c.subject}; thumbprint ${c.thumbprint}; valid to ${c.notAfter}` }] : []),
    ...(c ? [{ label: 'Trust', value: c.trusted ? `trusted${c.selfSigned ? ', self-signed' : ''}${c.trustedBy ? `; root in ${c.trustedBy}` : ''}` : `not trusted${c.trustError ? ` (${c.trustError})` : ''}` }] : []),
    ...(report.wsman?.productVersion ? [{ label: 'WS-Management', value: `${report.wsman.productVendor ?? ''} ${report.wsman.productVersion}`.trim() }] : []),
    ...report.findings.filter((f) => f.code !== 'ok').map((f: Finding) => ({ label: f.code, value: f.message })),
    ...(report.trustStore && c ? [{ label: 'Trusted roots', value: report.trustStore }] : []),
    { label: 'Probed from', value: 'this machine (Node TLS probe)' },
    { label: 'Elapsed', value: `${report.elapsedMs} ms` },
  ];
  const base = { stepId: 'network-path-5986' as const, evidence };
  if (network) {
    return network.code === 'error'
      ? { ...base, status: 'error', summary: 'The probe could not decide', reason: network.message, code: network.code }
      : { ...base, status: 'fail', summary: NETWORK_SUMMARY[network.code]?.(report) ?? `TCP ${report.port} not reachable`, reason: `${sentence(network.message)} ${NETWORK_ADVICE[network.code]?.(report) ?? ''}`.trim(), code: network.code };
  }
  if (wsman && wsman.severity === 'critical') {
    return { ...base, status: 'fail', summary: `Port ${report.port} answers, but not as WS-Management`, reason: wsman.message, code: wsman.code };
  }
  const problems = report.findings.filter((f) => f.severity !== 'ok');
  const notes = report.findings.filter((f) => f.severity === 'ok' && f.code !== 'ok');
  const reason = [...problems, ...notes].map((f) => sentence(f.message)).join(' ');
  const worst = report.findings.find((f) => f.code === report.verdict);
  switch (report.severity) {
    case 'ok':
      return { ...base, status: 'pass', summary: `TCP ${report.port}, TLS and WS-Man Identify reachable from here`, reason: `The path from this machine to ${report.host}:${report.port} is open and WinRM answers.${reason ? ` ${reason}` : ''}` };
    case 'unknown':
      return { ...base, status: 'error', summary: 'The probe could not decide', reason: reason || report.verdict, code: report.verdict };
    default: {
      const summary = SUMMARY[report.verdict]?.(report) ?? report.verdict;
      return { ...base, status: report.severity === 'critical' ? 'fail' : 'warn', summary, reason: reason || (worst?.message ?? report.verdict), code: report.verdict };
    }
  }
}
