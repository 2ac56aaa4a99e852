import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/ids';
import { activatedApi, waitFor } from './helpers';

describe('server list (real VS Code)', () => {
  afterEach(async () => {
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.servers, [], vscode.ConfigurationTarget.Workspace);
  });

  it('adds a server through the command and shows it in the tree', async () => {
    const api = await activatedApi();
    const added = await vscode.commands.executeCommand(Commands.addServer, { fqdn: 'EXCH01.contoso.test', profile: 'remoting' });
    assert.equal(added, 'exch01.contoso.test');
    await waitFor(() => api.serverTree.servers.length === 1, 10_000, 'the tree to show the server');
    const [node] = api.serverTree.getChildren();
    assert.ok(node);
    const item = api.serverTree.getTreeItem(node);
    assert.equal(item.label, 'exch01.contoso.test');
    assert.equal(item.contextValue, 'server;status:unknown');
    assert.match(String(item.description), /^not checked yet · PowerShell remoting$/);
    const stored = vscode.workspace.getConfiguration(Settings.section).inspect(Settings.servers)?.workspaceValue;
    assert.deepEqual(stored, [{ fqdn: 'exch01.contoso.test', profile: 'remoting' }]);
  });

  it('refuses an invalid name and changes nothing', async () => {
    const api = await activatedApi();
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand(Commands.addServer, { fqdn: 'exch01; Remove-Item C:\\' })), /not a valid DNS name|short name/);
    assert.equal(api.serverTree.servers.length, 0);
  });

  it('shows an unreadable settings entry as a warning row instead of hiding it', async () => {
    const api = await activatedApi();
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.servers, [{ fqdn: 'exch02.contoso.test' }, { fqdn: '10.1.2.3' }], vscode.ConfigurationTarget.Workspace);
    await waitFor(() => api.serverTree.getChildren().length === 2, 10_000, 'two rows');
    const rows = api.serverTree.getChildren().map((n) => api.serverTree.getTreeItem(n));
    assert.equal(rows[0]?.label, 'exch02.contoso.test');
    assert.match(String(rows[1]?.description), /IP address/);
  });

  it('removes a server by name', async () => {
    const api = await activatedApi();
    await vscode.commands.executeCommand(Commands.addServer, { fqdn: 'exch03.contoso.test' });
    await waitFor(() => api.serverTree.servers.length === 1, 10_000, 'server added');
    await vscode.commands.executeCommand(Commands.removeServer, 'exch03.contoso.test');
    await waitFor(() => api.serverTree.servers.length === 0, 10_000, 'server removed');
  });
});

describe('server import (real VS Code)', () => {
  afterEach(async () => {
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.servers, [], vscode.ConfigurationTarget.Workspace);
  });

  it('imports a CSV list, skipping bad lines, and shows the servers', async () => {
    const api = await activatedApi();
    const result = await vscode.commands.executeCommand<{ servers: unknown[]; problems: { line: number }[] }>(
      Commands.importServers, 'fqdn,profile\nexch10.contoso.test,remoting\nexch11.contoso.test,intune\nnot a name,remoting\n');
    assert.equal(result.servers.length, 2);
    assert.deepEqual(result.problems.map((p) => p.line), [4]);
    await waitFor(() => api.serverTree.servers.length === 2, 10_000, 'two imported servers');
    assert.deepEqual(api.serverTree.servers.map((s) => [s.fqdn, s.profile]), [['exch10.contoso.test', 'remoting'], ['exch11.contoso.test', 'intune']]);
  });
});
