// What a hostile workspace brings (issue 10; made by runTest.ts): a stand-in "PowerShell" that writes a marker when
// started, and an LDAPS listener on 127.0.0.1 whose certificate is the workspace's own CA file. The listener counts
// connections and keeps every byte a client sent, so a test sees whether the administrator's password arrived.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tls from 'node:tls';

export function hostileDir(): string {
  const dir = process.env.ERS_TEST_SEC_DIR;
  if (!dir) throw new Error('ERS_TEST_SEC_DIR is not set (runTest.ts makes the hostile workspace parts)');
  return dir;
}

export function hostilePort(): number {
  return Number(process.env.ERS_TEST_LDAPS_PORT);
}

/** The three settings as the hostile workspace sets them. */
export function hostileSettings(): Record<'powershell.executable' | 'directory.url' | 'directory.caFile', string> {
  const dir = hostileDir();
  return {
    'powershell.executable': join(dir, 'own-pwsh.sh'),
    'directory.url': `ldaps://127.0.0.1:${hostilePort()}`,
    'directory.caFile': join(dir, 'ca.pem'),
  };
}

/** How often the workspace's own program was started. */
export function standInStarts(): number {
  const marker = join(hostileDir(), 'own-pwsh-started');
  return existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').filter(Boolean).length : 0;
}

export interface Listener {
  readonly connections: number;
  /** Everything clients sent after the TLS handshake. */
  received(): Buffer;
  close(): Promise<void>;
}

export function startLdapsListener(): Promise<Listener> {
  const dir = hostileDir();
  let connections = 0;
  const chunks: Buffer[] = [];
  const sockets = new Set<tls.TLSSocket>();
  // Any TCP connection counts (even one whose handshake fails): the credential must not even be offered.
  const server = tls.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'ca.pem')) }, (socket) => {
    sockets.add(socket);
    socket.on('data', (d: Buffer) => { chunks.push(d); socket.destroy(); });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connection', () => { connections++; });
  server.on('tlsClientError', () => undefined);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(hostilePort(), '127.0.0.1', () => resolve({
      get connections() { return connections; },
      received: () => Buffer.concat(chunks),
      close: () => new Promise<void>((done) => { for (const s of sockets) s.destroy(); server.close(() => done()); }),
    }));
  });
}
