// A throwaway Samba AD domain controller on 127.0.0.1 for directory tests (test-infrastructure.md section 3).
// Provisioned into a temp folder (≈ 3 s), populated offline with samba-tool / ldbmodify, started with `samba -F` in its
// own process group (listening after a few seconds), stopped by killing the whole group. Needs root (ports < 1024)
// and the Debian packages listed in test/tooling/apt-packages.txt. When Samba is missing this FAILS with a clear
// message (it does not skip): CI installs the packages.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const REALM = 'CONTOSO.TEST';
export const DOMAIN = 'CONTOSO';
export const BASE_DN = 'DC=contoso,DC=test';
export const DC_NAME = 'dc1.contoso.test';

const PACKAGES = 'samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind ldap-utils ldb-tools krb5-user';

export interface SambaComputer {
  readonly name: string;
  /** e.g. 'OU=Exchange Servers,OU=Servers' (relative to the domain); CN=Computers when omitted. */
  readonly ou?: string;
  readonly dnsHostName?: string;
  readonly trustedForDelegation?: boolean;
  readonly allowedToDelegateTo?: readonly string[];
  /** sAMAccountNames allowed to delegate to this computer (resource-based constrained delegation). */
  readonly rbcdPrincipals?: readonly string[];
}

export interface SambaUser {
  readonly name: string;
  readonly password: string;
  /** UF_NOT_DELEGATED ("Account is sensitive and cannot be delegated"). */
  readonly sensitive?: boolean;
  readonly spns?: readonly string[];
  readonly groups?: readonly string[];
}

export interface SambaSetup {
  readonly adminPassword: string;
  readonly ous?: readonly string[];
  readonly computers?: readonly SambaComputer[];
  readonly users?: readonly SambaUser[];
}

export interface SambaDc {
  readonly dir: string;
  readonly url: string;
  /** The DC's self-signed LDAPS CA certificate (PEM). */
  readonly ca: string;
  readonly adminUpn: string;
  stop(): Promise<void>;
}

function which(cmd: string): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', ...(process.env.PATH ?? '').split(delimiter)]) {
    try { accessSync(join(dir, cmd), constants.X_OK); return join(dir, cmd); } catch { /* next */ }
  }
  return undefined;
}

function run(cmd: string, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const t = setTimeout(() => { s.destroy(); resolve(false); }, 1000);
    s.once('connect', () => { clearTimeout(t); s.destroy(); resolve(true); });
    s.once('error', () => { clearTimeout(t); resolve(false); });
  });
}

/** Throws a clear error when this machine cannot run the DC (missing packages, not root, ports taken). */
export async function assertSambaAvailable(): Promise<{ sambaTool: string; samba: string; ldbmodify: string }> {
  const sambaTool = which('samba-tool');
  const samba = which('samba');
  const ldbmodify = which('ldbmodify');
  if (!sambaTool || !samba || !ldbmodify) {
    throw new Error(`Samba AD DC is not installed (missing ${[!sambaTool && 'samba-tool', !samba && 'samba', !ldbmodify && 'ldbmodify'].filter(Boolean).join(', ')}). `
      + `Install: apt-get install -y --no-install-recommends ${PACKAGES} (listed in test/tooling/apt-packages.txt).`);
  }
  if (process.getuid && process.getuid() !== 0) throw new Error('The Samba AD DC test needs root: Samba binds ports 88, 389 and 636 on 127.0.0.1.');
  for (const port of [389, 636]) {
    if (await portOpen(port)) throw new Error(`Port ${port} on 127.0.0.1 is already in use (another Samba or LDAP server?); the test DC cannot start.`);
  }
  return { sambaTool, samba, ldbmodify };
}

