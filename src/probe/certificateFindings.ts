// The presented certificate of a WinRM HTTPS listener, judged: its facts (subject, SANs, validity, SHA-1 thumbprint in
// Windows format, trust and by what) and the findings about them (expiry band, name match, trust, expected thumbprint).
// Pure: it reads the peer certificate the TLS handshake gave (probe.ts does the network work).
import type * as tls from 'node:tls';
import {
  EXPIRY_FAIL_DAYS, EXPIRY_WARN_DAYS, certificateNames, expiryOf, matchingName, normaliseThumbprint, parseCertDate,
  parseSubjectAltName, thumbprintOf,
} from './certificate';
import { trustFinding, type TrustAnchors } from './trust';
import type { CertificateInfo, Finding, ProbeOptions } from './types';

/** The source of the first certificate on the presented chain (leaf first) that is one of the trusted roots. */
function trustSource(peer: tls.DetailedPeerCertificate, trust: Pick<TrustAnchors, 'sourceOf'> | undefined): string | undefined {
  if (!trust) return undefined;
  const seen = new Set<tls.DetailedPeerCertificate>();
  for (let c: tls.DetailedPeerCertificate | undefined = peer; c?.raw && !seen.has(c); c = c.issuerCertificate) {
    seen.add(c);
    const source = trust.sourceOf(thumbprintOf(c.raw));
    if (source) return source;
  }
  return undefined;
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
  o: Pick<ProbeOptions, 'expectedThumbprint' | 'warnDays' | 'failDays'> & { now: Date; trust?: Pick<TrustAnchors, 'sourceOf'> },
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
  if (trusted) {
    const by = trustSource(peer, o.trust);
    if (by) cert.trustedBy = by;
  }
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
  const trust = trustFinding(cert);
  if (trust) findings.push(trust);
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
