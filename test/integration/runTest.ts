// Runs the extension-host tests in a real VS Code (code-server + Chromium), through @vscode/test-electron's
// runTests with our launcher as the "VS Code executable".
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../tooling/tools';

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'ers-host-'));
  const workspace = join(base, 'workspace');
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  cpSync(join(repoRoot, 'test', 'fixtures', 'svclog'), join(workspace, 'traces'), { recursive: true });
  try {
    await runTests({
      vscodeExecutablePath: join(repoRoot, 'test', 'tooling', 'launcher.sh'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${join(base, 'user-data')}`, `--extensions-dir=${join(base, 'extensions')}`],
      extensionTestsEnv: { ERS_TEST_TIER: 'host' },
    });
  } catch (err) {
    process.stderr.write(`Extension-host tests failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

void main();