export async function startSambaDc(setup: SambaSetup): Promise<SambaDc> {
  const tools = await assertSambaAvailable();
  const dir = mkdtempSync(join(tmpdir(), 'ers-samba-'));
  const conf = join(dir, 'etc', 'smb.conf');
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise<void>((resolve) => { c.once('exit', () => resolve()); });
      try { process.kill(-c.pid!, 'SIGTERM'); } catch { /* gone */ }
      const late = setTimeout(() => { try { process.kill(-c.pid!, 'SIGKILL'); } catch { /* gone */ } }, 3000);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 8000).unref())]);
      clearTimeout(late);
      try { process.kill(-c.pid!, 'SIGKILL'); } catch { /* group already gone */ }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run(tools.sambaTool, ['domain', 'provision', `--realm=${REALM}`, `--domain=${DOMAIN}`, '--server-role=dc',
      '--dns-backend=SAMBA_INTERNAL', `--adminpass=${setup.adminPassword}`, `--targetdir=${dir}`, '--host-ip=127.0.0.1',
      '--host-name=dc1', '--option=interfaces=lo', '--option=bind interfaces only=yes', '--option=server services = -dns',
      '--option=dns forwarder = 127.0.0.1', `--option=log file = ${dir}/log.%m`]);
    const s = ['-s', conf];
    for (const ou of setup.ous ?? []) await run(tools.sambaTool, ['ou', 'add', ou, ...s]);
    for (const u of setup.users ?? []) {
      await run(tools.sambaTool, ['user', 'create', u.name, u.password, ...s]);
      if (u.sensitive) await run(tools.sambaTool, ['user', 'sensitive', u.name, 'on', ...s]);
      for (const spn of u.spns ?? []) await run(tools.sambaTool, ['spn', 'add', spn, u.name, ...s]);
      for (const g of u.groups ?? []) await run(tools.sambaTool, ['group', 'addmembers', g, u.name, ...s]);
    }
    const ldif: string[] = [];
    for (const c of setup.computers ?? []) {
      await run(tools.sambaTool, ['computer', 'create', c.name, ...(c.ou ? [`--computerou=${c.ou}`] : []), ...s]);
      if (c.trustedForDelegation) await run(tools.sambaTool, ['delegation', 'for-any-service', `${c.name}$`, 'on', ...s]);
      for (const spn of c.allowedToDelegateTo ?? []) await run(tools.sambaTool, ['delegation', 'add-service', `${c.name}$`, spn, ...s]);
      for (const p of c.rbcdPrincipals ?? []) await run(tools.sambaTool, ['delegation', 'add-principal', `${c.name}$`, p, ...s]);
      if (c.dnsHostName) {
        const dn = `CN=${c.name},${c.ou ? `${c.ou},` : 'CN=Computers,'}${BASE_DN}`;
        ldif.push(`dn: ${dn}`, 'changetype: modify', 'replace: dNSHostName', `dNSHostName: ${c.dnsHostName}`, '');
      }
    }
    if (ldif.length) {
      const file = join(dir, 'hosts.ldif');
      writeFileSync(file, ldif.join('\n'));
      await run(tools.ldbmodify, ['-H', join(dir, 'private', 'sam.ldb'), file]);
    }
    child = spawn(tools.samba, ['-F', '-s', conf], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    // Should the test process die without running after(), do not leave a DC holding ports 88/389/636.
    const pid = child.pid;
    const onExit = (): void => { try { if (pid) process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } };
    process.once('exit', onExit);
    child.once('exit', () => process.removeListener('exit', onExit));
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { if (stderr.length < 4000) stderr += d.toString(); });
    const end = Date.now() + 45_000;
    while (!(await portOpen(636))) {
      if (!child || child.exitCode !== null) throw new Error(`samba exited before listening: ${stderr.slice(0, 1000)}`);
      if (Date.now() > end) throw new Error('samba did not listen on 127.0.0.1:636 within 45 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const ca = readFileSync(join(dir, 'private', 'tls', 'ca.pem'), 'utf8');
    return { dir, url: 'ldaps://127.0.0.1:636', ca, adminUpn: `Administrator@${REALM.toLowerCase()}`, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
