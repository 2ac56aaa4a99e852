import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ViewTypes } from '../../src/ids';
import { activatedApi, waitForEvent, workspaceFolder } from './helpers';

describe('trace viewer (real VS Code)', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('opens a fixture .svclog in the custom editor, whose webview answers ready', async () => {
    const api = await activatedApi();
    const file = vscode.Uri.joinPath(workspaceFolder(), 'traces', 'ALM-Rangers__Sample-Code__AsmxBareSoap11.svclog');
    const ready = waitForEvent(api.onDidTraceViewerBecomeReady, (uri) => uri.toString() === file.toString(), 30_000, 'the webview ready message');
    await vscode.commands.executeCommand('vscode.open', file);
    await ready;
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputCustom, 'the active tab is not a custom editor');
    assert.equal(tab.input.viewType, ViewTypes.traceViewer);
  });
});
