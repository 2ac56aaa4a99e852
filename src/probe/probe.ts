// Connectivity probe of a WinRM HTTPS listener, in Node, from the machine VS Code runs on (Linux and macOS too; no
// PowerShell): TCP connect → TLS handshake → the presented certificate (subject, SANs, validity, SHA-1 thumbprint
// in Windows format, name match, expiry band, trust, optional expected thumbprint) → an unauthenticated WS-Management
// Identify. Each failure mode has its own verdict code and message. Effects: node:net, node:tls.
// The certificate's findings are judged in certificateFindings.ts, the Identify is sent by wsmanIdentify.ts.
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Observations } from '../checks/types';
import { assessCertificate } from './certificateFindings';
import { anchorsFromPem } from './trust';
import { identify } from './wsmanIdentify';

import { SEVERITIES, VERDICTS, type Severity, type Verdict, type Finding, type CertificateInfo, type WsmanIdentity, type ProbeReport, type ProbeOptions } from './types';

export { SEVERITIES, VERDICTS };
export type { Severity, Verdict, Finding, CertificateInfo, WsmanIdentity, ProbeReport, ProbeOptions };

const SEVERITY_RANK: Record<Severity, number> = { ok: 0, unknown: 1, warning: 2, critical: 3 };

/** The worst severity; ties go to the first finding (findings are ordered by layer: network, TLS, certificate, WS-Man). */
export function summarise(findings: readonly Finding[]): { verdict: Verdict; severity: Severity } {
  let worst: Finding | undefined;
  for (const f of findings) if (!worst || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst.severity]) worst = f;
  return worst && worst.severity !== 'ok' ? { verdict: worst.code, severity: worst.severity } : { verdict: 'ok', severity: 'ok' };
}

class PhaseError extends Error {
  constructor(readonly finding: Finding) {
    super(finding.message);
  }
}

function connectTcp(host: string, port: number, timeoutMs: number, label: string, lookup?: net.LookupFunction): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, ...(lookup ? { lookup } : {}) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new PhaseError({ code: 'timeout', severity: 'critical', message: `TCP connect to ${label} got no answer within ${timeoutMs} ms (a firewall dropping packets, or the host is down).` }));
    }, timeoutMs);
    socket.once('connect', () => { clearTimeout(timer); resolve(socket); });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new PhaseError(networkFinding(err, label)));
    });
  });
}

function networkFinding(err: NodeJS.ErrnoException, label: string): Finding {
  switch (err.code) {
    case 'ECONNREFUSED':
      return { code: 'refused', severity: 'critical', message: `${label} refused the connection: nothing listens on that port (no WinRM HTTPS listener, or a firewall rejects it).` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return { code: 'dns-failure', severity: 'critical', message: `The name ${label.replace(/:\d+$/, '')} does not resolve (${err.code}).` };
    case 'ETIMEDOUT':
      return { code: 'timeout', severity: 'critical', message: `TCP connect to ${label} timed out.` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { code: 'unreachable', severity: 'critical', message: `No route to ${label} (${err.code}).` };
    default:
      return { code: 'error', severity: 'unknown', message: `Connecting to ${label} failed: ${err.code ?? ''} ${err.message}`.trim() };
  }
}

const NOT_TLS_CODES = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|UNKNOWN_PROTOCOL|RECORD_LAYER_FAILURE|INVALID_RECORD/;

function handshake(socket: net.Socket, servername: string | undefined, roots: readonly string[] | undefined, timeoutMs: number, label: string): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const options: tls.ConnectionOptions = { socket, rejectUnauthorized: false };
    if (servername) options.servername = servername;
    // Always explicit when known, so VS Code's extension-host TLS patch (which adds its own roots only when no
    // `ca` is given) cannot make the sidebar trust something the CLI does not.
    if (roots !== undefined) options.ca = [...roots];
    const t = tls.connect(options);
    const timer = setTimeout(() => {
      t.destroy();
      reject(new PhaseError({ code: 'timeout', severity: 'critical', message: `${label} accepted the TCP connection but completed no TLS handshake within ${timeoutMs} ms.` }));
    }, timeoutMs);
    t.once('secureConnect', () => { clearTimeout(timer); resolve(t); });
    t.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      t.destroy();
      const code = err.code ?? '';
      if (NOT_TLS_CODES.test(code) || NOT_TLS_CODES.test(err.message.toUpperCase().replace(/ /g, '_'))) {
        reject(new PhaseError({ code: 'not-tls', severity: 'critical', message: `${label} does not speak TLS (${code || err.message}): is this the HTTP listener (5985) or another service?` }));
      } else {
        reject(new PhaseError({ code: 'tls-failed', severity: 'critical', message: `The TLS handshake with ${label} failed: ${code ? `${code}: ` : ''}${err.message}` }));
      }
    });
  });
}

