// Runs the extension-host tests in a real VS Code (code-server + Chromium), through @vscode/test-electron's
// runTests with our launcher as the "VS Code executable".
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { repoRoot } from '../tooling/tools';
import { doubleExecutable } from '../doubles/pwshDouble';
import { realPwsh } from '../tooling/pwsh';
import { startSshServers, type SshServers } from '../tooling/sshd';

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'ers-host-'));
  const workspace = join(base, 'workspace');
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  cpSync(join(repoRoot, 'test', 'fixtures', 'svclog'), join(workspace, 'traces'), { recursive: true });
  // Checks run through the real runner against the PowerShell double; the tests write its scenario file.
  const double = doubleExecutable();
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'exchangeRemoting.servers': [], 'exchangeRemoting.powershell.executable': double }, null, 2));
  const doubleEnv = { ERS_PS_DOUBLE_SCENARIO: join(base, 'pwsh-scenario.json'), ERS_PS_DOUBLE_LOG: join(base, 'pwsh-invocations.jsonl') };
  writeFileSync(doubleEnv.ERS_PS_DOUBLE_SCENARIO, '{}');
  // A second workspace, left untrusted, whose settings name a server that must be ignored in Restricted Mode.
  const untrusted = join(base, 'untrusted');
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), untrusted, { recursive: true });
  writeFileSync(join(untrusted, '.vscode', 'settings.json'), JSON.stringify({ 'exchangeRemoting.servers': [{ fqdn: 'exch-untrusted.contoso.test' }] }));
  // A third workspace whose servers are real PowerShell-over-SSH hosts (a private sshd on 127.0.0.1 and 127.0.0.2),
  // checked with the real pwsh, found on PATH as a user's pwsh would be ("auto").
  const wantSsh = !process.env.ERS_HOST_SUITE || process.env.ERS_HOST_SUITE === 'ssh';
  let ssh: SshServers | undefined;
  const sshFolder = join(base, 'ssh');
  if (wantSsh) {
    process.env.PATH = `${dirname(realPwsh())}${delimiter}${process.env.PATH ?? ''}`;
    ssh = await startSshServers(2);
    cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), sshFolder, { recursive: true });
    const entry = (fqdn: string, address: string): Record<string, unknown> => ({
      fqdn, connection: 'ssh', port: ssh!.port, user: ssh!.user, keyFile: ssh!.keyFile, knownHostsFile: ssh!.knownHostsFile, connectTo: address, serviceAccount: 'CONTOSO\\svc_sync',
    });
    writeFileSync(join(sshFolder, '.vscode', 'settings.json'), JSON.stringify({
      'exchangeRemoting.servers': [entry('exch01.contoso.test', '127.0.0.1'), entry('exch02.contoso.test', '127.0.0.2'), entry('exch09.contoso.test', '127.0.0.9')],
    }, null, 2));
  }
  const suites = [
    { name: 'trusted', folder: workspace, tests: join(repoRoot, 'out', 'test', 'integration', 'index.js'), extra: [] as string[], userData: 'trusted' },
    // The same workspace and profile again: a reloaded VS Code must show what the first session stored.
    { name: 'reload', folder: workspace, tests: join(repoRoot, 'out', 'test', 'integration', 'reload', 'index.js'), extra: [] as string[], userData: 'trusted' },
    { name: 'restricted', folder: untrusted, tests: join(repoRoot, 'out', 'test', 'integration', 'restricted', 'index.js'), extra: ['--enable-workspace-trust'], userData: 'restricted' },
    { name: 'ssh', folder: sshFolder, tests: join(repoRoot, 'out', 'test', 'integration', 'ssh', 'index.js'), extra: [] as string[], userData: 'ssh' },
  ].filter((s) => !process.env.ERS_HOST_SUITE || process.env.ERS_HOST_SUITE === s.name);
  let failed = 0;
  for (const suite of suites) {
    try {
      await runTests({
        vscodeExecutablePath: join(repoRoot, 'test', 'tooling', 'launcher.sh'),
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: suite.tests,
        launchArgs: [suite.folder, '--disable-extensions', ...suite.extra, `--user-data-dir=${join(base, `user-data-${suite.userData}`)}`, `--extensions-dir=${join(base, 'extensions')}`],
        extensionTestsEnv: { ERS_TEST_TIER: 'host', ERS_TEST_PROBE_CONNECT_TO: '127.0.0.1', ...doubleEnv },
      });
    } catch (err) {
      failed++;
      process.stderr.write(`Extension-host tests (${suite.name}) failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  await ssh?.stop();
  if (failed) process.exit(1);
}

void main();
