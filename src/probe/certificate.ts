// Pure certificate facts for the connectivity probe: Windows-format thumbprint, host-name matching (RFC 6125
// wildcards), and the expiry bands the catalog uses (HealthChecker's: ≥ 60 days pass, 30–59 warn, < 30 fail).
import { X509Certificate, createHash } from 'node:crypto';

export const EXPIRY_WARN_DAYS = 60;
export const EXPIRY_FAIL_DAYS = 30;
const DAY_MS = 86_400_000;

/** SHA-1 of the DER certificate as Windows shows `Thumbprint`: 40 uppercase hex digits, no separators. */
export function thumbprintOf(der: Buffer): string {
  return createHash('sha1').update(der).digest('hex').toUpperCase();
}

/**
 * A thumbprint as typed or pasted (colons, spaces, and the invisible left-to-right mark the Windows certificate
 * dialog puts in front of it) → 40 uppercase hex digits, or undefined when it is not one.
 */
export function normaliseThumbprint(raw: string): string | undefined {
  const v = raw.replace(/[\s:\u200e\u200f\ufeff]/g, '').toUpperCase();
  return /^[0-9A-F]{40}$/.test(v) ? v : undefined;
}

/** Node's `subjectaltname` ("DNS:a, DNS:b, IP Address:1.2.3.4") → DNS names and IP addresses. */
export function parseSubjectAltName(san: string | undefined): { dns: string[]; ip: string[] } {
  const dns: string[] = [];
  const ip: string[] = [];
  for (const part of (san ?? '').split(/,\s*/)) {
    const m = /^(DNS|IP Address):(.*)$/.exec(part.trim());
    if (!m) continue;
    const value = (m[2] ?? '').trim().replace(/^"|"$/g, '');
    if (m[1] === 'DNS') dns.push(value);
    else ip.push(value);
  }
  return { dns, ip };
}

/**
 * Whether `pattern` (a certificate name) covers `host`: case-insensitive, trailing dots ignored; a wildcard is
 * allowed only as the whole left-most label and covers exactly one label (`*.contoso.com` covers
 * `exch01.contoso.com`, not `contoso.com` nor `a.b.contoso.com`), and never directly under a top-level domain.
 */
export function nameMatches(pattern: string, host: string): boolean {
  const p = pattern.trim().replace(/\.$/, '').toLowerCase();
  const h = host.trim().replace(/\.$/, '').toLowerCase();
  if (!p || !h) return false;
  if (!p.includes('*')) return p === h;
  const pl = p.split('.');
  const hl = h.split('.');
  if (pl[0] !== '*' || pl.slice(1).some((l) => l.includes('*')) || pl.length < 3) return false;
  if (hl.length !== pl.length) return false;
  return pl.slice(1).join('.') === hl.slice(1).join('.') && (hl[0] ?? '').length > 0;
}

/** The names a TLS client checks: the DNS SANs, or the subject CN only when there are no DNS SANs. */
export function certificateNames(subjectCn: string | undefined, sanDns: readonly string[]): string[] {
  if (sanDns.length) return [...sanDns];
  return subjectCn ? [subjectCn] : [];
}

export function matchingName(host: string, names: readonly string[]): string | undefined {
  return names.find((n) => nameMatches(n, host));
}

export type ExpiryBand = 'not-yet-valid' | 'expired' | 'fail' | 'warn' | 'pass';

export interface Expiry {
  readonly band: ExpiryBand;
  /** Whole days until NotAfter (negative once expired), rounded down. */
  readonly daysRemaining: number;
}

/** The catalog's bands: ≥ 60 days pass, 30–59 warn, < 30 fail; before NotBefore or after NotAfter their own bands. */
export function expiryOf(notBefore: Date, notAfter: Date, now: Date, warnDays = EXPIRY_WARN_DAYS, failDays = EXPIRY_FAIL_DAYS): Expiry {
  const daysRemaining = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  if (now.getTime() < notBefore.getTime()) return { band: 'not-yet-valid', daysRemaining };
  if (now.getTime() > notAfter.getTime()) return { band: 'expired', daysRemaining };
  if (daysRemaining < failDays) return { band: 'fail', daysRemaining };
  if (daysRemaining < warnDays) return { band: 'warn', daysRemaining };
  return { band: 'pass', daysRemaining };
}

/** Node's `valid_from`/`valid_to` ("Jan  1 00:00:00 2030 GMT") → Date. */
export function parseCertDate(text: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`unreadable certificate date "${text}"`);
  return d;
}

/**
 * The certificates in a CA file as PEM: PEM text with one or more CERTIFICATE blocks (a bundle), or one DER
 * certificate (what `Export-Certificate -Type CERT` and the Windows export wizard write as .cer). Every block must
 * parse; a file without a certificate is an error naming what was expected.
 */
export function certificatesFromFile(bytes: Uint8Array, name: string): string[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('latin1');
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  const parse = (input: string | Buffer, which: string): string => {
    try {
      return new X509Certificate(input).toString();
    } catch (err) {
      throw new Error(`${name}: ${which} is not a readable X.509 certificate (${err instanceof Error ? err.message : String(err)}).`);
    }
  };
  if (blocks) return blocks.map((b, i) => parse(b, blocks.length > 1 ? `certificate ${i + 1}` : 'the certificate'));
  if (/-----BEGIN /.test(text)) throw new Error(`${name} holds no CERTIFICATE block (a private key or a request is not a CA certificate).`);
  if (buf.length === 0) throw new Error(`${name} is empty.`);
  if (buf[0] !== 0x30) throw new Error(`${name} is neither PEM (-----BEGIN CERTIFICATE-----) nor a DER certificate (.cer).`);
  return [parse(buf, 'the DER certificate')];
}

/** The Windows-format thumbprint of a PEM certificate. */
export function thumbprintOfPem(pem: string): string {
  return thumbprintOf(new X509Certificate(pem).raw);
}
