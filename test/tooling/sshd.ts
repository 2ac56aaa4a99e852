// Real PowerShell remoting (PSRP) over SSH on loopback for tests (test-infrastructure.md section 2): a private
// Debian sshd with its own config, host key, pid file and authorized keys, listening on 127.0.0.1, 127.0.0.2, … on one
// free port, whose `powershell` subsystem is the real pwsh 7.6.9 (`-sshs`). Each address is one "server".
//
// Keys: `keyFile` is authorized, `refusedKeyFile` is a valid key the server does not accept. `knownHostsFile` holds
// the host key for every address; `emptyKnownHostsFile` holds none (unknown host key). The daemon runs in its own
// process group; stop() kills the group AND every process below the daemon (sessions call setsid), waits until all
// are gone and removes the directory. Needs root (sshd refuses to run a private daemon as another user with
// `UsePAM no` only when privilege separation is impossible) and the Debian package openssh-server.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { realPwsh } from './pwsh';

export const SSHD = '/usr/sbin/sshd';

export interface SshServers {
  /** The loopback addresses sshd listens on, one per "server". */
  readonly addresses: readonly string[];
  readonly port: number;
  /** The user the sessions log in as (the one running the tests). */
  readonly user: string;
  readonly keyFile: string;
  readonly refusedKeyFile: string;
  readonly knownHostsFile: string;
  readonly emptyKnownHostsFile: string;
  readonly dir: string;
  /** pids of sshd and every process below it (sessions, their pwsh). */
  processes(): number[];
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (closed again before sshd binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function keygen(file: string, comment: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { stdio: 'ignore', timeout: 20_000 });
}

/** Children of every process, from /proc (Linux). */
function childrenMap(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = map.get(ppid);
      if (list) list.push(Number(name));
      else map.set(ppid, [Number(name)]);
    } catch { /* gone */ }
  }
  return map;
}

/** `pid` and everything below it. */
export function processTree(pid: number): number[] {
  const map = childrenMap();
  const out: number[] = [];
  const walk = (p: number): void => { out.push(p); for (const c of map.get(p) ?? []) walk(c); };
  if (existsSync(`/proc/${pid}`)) walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function connects(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: address, port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => { s.destroy(); resolve(false); });
  });
}

/** Starts one sshd listening on 127.0.0.1 … 127.0.0.<count>. */
export async function startSshServers(count: number): Promise<SshServers> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: install the Debian package openssh-server (scripts/ensure-tools.sh does).`);
  const pwsh = realPwsh();
  const addresses = Array.from({ length: count }, (_, i) => `127.0.0.${i + 1}`);
  const dir = mkdtempSync(join(tmpdir(), 'ers-sshd-'));
  chmodSync(dir, 0o700);
  const hostKey = join(dir, 'host_ed25519');
  const keyFile = join(dir, 'client_ed25519');
  const refusedKeyFile = join(dir, 'refused_ed25519');
  keygen(hostKey, 'ers-test-host');
  keygen(keyFile, 'ers-test-client');
  keygen(refusedKeyFile, 'ers-test-refused');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${keyFile}.pub`));
  const port = await freePort();
  const hostPub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, addresses.map((a) => `[${a}]:${port} ${hostPub}\n`).join(''));
  const emptyKnownHostsFile = join(dir, 'known_hosts.empty');
  writeFileSync(emptyKnownHostsFile, '');
  const config = join(dir, 'sshd_config');
  writeFileSync(config, [
    `Port ${port}`,
    ...addresses.map((a) => `ListenAddress ${a}`),
    `HostKey ${hostKey}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    'StrictModes no',
    'UsePAM no',
    'MaxStartups 64:30:128',
    'MaxSessions 64',
    `Subsystem powershell ${pwsh} -sshs -NoLogo -NoProfile`,
    '',
  ].join('\n'));
  mkdirSync('/run/sshd', { recursive: true });
  const log = join(dir, 'sshd.log');
  const child: ChildProcess = spawn(SSHD, ['-D', '-f', config, '-E', log], { detached: true, stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('sshd could not be started');
  const onExit = (): void => { for (const p of processTree(pid)) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } } };
  process.once('exit', onExit);
  let exited = false;
  child.once('exit', () => { exited = true; });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    for (let round = 0; round < 50; round++) {
      const tree = processTree(pid).filter(alive);
      if (!tree.length) break;
      try { process.kill(-pid, 'SIGKILL'); } catch { /* group gone */ }
      for (const p of tree) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
      await new Promise((r) => setTimeout(r, 100));
    }
    rmSync(dir, { recursive: true, force: true });
  };

  for (let i = 0; i < 100; i++) {
    if (exited) break;
    const ready = await Promise.all(addresses.map((a) => connects(a, port)));
    if (ready.every(Boolean)) {
      return { addresses, port, user: userInfo().username, keyFile, refusedKeyFile, knownHostsFile, emptyKnownHostsFile, dir, processes: () => processTree(pid).filter(alive), stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const text = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
  await stop();
  throw new Error(`sshd did not start listening on ${addresses.join(', ')} port ${port}: ${text}`);
}
