// What the probe trusts, built the way a sync server trusts: the operating system's certificate store where this
// Node offers it (tls.getCACertificates('system'), Node 22.15+ / 23.9+: Windows and macOS stores, OpenSSL's
// directory and file elsewhere), Node's bundled roots, NODE_EXTRA_CA_CERTS, and the configured CA files (a
// self-signed listener certificate exported from the server, or the enterprise root). And the one decision about a
// presented certificate's trust that the sidebar and every CLI share. Effects: node:tls, node:worker_threads.
import * as tls from 'node:tls';
import { Worker } from 'node:worker_threads';
import { thumbprintOfPem } from './certificate';
import type { Finding, TrustAnchors } from './types';

/** A CA file as read: its name for messages and its certificates (PEM, from certificatesFromFile). */
export interface CaFile {
  readonly name: string;
  readonly certificates: readonly string[];
}

export type { TrustAnchors } from './types';

export const SYSTEM_STORE = "this machine's certificate store";
export const BUNDLED_ROOTS = "Node's bundled Mozilla roots";
const EXTRA_ENV = 'NODE_EXTRA_CA_CERTS';

type GetCa = (type: 'system' | 'bundled' | 'extra' | 'default') => string[];
const getCACertificates = (tls as unknown as { getCACertificates?: GetCa }).getCACertificates;

/** Whether this Node can read the operating system's store (tls.getCACertificates, Node 22.15+). */
export function nodeReadsSystemStore(): boolean {
  return typeof getCACertificates === 'function';
}

export interface SystemRoots {
  readonly certificates: readonly string[];
  /** Why there are none, when there are none. */
  readonly unavailable?: string;
}

// The store is read once per process, off the main thread: on macOS a keychain read takes seconds (VS Code's own
// proxy agent reads it in a worker for the same reason).
const WORKER = `const { parentPort } = require('node:worker_threads');
try { parentPort.postMessage({ certificates: require('node:tls').getCACertificates('system') }); }
catch (err) { parentPort.postMessage({ error: String(err && err.message || err) }); }`;
let systemLoad: Promise<SystemRoots> | undefined;

export function systemRoots(timeoutMs = 30_000): Promise<SystemRoots> {
  if (!nodeReadsSystemStore()) {
    return Promise.resolve({ certificates: [], unavailable: `Node ${process.version} cannot read the operating system's store (needs 22.15 or later)` });
  }
  systemLoad ??= new Promise<SystemRoots>((resolve) => {
    const worker = new Worker(WORKER, { eval: true });
    const finish = (r: SystemRoots): void => { clearTimeout(timer); resolve(r); void worker.terminate(); };
    const timer = setTimeout(() => finish({ certificates: [], unavailable: `reading the operating system's store took over ${timeoutMs / 1000} s` }), timeoutMs);
    timer.unref?.();
    worker.unref();
    worker.once('message', (m: { certificates?: unknown; error?: string }) => {
      const certs = Array.isArray(m.certificates) ? m.certificates.filter((c): c is string => typeof c === 'string') : [];
      finish(m.error !== undefined ? { certificates: [], unavailable: `the operating system's store could not be read: ${m.error}` } : { certificates: certs });
    });
    worker.once('error', (err) => finish({ certificates: [], unavailable: `the operating system's store could not be read: ${err.message}` }));
  });
  return systemLoad;
}

function safeThumbprint(pem: string): string | undefined {
  try { return thumbprintOfPem(pem); } catch { return undefined; }
}

/**
 * The roots for one probe run. `system: false` leaves the operating system's store out (the CLI's
 * --no-system-ca, and tests that must not depend on the machine they run on).
 */
