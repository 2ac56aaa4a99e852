import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, ViewTypes } from '../../src/ids';
import { TraceCollection, openFile } from '../../src/trace';
import { nodeFileAccess } from '../../src/util/nodeFileAccess';
import type { FilterDto } from '../../src/traceViewer/protocol';
import { activatedApi, waitFor, waitForEvent, workspaceFolder } from './helpers';

const ALL: FilterDto = { levels: [], sources: [], processes: [], threads: [], showDamage: false };

/** The engine on its own, outside VS Code: the counts the viewer must agree with. */
async function engineCounts(...paths: string[]): Promise<{ total: number; errors: number }> {
  const c = new TraceCollection();
  for (const p of paths) await openFile(c, nodeFileAccess, p, { yieldBetweenChunks: false });
  return { total: c.count, errors: c.query({ levels: ['Error'] }).length };
}

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

  it('answers row windows and filters with the engine\'s counts', async () => {
    const api = await activatedApi();
    const file = vscode.Uri.joinPath(workspaceFolder(), 'traces', 'laoluolapegba__finservice__Web_tracelog.svclog');
    const ready = waitForEvent(api.onDidTraceViewerBecomeReady, (uri) => uri.toString() === file.toString(), 30_000, 'ready');
    await vscode.commands.executeCommand('vscode.open', file);
    await ready;
    const session = api.traceSessions.get(file.toString());
    assert.ok(session, 'a session for the file');
    const expected = await engineCounts(file.fsPath);
    await waitFor(async () => (await session.request('setFilter', { filter: ALL })).total === expected.total, 20_000, 'decoding to finish');
    const window = await session.request('getRows', { start: 10, count: 20, version: (await session.request('setFilter', { filter: ALL })).version });
    assert.equal(window.rows.length, 20);
    assert.equal(window.rows[0]?.index, 10);
    const errors = await session.request('setFilter', { filter: { ...ALL, levels: ['Error'] } });
    assert.equal(errors.total, expected.errors);
    assert.ok(expected.errors > 0, 'the fixture has errors');
    const level = errors.facets.levels.find((f) => f.value === 'Error');
    assert.equal(level?.count, expected.errors);
    const details = await session.request('getDetails', { index: 0 });
    assert.ok(details.sections.length > 0);
  });

  it('opens a folder of traces as one view merged by time, with every file\'s events', async () => {
    const api = await activatedApi();
    const folder = vscode.Uri.joinPath(workspaceFolder(), 'traces');
    const traceFiles = (await vscode.workspace.fs.readDirectory(folder)).filter(([n]) => /\.(svclog|e2e|xml|log)$/i.test(n));
    const count = await vscode.commands.executeCommand<number>(Commands.openTraceFolder, folder);
    assert.equal(count, traceFiles.length);
    assert.ok(count >= 2);
    const key = [...api.traceSessions.keys()].find((k) => k.includes('|'));
    assert.ok(key, 'a merged session');
    const session = api.traceSessions.get(key);
    assert.ok(session);
    const files = key.split('|').map((u) => vscode.Uri.parse(u).fsPath);
    const expected = await engineCounts(...files);
    await waitFor(async () => (await session.request('setFilter', { filter: ALL })).total === expected.total, 20_000, 'merged decoding');
    const rows = await session.request('getRows', { start: 0, count: 1000, version: (await session.request('setFilter', { filter: ALL })).version });
    assert.ok(new Set(rows.rows.map((r) => r.file)).size >= 2, 'rows from several files in one view');
    const times = rows.rows.filter((r) => !r.damage).map((r) => Date.parse(r.time));
    assert.ok(times.every((t, i) => i === 0 || !Number.isFinite(t) || !Number.isFinite(times[i - 1] as number) || t >= (times[i - 1] as number)), 'ordered by time');
  });
});
