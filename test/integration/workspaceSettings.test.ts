// Issue 10, acceptance (trusted workspace, real VS Code): a workspace that sets the PowerShell executable, the
// directory URL and its CA file gets no credential to a listener on 127.0.0.1 and starts no program of its own until
// the administrator allows those exact values; after approval (through the command) the approved values are used;
// after revoking, they are not used again.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/ids';
import type { ServerConfig } from '../../src/servers/server';
import { activatedApi, waitFor } from './helpers';
import { hostileSettings, standInStarts, startLdapsListener, type Listener } from './hostileWorkspace';

const FQDN = 'exch-sec.contoso.test';
const password = `Adm1n-${randomBytes(6).toString('hex')}`;

describe('Workspace settings that run a program or receive the credential (trusted workspace)', function () {
  this.timeout(120_000);
  let listener: Listener;
  /** The workspace's server list before this suite (the reload suite expects it back). */
  let previousServers: unknown;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(Settings.section);
  const server = async (): Promise<ServerConfig> => {
    const api = await activatedApi();
    await waitFor(() => api.serverTree.servers.some((s) => s.fqdn === FQDN), 20_000, 'the workspace server in the tree');
    return api.serverTree.servers.find((s) => s.fqdn === FQDN) as ServerConfig;
  };
  const runChecks = async (): Promise<void> => {
    const api = await activatedApi();
    await vscode.commands.executeCommand(Commands.runCheck, api.serverTree.serverNode(await server()));
  };

  before(async () => {
    const api = await activatedApi();
    listener = await startLdapsListener();
    previousServers = config().inspect(Settings.servers)?.workspaceValue;
    await api.testHooks!.setCredential('admin', { userName: 'CONTOSO\\ers-admin', password });
    await config().update(Settings.servers, [{ fqdn: FQDN, serviceAccount: 'CONTOSO\\svc_sync' }], vscode.ConfigurationTarget.Workspace);
    for (const [key, value] of Object.entries(hostileSettings())) await config().update(key, value, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    const api = await activatedApi();
    api.testHooks!.setApprovalConfirm(async () => false);
    await vscode.commands.executeCommand(Commands.revokeWorkspaceApprovals, 'all');
    for (const key of Object.keys(hostileSettings())) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    await config().update(Settings.servers, previousServers, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand(Commands.forgetCredentials, 'all');
    await listener?.close();
  });

  it('uses none of them before approval: no connection to the listener, no own program started, and says why', async () => {
    const api = await activatedApi();
    await runChecks();
    assert.equal(standInStarts(), 0, 'the workspace\'s own program was started');
    assert.equal(listener.connections, 0, 'something connected to the workspace\'s LDAPS server');
    const kd = api.results.get(FQDN, 'kerberos-delegation');
    assert.equal(kd?.status, 'error');
    assert.match(JSON.stringify(kd), /directory\.url.*Allow Workspace Settings/);
  });

  it('shows in the server tooltip that the server came from the workspace settings', async () => {
    const api = await activatedApi();
    const item = api.serverTree.getTreeItem(api.serverTree.serverNode(await server()));
    assert.match((item.tooltip as vscode.MarkdownString).value, /From this workspace\\?'s settings/);
  });

  it('after the administrator allows each value, the approved program runs and the credential goes to the approved server', async () => {
    const api = await activatedApi();
    const asked: string[] = [];
    api.testHooks!.setApprovalConfirm(async (a) => { asked.push(`${a.setting}=${a.value}`); return true; });
    for (const [setting, value] of Object.entries(hostileSettings())) {
      const approved = await vscode.commands.executeCommand<unknown[]>(Commands.approveWorkspaceSettings, { setting });
      assert.deepEqual(approved.map((a) => (a as { value: string }).value), [value]);
    }
    assert.equal(asked.length, 3, 'each value was confirmed by the administrator');
    await runChecks();
    assert.ok(standInStarts() >= 1, 'the approved program did not run');
    await waitFor(() => listener.received().includes(Buffer.from(password)), 20_000, 'the bind at the approved LDAPS server');
  });

  it('after revoking, none of them is used again', async () => {
    const revoked = await vscode.commands.executeCommand<number>(Commands.revokeWorkspaceApprovals, 'all');
    assert.equal(revoked, 3);
    const starts = standInStarts();
    const connections = listener.connections;
    await runChecks();
    assert.equal(standInStarts(), starts);
    assert.equal(listener.connections, connections);
  });
});
