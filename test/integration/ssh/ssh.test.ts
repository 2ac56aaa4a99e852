// The extension in a real VS Code, checking real PowerShell-over-SSH hosts: the workspace's servers use the ssh
// connection to a private sshd on 127.0.0.1 and 127.0.0.2 (runTest.ts starts it) whose powershell subsystem is the
// real pwsh 7.6.9, and a third server whose address has nothing listening. The PowerShell here is the real pwsh too.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getStep } from '../../../src/checks';
import { Commands } from '../../../src/ids';
import { activatedApi, waitFor } from '../helpers';

const REACHABLE = ['exch01.contoso.test', 'exch02.contoso.test'];
const NOTHING_LISTENS = 'exch09.contoso.test';

describe('checklist against real PowerShell remoting over SSH (real VS Code, real pwsh, private sshd)', () => {
  it('runs every server\'s checks in one fan-out and shows the states the real scripts decide on these hosts', async () => {
    const api = await activatedApi();
    await waitFor(() => api.serverTree.servers.length === 3, 20_000, 'the three ssh servers from the workspace settings');
    await vscode.commands.executeCommand(Commands.runAllChecks);
    for (const fqdn of REACHABLE) {
      const server = api.serverTree.servers.find((s) => s.fqdn === fqdn)!;
      assert.equal(server.connection, 'ssh');
      const rows = api.serverTree.getChildren(api.serverTree.serverNode(server)).filter((n) => n.kind === 'step');
      assert.ok(rows.length > 5, `${fqdn} has its step rows`);
      for (const row of rows) {
        const item = api.serverTree.getTreeItem(row);
        const description = String(item.description);
        assert.doesNotMatch(description, /not checked yet|unknown|\(none\)/i, `${fqdn} ${row.kind === 'step' ? row.step.id : ''}: ${description}`);
        if (row.kind === 'step' && row.step.where === 'exchangeServer') {
          // The "server" is PowerShell on Linux: the Windows-only commands really are missing there.
          assert.match(description, /needs Windows/, `${fqdn} ${row.step.id}: ${description}`);
        }
      }
      const path = api.serverTree.getTreeItem(api.serverTree.getChildren(api.serverTree.serverNode(server)).find((n) => n.kind === 'step' && n.step.id === 'network-path-5986')!);
      assert.match(String(path.description), /TCP 5986( refused|: no answer|: network unreachable)/);
    }
    const down = api.serverTree.servers.find((s) => s.fqdn === NOTHING_LISTENS)!;
    const row = api.serverTree.getChildren(api.serverTree.serverNode(down)).find((n) => n.kind === 'step' && n.step.id === getStep('ps-remoting').id)!;
    const item = api.serverTree.getTreeItem(row);
    // Words in the row, the code in the details (issue 14).
    assert.match(String(item.description), /server not reachable/, String(item.description));
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /OpenSSH server/);
    assert.match(tooltip, /SshUnreachable/);
  });
});
