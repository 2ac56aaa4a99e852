// openssl-made certificates and real TLS peers on 127.0.0.1 for probe tests (test-infrastructure.md section 4).
// A throwaway CA issues listener-like certificates (valid, wildcard, expiring, expired, not yet valid, wrong name);
// self-signed ones (a year, 45 days; and one as DER) are made with `openssl req -x509`. Servers: Node https (with the WS-Man fake), `openssl s_server`
// in its own process group, a plain-HTTP listener, a silent TCP listener and a refused port. All on port 0 / free
// ports; every close() is idempotent and bounded.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HOST = 'exch01.contoso.test';

export const CERT_KINDS = ['valid', 'wildcard', 'expiring', 'expiringCritical', 'expired', 'notYetValid', 'wrongName', 'selfSigned', 'selfSignedExpiring'] as const;
export type CertKind = (typeof CERT_KINDS)[number];

export interface CertFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

export interface CertSet {
  readonly dir: string;
  readonly caFile: string;
  readonly ca: string;
  readonly certs: Record<CertKind, CertFiles>;
  /** The self-signed certificate as DER, the way `Export-Certificate -Type CERT` writes a .cer. */
  readonly selfSignedDerFile: string;
  cleanup(): void;
}

function openssl(args: string[], cwd: string): string {
  try {
    return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new Error('openssl is not installed (Debian package "openssl"; see test/tooling/apt-packages.txt).');
    throw new Error(`openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}

/** openssl date: YYYYMMDDHHMMSSZ. */
function stamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

const DAY = 86_400_000;
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function makeCertificates(now = new Date()): CertSet {
  const dir = mkdtempSync(join(tmpdir(), 'ers-tls-'));
  mkdirSync(join(dir, 'newcerts'));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(join(dir, 'ca.cnf'), [
    '[ ca ]', 'default_ca = testca', '[ testca ]',
    `dir = ${dir}`, 'database = $dir/index.txt', 'new_certs_dir = $dir/newcerts', 'serial = $dir/serial',
    'default_md = sha256', 'policy = policy_any', 'copy_extensions = copy', 'unique_subject = no', 'email_in_dn = no',
    '[ policy_any ]', 'commonName = supplied', '',
  ].join('\n'));
  openssl(['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/CN=Contoso Test Root CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);

  const issue = (name: string, cn: string, sans: string[], start: Date, end: Date): CertFiles => {
    const keyFile = join(dir, `${name}.key`);
    const certFile = join(dir, `${name}.pem`);
    openssl(['req', '-new', ...EC, '-keyout', keyFile, '-out', `${name}.csr`, '-subj', `/CN=${cn}`,
      '-addext', `subjectAltName=${sans.map((s) => `DNS:${s}`).join(',')}`, '-addext', 'extendedKeyUsage=serverAuth'], dir);
    openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${name}.csr`, '-out', certFile,
      '-startdate', stamp(start), '-enddate', stamp(end), '-notext'], dir);
    return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  };
  const ago = (days: number): Date => new Date(now.getTime() - days * DAY);
  const ahead = (days: number): Date => new Date(now.getTime() + days * DAY);
  const selfSigned = (name: string, days: number): CertFiles => {
    const keyFile = join(dir, `${name}.key`);
    const certFile = join(dir, `${name}.pem`);
    openssl(['req', '-x509', ...EC, '-keyout', keyFile, '-out', certFile, '-days', String(days), '-subj', `/CN=${HOST}`,
      '-addext', `subjectAltName=DNS:${HOST}`, '-addext', 'extendedKeyUsage=serverAuth'], dir);
    return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  };
  const certs: Record<CertKind, CertFiles> = {
    valid: issue('valid', HOST, [HOST, 'exch01'], ago(10), ahead(365)),
    wildcard: issue('wildcard', '*.contoso.test', ['*.contoso.test'], ago(10), ahead(365)),
    expiring: issue('expiring', HOST, [HOST], ago(300), ahead(45)),
    expiringCritical: issue('expiringCritical', HOST, [HOST], ago(300), ahead(10)),
    expired: issue('expired', HOST, [HOST], ago(800), ago(35)),
    notYetValid: issue('notYetValid', HOST, [HOST], ahead(30), ahead(400)),
    wrongName: issue('wrongName', 'mail.fabrikam.test', ['mail.fabrikam.test', 'autodiscover.fabrikam.test'], ago(10), ahead(365)),
    selfSigned: selfSigned('selfSigned', 365),
    selfSignedExpiring: selfSigned('selfSignedExpiring', 45),
  };
  const selfSignedDerFile = join(dir, 'selfSigned.cer');
  openssl(['x509', '-in', certs.selfSigned.certFile, '-outform', 'DER', '-out', selfSignedDerFile], dir);
  return {
    dir, caFile: join(dir, 'ca.pem'), ca: readFileSync(join(dir, 'ca.pem'), 'utf8'), certs, selfSignedDerFile,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `openssl x509 -fingerprint -sha1` without the colons: the independent reference for the thumbprint. */
export function opensslThumbprint(certFile: string): string {
  const out = openssl(['x509', '-in', certFile, '-noout', '-fingerprint', '-sha1'], tmpdir());
  const value = out.split('=')[1]?.trim() ?? '';
  return value.replace(/:/g, '').toUpperCase();
}

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  let closed: Promise<void> | undefined;
  return () => {
    closed ??= new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      const t = setTimeout(resolve, 2000);
      server.close(() => { clearTimeout(t); resolve(); });
    });
    return closed;
  };
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.on('secureConnection', (s: net.Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return sockets;
}

/** A Node https server presenting `cert`, answering with `handler` (e.g. the WS-Man fake). */
export async function startHttpsServer(cert: CertFiles, handler: http.RequestListener): Promise<RunningServer> {
  const server = https.createServer({ cert: cert.cert, key: cert.key }, handler);
  server.on('tlsClientError', () => undefined);
  const sockets = track(server);
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

/** A plain HTTP listener (what answers on 5985, or a web server on the wrong port). */
export async function startPlainHttpServer(handler: http.RequestListener): Promise<RunningServer> {
  const server = http.createServer(handler);
  const sockets = track(server);
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

/** Accepts TCP connections and never says a word: a handshake that times out. */
export async function startSilentServer(): Promise<RunningServer> {
  const server = net.createServer(() => undefined);
  const sockets = track(server);
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

/** A port nothing listens on (bound once, then released). */
export async function refusedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, limitMs: number): Promise<void> {
  const end = Date.now() + limitMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`openssl s_server exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`openssl s_server did not listen on ${port} within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `openssl s_server` presenting `cert` (an independent TLS implementation), in its own process group. */
export async function startOpensslServer(cert: CertFiles): Promise<RunningServer> {
  const port = await refusedPort();
  const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', cert.certFile, '-key', cert.keyFile, '-www', '-quiet', '-naccept', '1000'], {
    detached: true, stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.resume();
  const onExit = (): void => { try { if (child.pid) process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
  process.once('exit', onExit);
  child.once('exit', () => process.removeListener('exit', onExit));
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned) throw new Error('openssl is not installed (Debian package "openssl").');
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
      child.once('exit', () => resolve());
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { resolve(); }
      setTimeout(resolve, 2000).unref();
    });
    return closed;
  };
  try {
    await waitForPort(port, child, 10_000);
  } catch (err) {
    await close();
    throw err;
  }
  return { port, close };
}
