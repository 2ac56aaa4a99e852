import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedApi } from '../helpers';
import { CHECKED_SERVER } from '../checkFixtures';

describe('state after a reload (second VS Code session, real VS Code)', () => {
  it('shows the results the previous session stored', async () => {
    const api = await activatedApi();
    assert.equal(api.results.get(CHECKED_SERVER, 'service-account-access')?.status, 'pass');
    assert.equal(api.results.get(CHECKED_SERVER, 'kerberos-delegation')?.status, 'fail');
    const server = api.serverTree.servers.find((s) => s.fqdn === CHECKED_SERVER);
    assert.ok(server, 'the server list came back from the workspace settings');
    const row = api.serverTree.getChildren(api.serverTree.serverNode(server)).find((n) => n.kind === 'step' && n.step.id === 'service-account-access');
    assert.ok(row);
    assert.equal((api.serverTree.getTreeItem(row).iconPath as vscode.ThemeIcon).id, 'pass');
  });
});