/** Probes one host. Never rejects: every failure is a finding. */
export async function probe(host: string, options: ProbeOptions = {}): Promise<ProbeReport> {
  const started = Date.now();
  const port = options.port ?? 5986;
  const timeoutMs = options.timeoutMs ?? 5000;
  const address = options.connectTo ?? host;
  const label = `${host}:${port}`;
  const findings: Finding[] = [];
  const trust = options.trust ?? (options.ca !== undefined ? anchorsFromPem(options.ca) : undefined);
  const base = { host, port, address, ...(trust ? { trustStore: trust.description } : {}) };
  const done = (extra: Partial<Pick<ProbeReport, 'tls' | 'certificate' | 'wsman'>> = {}): ProbeReport => ({
    ...base, ...summarise(findings), findings, ...extra, elapsedMs: Date.now() - started,
  });
  if (options.signal?.aborted) {
    findings.push({ code: 'error', severity: 'unknown', message: 'The probe was cancelled.' });
    return done();
  }
  let socket: net.Socket | undefined;
  let secure: tls.TLSSocket | undefined;
  try {
    socket = await connectTcp(address, port, timeoutMs, label, options.lookup);
    secure = await handshake(socket, net.isIP(host) === 0 ? host : undefined, trust?.roots, timeoutMs, label);
    const peer = secure.getPeerCertificate(true);
    if (!peer || !peer.raw) {
      findings.push({ code: 'tls-failed', severity: 'critical', message: `${label} completed TLS without presenting a certificate.` });
      return done();
    }
    const tlsInfo = { protocol: secure.getProtocol() ?? '', cipher: secure.getCipher()?.name ?? '' };
    const assessed = assessCertificate(peer, secure.authorized, secure.authorizationError?.toString(), host, {
      ...(options.expectedThumbprint !== undefined ? { expectedThumbprint: options.expectedThumbprint } : {}),
      ...(options.warnDays !== undefined ? { warnDays: options.warnDays } : {}),
      ...(options.failDays !== undefined ? { failDays: options.failDays } : {}),
      now: (options.now ?? (() => new Date()))(),
      ...(trust ? { trust } : {}),
    });
    findings.push(...assessed.findings);
    secure.destroy();
    secure = undefined;
    let wsman: WsmanIdentity | undefined;
    if (options.identify !== false) {
      const id = await identify(host, address, port, timeoutMs, trust?.roots, options.lookup);
      wsman = id.identity;
      if (id.finding) findings.push(id.finding);
    }
    if (!findings.some((f) => f.severity !== 'ok')) findings.unshift({ code: 'ok', severity: 'ok', message: `${label}: TLS ${tlsInfo.protocol}, certificate valid for ${assessed.certificate.daysRemaining} more days, ${wsman ? `WS-Man ${wsman.productVendor ?? ''} ${wsman.productVersion ?? ''}`.trim() : 'Identify not sent'}.` });
    return done({ tls: tlsInfo, certificate: assessed.certificate, ...(wsman ? { wsman } : {}) });
  } catch (err) {
    findings.push(err instanceof PhaseError ? err.finding : { code: 'error', severity: 'unknown', message: `Probe of ${label} failed: ${err instanceof Error ? err.message : String(err)}` });
    return done();
  } finally {
    secure?.destroy();
    socket?.destroy();
  }
}

/** The probe's view of the presented certificate, as the catalog's evaluators take it (EvalContext.observed). */
export function toObservations(report: ProbeReport): Observations {
  const c = report.certificate;
  if (!c) return {};
  return { presentedCertificate: { thumbprint: c.thumbprint, notAfter: c.notAfter, trusted: c.trusted, nameMatches: c.matchedName !== undefined } };
}
