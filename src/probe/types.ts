// The probe's vocabulary: severities, verdict codes, findings and the report, plus its options. Pure types and
// constants (probe.ts does the network work and re-exports these for its callers).
import type * as net from 'node:net';

export const SEVERITIES = ['ok', 'warning', 'critical', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Every verdict the probe can give; each failure mode has its own. */
export const VERDICTS = {
  ok: 'ok',
  dnsFailure: 'dns-failure',
  refused: 'refused',
  timeout: 'timeout',
  unreachable: 'unreachable',
  notTls: 'not-tls',
  tlsFailed: 'tls-failed',
  expired: 'expired',
  notYetValid: 'not-yet-valid',
  expiringCritical: 'expiring-critical',
  expiring: 'expiring',
  nameMismatch: 'name-mismatch',
  selfSigned: 'self-signed',
  selfSignedTrusted: 'self-signed-trusted',
  untrusted: 'untrusted',
  thumbprintMismatch: 'thumbprint-mismatch',
  wsmanAuthRequired: 'wsman-auth-required',
  wsmanNotWsman: 'wsman-not-wsman',
  wsmanFailed: 'wsman-failed',
  error: 'error',
} as const;
export type Verdict = (typeof VERDICTS)[keyof typeof VERDICTS];

/** The roots a certificate chain may end in, and where each came from (built in trust.ts). */
export interface TrustAnchors {
  /** Every root a chain may end in (PEM, deduplicated). */
  readonly roots: readonly string[];
  /** For people: where the roots came from. */
  readonly description: string;
  /** Which source holds the root with this thumbprint (configured files first). */
  sourceOf(thumbprint: string): string | undefined;
}

export interface Finding {
  readonly code: Verdict;
  readonly severity: Severity;
  readonly message: string;
}

export interface CertificateInfo {
  readonly subject: string;
  readonly subjectCn?: string;
  readonly issuer: string;
  readonly sanDns: readonly string[];
  readonly sanIp: readonly string[];
  readonly notBefore: string;
  readonly notAfter: string;
  readonly daysRemaining: number;
  /** SHA-1, 40 uppercase hex digits, as Windows shows Thumbprint. */
  readonly thumbprint: string;
  readonly serialNumber: string;
  readonly selfSigned: boolean;
  readonly trusted: boolean;
  /** OpenSSL's reason when the chain is not trusted (e.g. DEPTH_ZERO_SELF_SIGNED_CERT). */
  readonly trustError?: string;
  /** Where the root that made it trusted comes from: a configured CA file, the machine's store, Node's roots. */
  readonly trustedBy?: string;
  /** The certificate name that covers the probed host, when one does. */
  readonly matchedName?: string;
}

export interface WsmanIdentity {
  readonly status: number;
  readonly protocolVersion?: string;
  readonly productVendor?: string;
  readonly productVersion?: string;
  /** WWW-Authenticate offers on a 401. */
  readonly authenticate?: readonly string[];
}

export interface ProbeReport {
  readonly host: string;
  readonly port: number;
  /** Where the probe connected (the host itself unless connectTo was given). */
  readonly address: string;
  readonly verdict: Verdict;
  readonly severity: Severity;
  readonly findings: readonly Finding[];
  readonly tls?: { readonly protocol: string; readonly cipher: string };
  readonly certificate?: CertificateInfo;
  readonly wsman?: WsmanIdentity;
  /** What the certificate was checked against (see TrustAnchors.description). */
  readonly trustStore?: string;
  readonly elapsedMs: number;
}

export interface ProbeOptions {
  /** Default 5986. */
  readonly port?: number;
  /** Connect to this address instead of resolving the host name (SNI and name checks still use the host). */
  readonly connectTo?: string;
  /** Per phase (connect, handshake, Identify); default 5000 ms. */
  readonly timeoutMs?: number;
  /** The thumbprint the listener is configured with, when known. */
  readonly expectedThumbprint?: string;
  /** The roots to trust (see trust.ts: the machine's store, Node's roots, configured CA files). */
  readonly trust?: TrustAnchors;
  /** Shorthand when `trust` is not given: Node's bundled roots plus these PEM certificates. Neither: Node's defaults. */
  readonly ca?: string | readonly string[];
  /** Send the WS-Man Identify request (default true). */
  readonly identify?: boolean;
  readonly now?: () => Date;
  readonly warnDays?: number;
  readonly failDays?: number;
  readonly signal?: AbortSignal;
  /** Name resolution (default: the OS resolver); tests inject one to cover DNS failures offline. */
  readonly lookup?: net.LookupFunction;
}
