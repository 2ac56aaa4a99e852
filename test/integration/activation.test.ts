import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, Views, ViewTypes } from '../../src/ids';
import { activatedApi } from './helpers';

describe('activation (real VS Code)', () => {
  it('runs in VS Code 1.139 and activates', async () => {
    assert.match(vscode.version, /^1\.1[3-9]\d\./);
    await activatedApi();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  it('registers every command it contributes, and contributes every command it registers', async () => {
    await activatedApi();
    const all = new Set(await vscode.commands.getCommands(true));
    const ours = Object.values(Commands);
    for (const id of ours) assert.ok(all.has(id), `${id} is not registered`);
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.deepEqual([...contributed].sort(), [...ours].sort());
  });

  it('shows the servers view, with its welcome content while the list is empty', async () => {
    const api = await activatedApi();
    await vscode.commands.executeCommand(`workbench.view.extension.${Views.container}`);
    await vscode.commands.executeCommand(`${Views.servers}.focus`);
    assert.deepEqual(api.serverTree.getChildren(), []);
    const welcome = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.viewsWelcome as { view: string; contents: string }[]);
    const entry = welcome.find((w) => w.view === Views.servers);
    assert.ok(entry, 'no welcome content for the servers view');
    assert.match(entry.contents, new RegExp(`command:${Commands.addServer.replace('.', '\\.')}`));
  });

  it('declares the trace viewer for .svclog/.e2e by default and .xml/.log as an option', () => {
    const editors = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.customEditors as { viewType: string; priority: string; selector: { filenamePattern: string }[] }[];
    const byType = new Map(editors.map((e) => [e.viewType, e]));
    assert.deepEqual(byType.get(ViewTypes.traceViewer)?.selector.map((s) => s.filenamePattern), ['*.svclog', '*.e2e']);
    assert.equal(byType.get(ViewTypes.traceViewer)?.priority, 'default');
    assert.equal(byType.get(ViewTypes.traceViewerOption)?.priority, 'option');
  });
});
