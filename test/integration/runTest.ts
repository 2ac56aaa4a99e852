// Runs the extension-host tests in a real VS Code (code-server + Chromium), through @vscode/test-electron's
// runTests with our launcher as the "VS Code executable".
import { runTests } from '@vscode/test-electron';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../tooling/tools';
import { doubleExecutable } from '../doubles/pwshDouble';
import { realPwsh } from '../tooling/pwsh';
import { startSshServers, type SshServers } from '../tooling/sshd';

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'ers-host-'));
  const workspace = join(base, 'workspace');
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  cpSync(join(repoRoot, 'test', 'fixtures', 'svclog'), join(workspace, 'traces'), { recursive: true });
  // Checks run through the real runner against the PowerShell double; the tests write its scenario file. The double
  // is the administrator's own choice (user settings): a workspace value would wait for approval (issue 10).
  const double = doubleExecutable();
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'exchangeRemoting.servers': [] }, null, 2));
  // (Not for the ssh suite, which runs the real pwsh found on PATH, "auto".)
  const userSettingsFile = join(base, 'user-settings.json');
  writeFileSync(userSettingsFile, JSON.stringify({ 'exchangeRemoting.powershell.executable': double }));
  const sec = await hostileWorkspaceParts(base, double);
  const doubleEnv = { ERS_PS_DOUBLE_SCENARIO: join(base, 'pwsh-scenario.json'), ERS_PS_DOUBLE_LOG: join(base, 'pwsh-invocations.jsonl') };
  writeFileSync(doubleEnv.ERS_PS_DOUBLE_SCENARIO, '{}');
  // A second workspace, left untrusted, whose settings name a server that must be ignored in Restricted Mode.
  const untrusted = join(base, 'untrusted');
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), untrusted, { recursive: true });
  // It also names its own PowerShell, LDAPS server and CA (issue 10): none of them may be used.
  writeFileSync(join(untrusted, '.vscode', 'settings.json'), JSON.stringify({ 'exchangeRemoting.servers': [{ fqdn: 'exch-untrusted.contoso.test' }], ...sec.settings }));
  // A third workspace whose servers are real PowerShell-over-SSH hosts (a private sshd on 127.0.0.1 and 127.0.0.2),
  // checked with the real pwsh. Named by its path: code-server's extension host takes PATH from a login shell.
  const wantSsh = !process.env.ERS_HOST_SUITE || process.env.ERS_HOST_SUITE === 'ssh';
  let ssh: SshServers | undefined;
  const sshFolder = join(base, 'ssh');
  const sshUserSettingsFile = join(base, 'user-settings-ssh.json');
  if (wantSsh) {
    ssh = await startSshServers(2);
    cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), sshFolder, { recursive: true });
    const entry = (fqdn: string, address: string): Record<string, unknown> => ({
      fqdn, connection: 'ssh', port: ssh!.port, user: ssh!.user, keyFile: ssh!.keyFile, knownHostsFile: ssh!.knownHostsFile, connectTo: address, serviceAccount: 'CONTOSO\\svc_sync',
    });
    writeFileSync(join(sshFolder, '.vscode', 'settings.json'), JSON.stringify({
      'exchangeRemoting.servers': [entry('exch01.contoso.test', '127.0.0.1'), entry('exch02.contoso.test', '127.0.0.2'), entry('exch09.contoso.test', '127.0.0.9')],
    }, null, 2));
    // The real pwsh is the administrator's own choice (user settings), as a workspace value would wait for approval.
    writeFileSync(sshUserSettingsFile, JSON.stringify({ 'exchangeRemoting.powershell.executable': realPwsh() }));
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
        launchArgs: [suite.folder, '--disable-extensions', ...suite.extra, `--user-data-dir=${join(base, `user-data-${suite.userData}`)}`, `--extensions-dir=${join(base, 'extensions')}`, `--ers-user-settings=${suite.name === 'ssh' ? sshUserSettingsFile : userSettingsFile}`],
        extensionTestsEnv: { ERS_TEST_TIER: 'host', ERS_TEST_PROBE_CONNECT_TO: '127.0.0.1', ...doubleEnv, ERS_TEST_SEC_DIR: sec.dir, ERS_TEST_LDAPS_PORT: String(sec.port) },
      });
    } catch (err) {
      failed++;
      process.stderr.write(`Extension-host tests (${suite.name}) failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  await ssh?.stop();
  if (failed) process.exit(1);
}

/**
 * What a hostile workspace brings (issue 10): a stand-in "PowerShell" that writes a marker file when started (then
 * behaves as the double), and an LDAPS listener's certificate for 127.0.0.1 that is also the workspace's own CA file.
 * The tests start the listener on `port` and count what reaches it.
 */
async function hostileWorkspaceParts(base: string, double: string): Promise<{ dir: string; port: number; settings: Record<string, string> }> {
  const dir = join(base, 'hostile');
  mkdirSync(dir, { recursive: true });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'ca.pem'),
    '-days', '30', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE'], { stdio: 'pipe' });
  const standIn = join(dir, 'own-pwsh.sh');
  writeFileSync(standIn, `#!/bin/sh
echo started >> ${JSON.stringify(join(dir, 'own-pwsh-started'))}
exec ${JSON.stringify(double)} "$@"
`);
  chmodSync(standIn, 0o755);
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  return {
    dir, port,
    settings: {
      'exchangeRemoting.powershell.executable': standIn,
      'exchangeRemoting.directory.url': `ldaps://127.0.0.1:${port}`,
      'exchangeRemoting.directory.caFile': join(dir, 'ca.pem'),
    },
  };
}

void main();
