// Where the test tooling finds Node 24, code-server and Chromium (installed by scripts/ensure-tools.sh).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';

export const repoRoot = resolve(__dirname, '..', '..', '..');
export const toolsDir = process.env.ERS_TOOLS_DIR ?? join(homedir(), '.cache', 'exchange-remoting-setup');
export const node24 = join(toolsDir, 'node24', 'bin', 'node');
export const codeServerEntry = join(toolsDir, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** The real pwsh 7.6.9 built from test/tooling/pwsh by scripts/ensure-tools.sh (scripts/test.sh puts it on PATH). */
export const pwshPath = join(toolsDir, 'pwsh', 'pwsh');
/** Pester 5.7.1 restored from NuGet by scripts/ensure-tools.sh (scripts/test.sh exports ERS_PESTER_MODULE). */
export const pesterModule = process.env.ERS_PESTER_MODULE ?? join(toolsDir, 'nuget', 'pester', '5.7.1', 'tools', 'Pester.psd1');
export const chromiumPath = process.env.ERS_CHROMIUM ?? '/usr/bin/chromium';
export const testOutputDir = join(repoRoot, 'test-output');

export function assertToolsPresent(): void {
  const missing = [
    [node24, 'Node 24'],
    [codeServerEntry, 'code-server'],
    [chromiumPath, 'Chromium'],
  ].filter(([p]) => !existsSync(p as string)).map(([p, what]) => `${what as string} (${p as string})`);
  if (missing.length) {
    throw new Error(`Test tools missing: ${missing.join(', ')}. Run scripts/ensure-tools.sh (the test command does).`);
  }
}
