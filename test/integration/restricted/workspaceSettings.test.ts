// Issue 10, acceptance (Restricted Mode, real VS Code): this workspace's .vscode/settings.json sets its own PowerShell
// executable, LDAPS directory URL and CA file (runTest.ts). In Restricted Mode none of them is used and cannot be
// allowed, nothing that uses the stored credential runs, and nothing reaches the listener.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../../src/ids';
import { activatedApi, waitFor } from '../helpers';
import { hostileSettings, standInStarts, startLdapsListener, type Listener } from '../hostileWorkspace';

const FQDN = 'exch-restricted.contoso.test';

describe('Workspace settings that run a program or receive the credential (Restricted Mode)', function () {
  this.timeout(120_000);
  let listener: Listener;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(Settings.section);

  before(async () => {
    const api = await activatedApi();
    listener = await startLdapsListener();
    await api.testHooks!.setCredential('admin', { userName: 'CONTOSO\\ers-admin', password: `Adm1n-${randomBytes(6).toString('hex')}` });
    // The administrator's own server list (user settings): the workspace's list is ignored here.
    await config().update(Settings.servers, [{ fqdn: FQDN, serviceAccount: 'CONTOSO\\svc_sync' }], vscode.ConfigurationTarget.Global);
    await waitFor(() => api.serverTree.servers.some((s) => s.fqdn === FQDN), 20_000, 'the user server in the tree');
  });

  after(async () => {
    await config().update(Settings.servers, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(Commands.forgetCredentials, 'all');
    await listener?.close();
  });

  it('the workspace really sets all three (VS Code itself hides restricted workspace values in Restricted Mode)', () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const file = JSON.parse(readFileSync(join(folder, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(hostileSettings())) {
      assert.equal(file[`${Settings.section}.${key}`], value, key);
      assert.notEqual(config().get(key), value, `${key} from the workspace reached the extension`);
    }
  });

  it('running the checks starts no program of the workspace, sends nothing to its server, and runs nothing with the credential', async () => {
    const api = await activatedApi();
    const starts = standInStarts();
    const server = api.serverTree.servers.find((s) => s.fqdn === FQDN)!;
    await vscode.commands.executeCommand(Commands.runCheck, api.serverTree.serverNode(server));
    assert.equal(standInStarts(), starts, 'the workspace\'s own program was started');
    assert.equal(listener.connections, 0, 'something connected to the workspace\'s LDAPS server');
    const remote = api.results.get(FQDN, 'ps-remoting');
    assert.equal(remote?.status, 'error');
    assert.match(JSON.stringify(remote), /Restricted Mode/);
  });

  it('the values cannot be allowed in Restricted Mode', async () => {
    const api = await activatedApi();
    let asked = false;
    api.testHooks!.setApprovalConfirm(async () => { asked = true; return true; });
    const approved = await vscode.commands.executeCommand<unknown[]>(Commands.approveWorkspaceSettings, { setting: 'powershell.executable' });
    assert.deepEqual(approved, []);
    assert.equal(asked, false);
  });
});
