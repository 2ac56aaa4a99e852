// The network-path step decided from Node's own connectivity probe (TCP 5986, TLS, certificate, WS-Man Identify),
// from the machine VS Code runs on: works on Windows, Linux and macOS, with no PowerShell. Pure mapping.
import type { StepResult } from '../checks/types';
import type { Finding, ProbeReport } from '../probe/probe';

const NETWORK = new Set(['dns-failure', 'refused', 'timeout', 'unreachable', 'not-tls', 'tls-failed', 'error']);
const CERTIFICATE = new Set(['expired', 'not-yet-valid', 'expiring-critical', 'expiring', 'name-mismatch', 'self-signed', 'untrusted', 'thumbprint-mismatch']);

type Words = (r: ProbeReport) => string;

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
 * pass: TCP connects, TLS completes and WS-Man answers Identify (certificate problems are noted, and decided by the
 * certificate step). fail: no TCP connection, no TLS, or something other than WS-Man answers. warn: WS-Man would not
 * identify itself without authentication. error: the probe itself could not decide (name resolution aside, which is a
 * real failure of the path).
 */
export function networkPathFromProbe(report: ProbeReport): StepResult {
  const network = report.findings.find((f) => NETWORK.has(f.code));
  const wsman = report.findings.find((f) => f.code.startsWith('wsman-'));
  const certificate = report.findings.filter((f) => CERTIFICATE.has(f.code));
  const evidence = [
    { label: 'Target', value: `${report.host}:${report.port} (${report.address})` },
    ...(report.tls ? [{ label: 'TLS', value: `${report.tls.protocol}, ${report.tls.cipher}` }] : []),
    ...(report.certificate ? [{ label: 'Certificate', value: `${report.certificate.subject}; thumbprint ${report.certificate.thumbprint}; valid to ${report.certificate.notAfter}` }] : []),
    ...(report.wsman?.productVersion ? [{ label: 'WS-Management', value: `${report.wsman.productVendor ?? ''} ${report.wsman.productVersion}`.trim() }] : []),
    ...report.findings.filter((f) => f.code !== 'ok').map((f: Finding) => ({ label: f.code, value: f.message })),
    { label: 'Probed from', value: 'this machine (Node TLS probe)' },
    { label: 'Elapsed', value: `${report.elapsedMs} ms` },
  ];
  const base = { stepId: 'network-path-5986' as const, evidence };
  if (network) {
    return network.code === 'error'
      ? { ...base, status: 'error', summary: 'The probe could not decide', reason: network.message, code: network.code }
      : { ...base, status: 'fail', summary: NETWORK_SUMMARY[network.code]?.(report) ?? `TCP ${report.port} not reachable`, reason: `${network.message} ${NETWORK_ADVICE[network.code]?.(report) ?? ''}`.trim(), code: network.code };
  }
  if (wsman && wsman.severity === 'critical') {
    return { ...base, status: 'fail', summary: `Port ${report.port} answers, but not as WS-Management`, reason: wsman.message, code: wsman.code };
  }
  const certNote = certificate.length ? ` The certificate has problems (${certificate.map((c) => c.code).join(', ')}); the certificate step decides them.` : '';
  if (wsman) {
    return { ...base, status: 'warn', summary: `TCP ${report.port} and TLS reachable; Identify needs authentication`, reason: `${wsman.message}${certNote}`, code: wsman.code };
  }
  return { ...base, status: 'pass', summary: `TCP ${report.port}, TLS and WS-Man Identify reachable from here`, reason: `The path from this machine to ${report.host}:${report.port} is open and WinRM answers.${certNote}` };
}
