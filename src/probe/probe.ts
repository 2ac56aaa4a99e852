// Connectivity probe of a WinRM HTTPS listener, in Node, from the machine VS Code runs on (Linux and macOS too; no
// PowerShell): TCP connect → TLS handshake → the presented certificate (subject, SANs, validity, SHA-1 thumbprint
// in Windows format, name match, expiry band, trust, optional expected thumbprint) → an unauthenticated WS-Management
// Identify. Each failure mode has its own verdict code and message. Effects: node:net, node:tls, node:https.
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as https from 'node:https';
import type { Observations } from '../checks/types';
import {
  EXPIRY_FAIL_DAYS, EXPIRY_WARN_DAYS, certificateNames, expiryOf, matchingName, normaliseThumbprint, parseCertDate,
  parseSubjectAltName, thumbprintOf,
} from './certificate';

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

function handshake(socket: net.Socket, servername: string | undefined, ca: string | readonly string[] | undefined, timeoutMs: number, label: string): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const options: tls.ConnectionOptions = { socket, rejectUnauthorized: false };
    if (servername) options.servername = servername;
    if (ca !== undefined) options.ca = [...tls.rootCertificates, ...(typeof ca === 'string' ? [ca] : ca)];
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

function describeName(name: tls.Certificate | undefined): string {
  if (!name) return '';
  return Object.entries(name).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`).join(', ');
}

function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Certificate facts and the findings about them. */
export function assessCertificate(
  peer: tls.DetailedPeerCertificate, authorized: boolean, authorizationError: string | undefined, host: string,
  o: Pick<ProbeOptions, 'expectedThumbprint' | 'warnDays' | 'failDays'> & { now: Date },
): { certificate: CertificateInfo; findings: Finding[] } {
  const findings: Finding[] = [];
  const san = parseSubjectAltName(peer.subjectaltname);
  const subjectCn = firstValue(peer.subject?.CN);
  const notBefore = parseCertDate(peer.valid_from);
  const notAfter = parseCertDate(peer.valid_to);
  const expiry = expiryOf(notBefore, notAfter, o.now, o.warnDays ?? EXPIRY_WARN_DAYS, o.failDays ?? EXPIRY_FAIL_DAYS);
  const thumbprint = thumbprintOf(peer.raw);
  const selfSigned = authorizationError === 'DEPTH_ZERO_SELF_SIGNED_CERT'
    || (describeName(peer.subject) === describeName(peer.issuer) && (!peer.issuerCertificate || peer.issuerCertificate === peer));
  // Expiry is judged by our own bands, so OpenSSL's date errors do not count against trust.
  const dateOnly = authorizationError === 'CERT_HAS_EXPIRED' || authorizationError === 'CERT_NOT_YET_VALID';
  const trusted = authorized || dateOnly;
  const names = certificateNames(subjectCn, san.dns);
  const matched = matchingName(host, names);
  const cert: { -readonly [K in keyof CertificateInfo]: CertificateInfo[K] } = {
    subject: describeName(peer.subject),
    issuer: describeName(peer.issuer),
    sanDns: san.dns,
    sanIp: san.ip,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysRemaining: expiry.daysRemaining,
    thumbprint,
    serialNumber: peer.serialNumber,
    selfSigned,
    trusted,
  };
  if (subjectCn) cert.subjectCn = subjectCn;
  if (!trusted && authorizationError) cert.trustError = authorizationError;
  if (matched) cert.matchedName = matched;

  const day = (d: Date): string => d.toISOString().slice(0, 10);
  switch (expiry.band) {
    case 'expired':
      findings.push({ code: 'expired', severity: 'critical', message: `The certificate expired on ${day(notAfter)} (${-expiry.daysRemaining} days ago). WinRM clients fail with "The SSL Certificate is expired".` });
      break;
    case 'not-yet-valid':
      findings.push({ code: 'not-yet-valid', severity: 'critical', message: `The certificate is not valid before ${day(notBefore)} (check the server clock or the issued dates).` });
      break;
    case 'fail':
      findings.push({ code: 'expiring-critical', severity: 'critical', message: `The certificate expires on ${day(notAfter)}, in ${expiry.daysRemaining} days (under ${o.failDays ?? EXPIRY_FAIL_DAYS}).` });
      break;
    case 'warn':
      findings.push({ code: 'expiring', severity: 'warning', message: `The certificate expires on ${day(notAfter)}, in ${expiry.daysRemaining} days (under ${o.warnDays ?? EXPIRY_WARN_DAYS}).` });
      break;
    case 'pass':
      break;
  }
  if (!matched) {
    findings.push({ code: 'name-mismatch', severity: 'critical', message: `The certificate is for ${names.length ? names.join(', ') : '(no name)'}, not for ${host}; WinRM rejects it (0x80338115, CN mismatch).` });
  }
  if (selfSigned) {
    findings.push({ code: 'self-signed', severity: 'critical', message: 'The certificate is self-signed: clients do not trust it unless it is imported into their Trusted Root store (or -SkipCACheck weakens the check).' });
  } else if (!trusted) {
    findings.push({ code: 'untrusted', severity: 'critical', message: `The certificate chain is not trusted here (${authorizationError ?? 'unknown reason'}): the issuing CA is missing from this machine's trust store.` });
  }
  if (o.expectedThumbprint !== undefined) {
    const expected = normaliseThumbprint(o.expectedThumbprint);
    if (!expected) {
      findings.push({ code: 'error', severity: 'unknown', message: `"${o.expectedThumbprint.slice(0, 60)}" is not a thumbprint (40 hexadecimal digits).` });
    } else if (expected !== thumbprint) {
      findings.push({ code: 'thumbprint-mismatch', severity: 'warning', message: `The listener presents ${thumbprint}, but it is configured with ${expected} (renewed certificate not rebound, or a different binding).` });
    }
  }
  return { certificate: cert, findings };
}

