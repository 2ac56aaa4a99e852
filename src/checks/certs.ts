// Certificate facts shared by the listener and certificate steps. Pure.
import { arr, bool, date, daysBetween, obj, str, strs, type JsonObject } from './json';

export const SERVER_AUTH_EKU = '1.3.6.1.5.5.7.3.1';

export interface CertFacts {
  readonly thumbprint: string;
  readonly subject: string;
  readonly issuer: string;
  readonly dnsNames: readonly string[];
  readonly ekus: readonly string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly hasPrivateKey: boolean;
  readonly selfSigned: boolean;
}

export function certFacts(v: unknown): CertFacts {
  const o = obj(v);
  const nb = date(o.notBefore);
  const na = date(o.notAfter);
  return {
    thumbprint: (str(o.thumbprint) ?? '').toUpperCase(),
    subject: str(o.subject) ?? '',
    issuer: str(o.issuer) ?? '',
    dnsNames: strs(o.dnsNames),
    ekus: strs(o.ekus),
    ...(nb ? { notBefore: nb } : {}),
    ...(na ? { notAfter: na } : {}),
    hasPrivateKey: bool(o.hasPrivateKey) === true,
    selfSigned: bool(o.selfSigned) === true || (str(o.subject) ?? 'a') === (str(o.issuer) ?? 'b'),
  };
}

/** The CN of an X.500 subject ("CN=exch01.contoso.com, OU=IT" → exch01.contoso.com). */
export function commonName(subject: string): string | undefined {
  const m = /(?:^|,\s*)CN=("(?:[^"]|"")*"|[^,]*)/i.exec(subject);
  return m ? (m[1] ?? '').replace(/^"|"$/g, '').trim() : undefined;
}

/** Whether a certificate name (possibly *.domain) covers a host name. */
export function nameCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase();
  if (p === h) return true;
  if (p.startsWith('*.')) {
    const rest = h.slice(h.indexOf('.') + 1);
    return h.includes('.') && rest === p.slice(2);
  }
  return false;
}

/** SANs decide when present; the CN only when there are none (RFC 6125). */
export function certMatchesHost(c: CertFacts, host: string): boolean {
  if (c.dnsNames.length) return c.dnsNames.some((n) => nameCovers(n, host));
  const cn = commonName(c.subject);
  return cn !== undefined && nameCovers(cn, host);
}

export function hasServerAuth(c: CertFacts): boolean {
  return c.ekus.length === 0 || c.ekus.includes(SERVER_AUTH_EKU);
}

export function daysRemaining(c: CertFacts, now: Date): number | undefined {
  return c.notAfter ? daysBetween(now, c.notAfter) : undefined;
}

export function describeCert(c: CertFacts, now: Date): string {
  const days = daysRemaining(c, now);
  const until = c.notAfter ? c.notAfter.toISOString().slice(0, 10) : '?';
  return `${c.thumbprint || '?'} ${c.subject || '(no subject)'}; SAN ${c.dnsNames.join(', ') || '(none)'}; until ${until}${days !== undefined ? ` (${days} days)` : ''}${c.selfSigned ? '; self-signed' : ''}`;
}

export interface HttpsListener {
  readonly raw: JsonObject;
  readonly address: string;
  readonly port: number | undefined;
  readonly hostname: string;
  readonly enabled: boolean;
  readonly thumbprint: string;
  readonly certFound: boolean;
  readonly cert?: CertFacts;
}

export function httpsListeners(data: JsonObject): HttpsListener[] {
  return arr(data.https).map(obj).map((l) => {
    const certificate = l.certificate === null || l.certificate === undefined ? undefined : certFacts(l.certificate);
    const port = Number(str(l.port));
    return {
      raw: l,
      address: str(l.address) ?? '',
      port: Number.isFinite(port) ? port : undefined,
      hostname: str(l.hostname) ?? '',
      enabled: bool(l.enabled) !== false,
      thumbprint: (str(l.certificateThumbprint) ?? '').toUpperCase(),
      certFound: certificate !== undefined,
      ...(certificate ? { cert: certificate } : {}),
    };
  });
}

/** The script part both certificate steps share: listeners, their certificates, candidates. */
export const LISTENER_CERT_CHECK = String.raw`$listeners = @(Get-ErsListeners)
$https = @($listeners | Where-Object { $_.transport -eq 'HTTPS' } | ForEach-Object {
    $certificate = $null
    if ($_.certificateThumbprint -ne '') {
        $path = 'Cert:\LocalMachine\My\' + $_.certificateThumbprint
        if (Test-Path -Path $path) { $certificate = Get-ErsCertInfo -Cert (Get-Item -Path $path) }
    }
    [pscustomobject]@{
        address = $_.address
        port = $_.port
        hostname = $_.hostname
        enabled = $_.enabled
        certificateThumbprint = $_.certificateThumbprint
        listeningOn = $_.listeningOn
        certificate = $certificate
    }
})
$candidates = @(Get-ErsListenerCertificates -HostName $ersServer | ForEach-Object { Get-ErsCertInfo -Cert $_ })
[pscustomobject]@{
    listenerCount = $listeners.Count
    https = $https
    candidates = $candidates
}`;
