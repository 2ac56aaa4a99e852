// Issue 10 item 8, acceptance: a settings fuzz. Every exchangeRemoting.* key the manifest contributes is set (in the
// workspace settings) to wrong types, huge values and hostile strings, round after round; after each round the tree
// still renders every row and every command that needs no dialog still answers (no throw, no hang).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, Settings } from '../../src/ids';
import type { ServerNode } from '../../src/tree/serverTreeProvider';
import { activatedApi } from './helpers';

const HOSTILE: unknown[] = [
  42, -1, 1e308, true, null, [], {}, [{}], [42, null, 'x'], { fqdn: 42 },
  'x'.repeat(200_000),
  '<img src=x onerror=alert(1)> $(zap) [x](https://evil.example) `\n# h',
  '\u0000\u202e\u0007',
  '../../../../etc/passwd',
  [{ fqdn: 'exch01.contoso.test', port: '5986; rm -rf /', serviceAccount: { a: 1 }, notes: ['x'] }, 'not a host', { fqdn: 'a'.repeat(300) }],
  // A long list (the 2000-entry cap itself is unit-tested: checking thousands of servers here would only measure the
  // double's and the result store's speed).
  Array.from({ length: 150 }, (_, i) => `exch${i}.contoso.test`),
];

function allNodes(api: Awaited<ReturnType<typeof activatedApi>>): ServerNode[] {
  const top = api.serverTree.getChildren(undefined) as ServerNode[];
  return [...top, ...top.flatMap((n) => (n.kind === 'server' ? api.serverTree.getChildren(n) as ServerNode[] : []))];
}

describe('settings fuzz: wrong types, huge values, hostile strings for every key (real VS Code)', function () {
  this.timeout(600_000);
  // What a workspace can set: every key except the machine- and application-scoped ones, which VS Code refuses to
  // take from (or write to) workspace settings at all (exchangeRemoting.probe.caFiles chooses what is trusted).
  const properties = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { configuration: { properties: Record<string, { scope?: string }> } } }).contributes.configuration.properties;
  const keys = Object.entries(properties)
    .filter(([, p]) => p.scope !== 'machine' && p.scope !== 'application')
    .map(([k]) => k.slice(Settings.section.length + 1));
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(Settings.section);
  /** Workspace values before the fuzz (the reload suite expects the server list back). */
  const previous = new Map<string, unknown>();

  before(() => {
    for (const key of keys) previous.set(key, config().inspect(key)?.workspaceValue);
  });

  after(async () => {
    for (const key of keys) await config().update(key, previous.get(key), vscode.ConfigurationTarget.Workspace);
  });

  it('covers every contributed key', () => {
    assert.ok(keys.length >= 15, `only ${keys.length} keys`);
    assert.ok(keys.includes(Settings.powershellExecutable) && keys.includes(Settings.directoryUrl));
  });

  HOSTILE.forEach((value, round) => {
    it(`round ${round + 1}: every key = ${JSON.stringify(value)?.slice(0, 50)}: the tree renders and the commands answer`, async () => {
      const api = await activatedApi();
      // Servers get the value too, except in rounds where it would not exercise them; then a hostile list.
      for (const key of keys) await config().update(key, value, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand(Commands.refreshServers);
      const nodes = allNodes(api);
      for (const n of nodes) {
        const item = api.serverTree.getTreeItem(n);
        assert.ok(item.label !== undefined);
      }
      const step = nodes.find((n) => n.kind === 'step');
      const server = nodes.find((n) => n.kind === 'server');
      // Each answers (resolves) — with a result, or after showing its message — and never throws.
      await vscode.commands.executeCommand(Commands.runAllChecks);
      if (server) await vscode.commands.executeCommand(Commands.runCheck, server);
      if (step) {
        await vscode.commands.executeCommand(Commands.openCheckScript, step);
        await vscode.commands.executeCommand(Commands.copyRemediation, step);
        await vscode.commands.executeCommand(Commands.openRemediation, step);
      }
      await vscode.commands.executeCommand(Commands.showLog);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // The tree still renders after the runs.
      for (const n of allNodes(api)) api.serverTree.getTreeItem(n);
    });
  });
});
