// Processes of the PowerShell adapter: finding the executable on PATH as the OS would (and what to say when it is not
// there), and the process tree below a shell (so that cancelling leaves no pwsh or ssh behind). No node-powershell here.
import { execFileSync } from 'node:child_process';
import { delimiter, isAbsolute, join } from 'node:path';
import { isExecutableFile, processParentsFromProc } from '../util/nodeFileAccess';

/** The processes below `pid` (Linux: /proc; macOS: ps). Windows: none here; taskkill /T covers the tree in killAll. */
export function descendants(pid: number | undefined): number[] {
  if (pid === undefined || pid <= 0 || process.platform === 'win32') return [];
  let parentOf = processParentsFromProc();
  if (!parentOf) {
    parentOf = new Map<number, number>();
    try {
      for (const line of execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8', timeout: 5000 }).split('\n')) {
        const [p, pp] = line.trim().split(/\s+/).map(Number);
        if (p && pp !== undefined) parentOf.set(p, pp);
      }
    } catch { return []; }
  }
  const parents = parentOf;
  const out: number[] = [];
  const walk = (p: number): void => { for (const [c, pp] of parents) if (pp === p && !out.includes(c)) { out.push(c); walk(c); } };
  walk(pid);
  return out;
}

export function killAll(pids: readonly number[]): void {
  for (const p of pids) {
    try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
  }
}

/** PATH lookup like the OS would do (PATHEXT on Windows). */
export function findExecutable(exe: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const exts = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  const candidates = isAbsolute(exe) || exe.includes('/') || exe.includes('\\')
    ? exts.map((e) => exe + e)
    : (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean).flatMap((dir) => exts.map((e) => join(dir, exe + e)));
  for (const c of candidates) {
    if (isExecutableFile(c)) return c;
  }
  return undefined;
}

/** What to install or set when the PowerShell executable `exe` is not found. */
export function executableMissing(exe: string): string {
  const isWinPs = /(^|[\\/])powershell(\.exe)?$/i.test(exe);
  if (isWinPs) {
    return `Windows PowerShell ("${exe}") was not found. It ships with Windows; on other systems set the PowerShell executable setting to "pwsh" and install PowerShell 7.`;
  }
  return `PowerShell was not found ("${exe}" is not on PATH or not executable). Install PowerShell 7 (https://aka.ms/install-powershell: `
    + 'winget install Microsoft.PowerShell, brew install powershell, or the "powershell" package from packages.microsoft.com), '
    + 'or set the PowerShell executable setting to "powershell.exe" (Windows PowerShell 5.1) or to the full path of pwsh.';
}