export async function trustAnchors(files: readonly CaFile[], options: { system?: boolean } = {}): Promise<TrustAnchors> {
  const sources = new Map<string, string>();
  const roots: string[] = [];
  const seen = new Set<string>();
  const add = (pems: readonly string[], source: string): number => {
    let n = 0;
    for (const pem of pems) {
      const key = pem.trim();
      if (seen.has(key)) continue;
      seen.add(key);
      roots.push(pem);
      n++;
      const tp = safeThumbprint(pem);
      if (tp && !sources.has(tp)) sources.set(tp, source);
    }
    return n;
  };
  const parts: string[] = [];
  for (const f of files) add(f.certificates, f.name);
  if (files.length) parts.push(`${files.length === 1 ? 'the CA file' : `${files.length} CA files`} ${files.map((f) => f.name).join(', ')}`);
  if (options.system !== false) {
    const system = await systemRoots();
    if (system.certificates.length) parts.push(`${SYSTEM_STORE} (${add(system.certificates, SYSTEM_STORE)} roots)`);
    else parts.push(`${SYSTEM_STORE} not read (${system.unavailable ?? 'it holds no roots'})`);
  }
  parts.push(`${BUNDLED_ROOTS} (${add(tls.rootCertificates, BUNDLED_ROOTS)})`);
  if (getCACertificates) {
    const extra = getCACertificates('extra');
    if (extra.length) parts.push(`${EXTRA_ENV} (${add(extra, EXTRA_ENV)})`);
  }
  return { roots, description: parts.join('; '), sourceOf: (tp) => sources.get(tp) };
}

/** Roots for the `ca` shorthand of ProbeOptions: Node's bundled roots plus the given PEM certificates. */
export function anchorsFromPem(ca: string | readonly string[]): TrustAnchors {
  const pems = typeof ca === 'string' ? [ca] : [...ca];
  const sources = new Map<string, string>();
  for (const p of pems) { const tp = safeThumbprint(p); if (tp) sources.set(tp, 'the given CA certificates'); }
  return { roots: [...pems, ...tls.rootCertificates], description: `the given CA certificates; ${BUNDLED_ROOTS}`, sourceOf: (tp) => sources.get(tp) };
}

export const CA_SETTING_HINT = 'add the certificate file to the setting exchangeRemoting.probe.caFiles (on the command line: --ca <file>)';

/**
 * The trust finding for a presented certificate: the one decision the network-path step, `probe` and `check`
 * share. A self-signed certificate that is trusted (configured CA file, or the machine's store) is fine, with its
 * trade-off named; one that is not is CRITICAL with what to do; so is a CA-issued chain that ends nowhere trusted.
 */
export function trustFinding(c: { readonly selfSigned: boolean; readonly trusted: boolean; readonly trustError?: string; readonly trustedBy?: string; readonly issuer: string }): Finding | undefined {
  if (c.selfSigned && c.trusted) {
    return {
      code: 'self-signed-trusted', severity: 'ok',
      message: `The certificate is self-signed and trusted here (${c.trustedBy ?? 'a trusted root'}), as on a sync server that imported it into Trusted Root Certification Authorities. The trade-off: it cannot be revoked, and every renewal has to be imported by hand on every sync server before the old one expires; a certificate from your enterprise CA avoids both.`,
    };
  }
  if (c.selfSigned) {
    return {
      code: 'self-signed', severity: 'critical',
      message: `The certificate is self-signed and not trusted here: a client trusts it only once it is imported into its Trusted Root Certification Authorities. If your sync servers import it, give the probe the same certificate: export it on the Exchange server (Export-Certificate -Cert Cert:\\LocalMachine\\My\\<thumbprint> -FilePath listener.cer) and ${CA_SETTING_HINT}. Otherwise bind a certificate from your enterprise CA; -SkipCACheck only hides the problem.`,
    };
  }
  if (!c.trusted) {
    return {
      code: 'untrusted', severity: 'critical',
      message: `The certificate chain is not trusted here (${c.trustError ?? 'unknown reason'}): the CA that issued it (${c.issuer || 'unnamed'}) leads to no root in ${SYSTEM_STORE}, Node's roots or the configured CA files. Import that root CA where the sync servers trust it, and for the probe ${CA_SETTING_HINT.replace('the certificate file', "the root CA's certificate file")}.`,
    };
  }
  return undefined;
}
