// Starts and stops a private code-server (VS Code 1.139 server + web workbench) on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertToolsPresent, codeServerEntry, node24 } from './tools';

export interface CodeServerOptions {
  /** Folder to open; omitted = empty window. */
  readonly folder?: string;
  readonly userDataDir?: string;
  readonly extensionsDir?: string;
  /** Required for extension-host tests: lets the workbench honour extensionDevelopmentPath/extensionTestsPath. */
  readonly smokeTestDriver?: boolean;
  /** Keep workspace trust on (for Restricted Mode tests). Off by default, as in @vscode/test-electron. */
  readonly workspaceTrust?: boolean;
  readonly locale?: string;
  /** Color theme id, e.g. 'Default Light Modern'. */
  readonly theme?: string;
  readonly log?: (line: string) => void;
  readonly startTimeoutMs?: number;
  /** Port to bind (default: any free port). */
  readonly port?: number;
  /**
   * More global settings, written as the user settings AND the remote ("Machine") settings: the extension host of
   * code-server is remote, where machine-scoped settings (the PowerShell executable, the CA file) come only from the
   * remote settings.
   */
  readonly userSettings?: Readonly<Record<string, unknown>>;
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  stop(): Promise<void>;
}

export function codeServerArgs(o: { userDataDir: string; extensionsDir: string; configFile: string; port: number }): string[] {
  return [
    codeServerEntry,
    '--config', o.configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${o.port}`,
    '--user-data-dir', o.userDataDir,
    '--extensions-dir', o.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
  ];
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  assertToolsPresent();
  const base = mkdtempSync(join(tmpdir(), 'ers-cs-'));
  const userDataDir = options.userDataDir ?? join(base, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(base, 'extensions');
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const configFile = join(base, 'config.yaml');
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${options.port ?? 0}\nauth: none\ncert: false\n`);
  // Quiet, offline-friendly user settings for the test profile.
  const settingsDir = join(userDataDir, 'User');
  mkdirSync(settingsDir, { recursive: true });
  writeFileSync(join(settingsDir, 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'security.workspace.trust.enabled': options.workspaceTrust ?? false,
    'workbench.colorTheme': options.theme ?? 'Default Dark Modern',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    ...options.userSettings,
  }, null, 2));
  if (options.userSettings) {
    mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
    writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(options.userSettings, null, 2));
  }
  const args = codeServerArgs({ userDataDir, extensionsDir, configFile, port: options.port ?? 0 });
  if (!options.workspaceTrust) args.push('--disable-workspace-trust');
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (options.locale) args.push('--locale', options.locale);
  if (options.folder) args.push(options.folder);
  const child = spawn(node24, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  const port = await waitForPort(child, options.log, options.startTimeoutMs ?? 60_000);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    userDataDir,
    extensionsDir,
    stop: () => killGroup(child),
  };
}

function waitForPort(child: ChildProcess, log: ((l: string) => void) | undefined, timeoutMs: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let seen = '';
    const timer = setTimeout(() => { void killGroup(child); reject(new Error(`code-server did not listen within ${timeoutMs} ms:\n${seen.slice(-2000)}`)); }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      seen += text;
      for (const line of text.split('\n')) if (line.trim() && log) log(line);
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (m) { clearTimeout(timer); resolvePort(Number(m[1])); }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`code-server exited with ${String(code)} before listening:\n${seen.slice(-2000)}`)); });
  });
}

/** code-server leaves children behind on SIGTERM: terminate the whole process group, then kill what lingers. */
export async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const pid = child.pid;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try { process.kill(-pid, signal); } catch { /* group already gone */ }
  };
  const exited = child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => child.once('exit', () => r()));
  signalGroup('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  signalGroup('SIGKILL');
}