const IDENTIFY_BODY = '<?xml version="1.0" encoding="UTF-8"?>'
  + '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsmid="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd">'
  + '<s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>';

function xmlValue(xml: string, local: string): string | undefined {
  const m = new RegExp(`<(?:[A-Za-z0-9_-]+:)?${local}(?:\\s[^>]*)?>([^<]*)</(?:[A-Za-z0-9_-]+:)?${local}>`).exec(xml);
  return m?.[1]?.trim();
}

/** Unauthenticated WS-Management Identify (POST /wsman, header WSMANIDENTIFY: unauthenticated). */
export function identify(host: string, address: string, port: number, timeoutMs: number, ca?: string | readonly string[], lookup?: net.LookupFunction): Promise<{ identity?: WsmanIdentity; finding?: Finding }> {
  return new Promise((resolve) => {
    const label = `${host}:${port}`;
    const options: https.RequestOptions = {
      host: address, port, path: '/wsman', method: 'POST', agent: false, rejectUnauthorized: false,
      headers: {
        'Content-Type': 'application/soap+xml;charset=UTF-8',
        'WSMANIDENTIFY': 'unauthenticated',
        'Content-Length': Buffer.byteLength(IDENTIFY_BODY),
        'Host': `${host}:${port}`,
      },
      timeout: timeoutMs,
    };
    if (net.isIP(host) === 0) options.servername = host;
    if (lookup) options.lookup = lookup;
    if (ca !== undefined) options.ca = [...tls.rootCertificates, ...(typeof ca === 'string' ? [ca] : ca)];
    const req = https.request(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { if (body.length < 65536) body += c; });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status === 200 && /IdentifyResponse/.test(body)) {
          const id: { -readonly [K in keyof WsmanIdentity]: WsmanIdentity[K] } = { status };
          const pv = xmlValue(body, 'ProtocolVersion'); if (pv) id.protocolVersion = pv;
          const vendor = xmlValue(body, 'ProductVendor'); if (vendor) id.productVendor = vendor;
          const version = xmlValue(body, 'ProductVersion'); if (version) id.productVersion = version;
          resolve({ identity: id });
        } else if (status === 401) {
          const raw = res.headersDistinct['www-authenticate'] ?? [];
          const offers = raw.flatMap((h) => [...h.matchAll(/(?:^|,)\s*([A-Za-z0-9_-]+)(?=\s|,|$)/g)].map((m) => m[1] ?? ''));
          resolve({
            identity: { status, authenticate: offers },
            finding: { code: 'wsman-auth-required', severity: 'warning', message: `${label} answers WS-Management but refuses the unauthenticated Identify (401; offers ${offers.join(', ') || 'nothing'}). The listener is there; Test-WSMan needs credentials.` },
          });
        } else {
          resolve({ identity: { status }, finding: { code: 'wsman-not-wsman', severity: 'warning', message: `${label} speaks TLS, but POST /wsman returned HTTP ${status} without an IdentifyResponse: this is probably not a WinRM listener.` } });
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ finding: { code: 'wsman-failed', severity: 'warning', message: `The WS-Management Identify request to ${label} failed: ${err.message}` } }));
    req.end(IDENTIFY_BODY);
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
  const base = { host, port, address };
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
    secure = await handshake(socket, net.isIP(host) === 0 ? host : undefined, options.ca, timeoutMs, label);
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
    });
    findings.push(...assessed.findings);
    secure.destroy();
    secure = undefined;
    let wsman: WsmanIdentity | undefined;
    if (options.identify !== false) {
      const id = await identify(host, address, port, timeoutMs, options.ca, options.lookup);
      wsman = id.identity;
      if (id.finding) findings.push(id.finding);
    }
    if (findings.length === 0) findings.push({ code: 'ok', severity: 'ok', message: `${label}: TLS ${tlsInfo.protocol}, certificate valid for ${assessed.certificate.daysRemaining} more days, ${wsman ? `WS-Man ${wsman.productVendor ?? ''} ${wsman.productVersion ?? ''}`.trim() : 'Identify not sent'}.` });
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
  return { presentedCertificate: { thumbprint: c.thumbprint, notAfter: c.notAfter, trusted: c.trusted && !c.selfSigned, nameMatches: c.matchedName !== undefined } };
}
