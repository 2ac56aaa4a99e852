// A "VS Code executable" for @vscode/test-electron's runTests: it takes the same arguments desktop VS Code
// would (--extensionDevelopmentPath=…, --extensionTestsPath=…, --user-data-dir=…, --extensions-dir=…, a folder),
// runs the tests in a real VS Code 1.139 (code-server's extension host, driven by headless Chromium),
// and exits with the tests' exit code. Extra flags of ours: --locale=<id>, --enable-workspace-trust.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import type { Page } from 'playwright-core';
import { launchPersistentChromium } from './browser';
import { startCodeServer } from './codeServer';
import { testOutputDir } from './tools';

import { isWorkbenchNoise } from './workbenchNoise';

interface LaunchArgs {
  devPaths: string[];
  testsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  folder?: string;
  locale?: string;
  workspaceTrust: boolean;
  /** JSON file of extra user settings (--ers-user-settings=FILE). */
  userSettingsFile?: string;
}

export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  const out: LaunchArgs = { devPaths: [], workspaceTrust: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const [name, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(2, eq), arg.slice(eq + 1)] : [arg.startsWith('--') ? arg.slice(2) : '', undefined];
    const value = (): string => inline ?? (argv[++i] as string);
    switch (name) {
      case 'extensionDevelopmentPath': out.devPaths.push(resolve(value())); break;
      case 'extensionTestsPath': out.testsPath = resolve(value()); break;
      case 'user-data-dir': out.userDataDir = resolve(value()); break;
      case 'extensions-dir': out.extensionsDir = resolve(value()); break;
      case 'locale': out.locale = value(); break;
      case 'enable-workspace-trust': out.workspaceTrust = true; break;
      case 'ers-user-settings': out.userSettingsFile = resolve(value()); break;
      case '': out.folder = resolve(arg); break;
      default: break; // desktop-only flags (--no-sandbox, --disable-gpu-sandbox, --skip-welcome, …) mean nothing here
    }
  }
  return out;
}

async function main(): Promise<number> {
  const args = parseLaunchArgs(process.argv.slice(2));
  if (!args.testsPath || args.devPaths.length === 0) {
    process.stderr.write('launcher: --extensionTestsPath and --extensionDevelopmentPath are required\n');
    return 2;
  }
  const timeoutMs = Number(process.env.ERS_HOST_TEST_TIMEOUT_MS ?? 600_000);
  const verbose = process.env.ERS_LAUNCHER_VERBOSE === '1';
  // The web workbench keeps workspace state in the browser, per origin: a session that reuses a user-data dir
  // (a "reload") must come back on the same port to find it.
  const portFile = args.userDataDir ? join(args.userDataDir, '.ers-port') : undefined;
  const port = portFile && existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : undefined;
  const server = await startCodeServer({
    port, folder: args.folder, userDataDir: args.userDataDir, extensionsDir: args.extensionsDir,
    smokeTestDriver: true, workspaceTrust: args.workspaceTrust, locale: args.locale,
    ...(args.userSettingsFile ? { userSettings: JSON.parse(readFileSync(args.userSettingsFile, 'utf8')) as Record<string, unknown> } : {}),
    log: verbose ? (l) => process.stdout.write(`[code-server] ${l}\n`) : undefined,
  });
  if (portFile) writeFileSync(portFile, String(server.port));
  // The browser profile lives next to the VS Code user data, so state persists across sessions that share it.
  const browser = await launchPersistentChromium(join(server.userDataDir, 'browser-profile'), args.locale);
  let page: Page | undefined;
  let suppressed = 0;
  try {
    page = browser.pages()[0] ?? await browser.newPage();
    let finish: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((r) => { finish = r; });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(Number(code)));
    await page.exposeFunction('codeAutomationLog', (type: string, logArgs: unknown[]) => {
      const text = format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
      if (!verbose && isWorkbenchNoise(text)) { suppressed++; return; }
      (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
    });
    if (verbose) page.on('console', (m) => process.stdout.write(`[workbench ${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => {
      if (!verbose && isWorkbenchNoise(`${e.message}\n${e.stack ?? ''}`)) { suppressed++; return; }
      process.stderr.write(`[workbench error] ${e.message}\n`);
    });
    const remote = (p: string): string => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ...args.devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
      ['extensionTestsPath', remote(args.testsPath)],
    ];
    const query = [`payload=${encodeURIComponent(JSON.stringify(payload))}`];
    if (args.folder) query.unshift(`folder=${encodeURIComponent(args.folder)}`);
    await page.goto(`${server.url}/?${query.join('&')}`);
    const timedOut = new Promise<number>((r) => setTimeout(() => {
      process.stderr.write(`launcher: the extension tests did not finish within ${timeoutMs} ms\n`);
      r(1);
    }, timeoutMs).unref());
    const code = await Promise.race([exitCode, timedOut]);
    if (suppressed) process.stdout.write(`launcher: ${suppressed} workbench message(s) about unreachable online services left out (ERS_LAUNCHER_VERBOSE=1 shows them)\n`);
    if (code !== 0) await saveFailureScreenshot(page);
    // Let the workbench flush its state (IndexedDB) as it does when a window closes.
    await page.close({ runBeforeUnload: true }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

async function saveFailureScreenshot(page: Page): Promise<void> {
  try {
    mkdirSync(testOutputDir, { recursive: true });
    const file = join(testOutputDir, `host-tests-failure-${Date.now()}.png`);
    await page.screenshot({ path: file });
    process.stderr.write(`launcher: screenshot of the workbench saved to ${file}\n`);
  } catch { /* page already gone */ }
}

if (require.main === module) {
  main().then((code) => process.exit(code), (err: unknown) => {
    process.stderr.write(`launcher: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
}
