// The trace viewer in VS Code: a read-only custom editor for one file, and a panel for several files merged by
// time. The host owns the decoded files (ViewerSession over the trace engine); the webview asks for windows of rows.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import { nodeFileAccess, nodeIndexCacheStore, writeFileStreamed } from '../util/nodeFileAccess';
import { workerRanges } from '../util/traceWorkers';
import { Panels, StateKeys, ViewTypes } from '../ids';
import type { Logger } from '../log';
import { Disposable } from '../util/disposable';
import { makeNonce, renderShell } from './html';
import type { FromWebview, SavedState } from './protocol';
import { VIEWER_UI_STRINGS } from './uiStrings';
import { exportFileName } from './exportName';
import { ViewerSession } from './viewerSession';

class TraceDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

export class TraceEditorProvider extends Disposable implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  /** Fires when a viewer's webview has loaded and answered (its ready message was handled). */
  private readonly ready = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidBecomeReady = this.ready.event;
  /** The live sessions, for extension-host tests and commands. */
  readonly sessions = new Map<string, ViewerSession>();

  static register(context: vscode.ExtensionContext, log: Logger): TraceEditorProvider {
    const provider = new TraceEditorProvider(context, log);
    const options = { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } };
    for (const viewType of [ViewTypes.traceViewer, ViewTypes.traceViewerOption]) {
      provider._register(vscode.window.registerCustomEditorProvider(viewType, provider, options));
    }
    return provider;
  }

  private constructor(private readonly context: vscode.ExtensionContext, private readonly log: Logger) {
    super();
  }

  openCustomDocument(uri: vscode.Uri): TraceDocument {
    return new TraceDocument(uri);
  }

  resolveCustomEditor(document: TraceDocument, panel: vscode.WebviewPanel): void {
    this.attach([document.uri], panel);
  }

  /** Several files (a rolling log folder) as one view ordered by time, with a file column. */
  openMerged(files: readonly vscode.Uri[], title: string): void {
    const panel = vscode.window.createWebviewPanel(Panels.mergedTraces, title, vscode.ViewColumn.Active, { retainContextWhenHidden: false });
    this.attach(files, panel);
  }

  private attach(files: readonly vscode.Uri[], panel: vscode.WebviewPanel): void {
    const editor = new TraceEditor(files, panel, this.context, this.log, (uri) => this.ready.fire(uri));
    const key = files.map((f) => f.toString()).join('|');
    this.sessions.set(key, editor.session);
    panel.onDidDispose(() => {
      if (this.sessions.get(key) === editor.session) this.sessions.delete(key);
      editor.dispose();
    });
  }
}

class TraceEditor extends Disposable {
  readonly session: ViewerSession;

  constructor(
    private readonly files: readonly vscode.Uri[],
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly log: Logger,
    onReady: (uri: vscode.Uri) => void,
  ) {
    super();
    const webviewRoot = vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, enableForms: false, localResourceRoots: [webviewRoot] };
    panel.webview.html = renderShell({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'traceViewer.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'traceViewer.css')).toString(),
      nonce: makeNonce(randomBytes),
      title: vscode.l10n.t('Trace viewer'),
      lang: vscode.env.language,
    });
    const stateKey = `${StateKeys.traceViewerState}:${files.map((f) => f.toString()).join('|')}`;
    const first = files[0] as vscode.Uri;
    this.session = new ViewerSession({
      files: files.map((f) => f.fsPath),
      names: files.map((f) => basename(f.fsPath)),
      access: nodeFileAccess,
      post: (m) => void panel.webview.postMessage(m),
      restored: context.workspaceState.get<SavedState>(stateKey),
      strings: Object.fromEntries(VIEWER_UI_STRINGS.map((s) => [s, vscode.l10n.t(s)])),
      // Decoded indexes are kept in the extension's global storage (bounded), so reopening a big trace is instant.
      indexCache: nodeIndexCacheStore(join(context.globalStorageUri.fsPath, 'trace-index')),
      decodeThreads: () => workerRanges(),
      onIndexed: (i, source) => log.info(`Trace viewer: ${files[i]?.fsPath ?? ''} ${source === 'decoded' ? 'decoded' : source === 'cache' ? 'opened from the index cache' : 'opened from the index cache plus the bytes appended since'}`),
      hooks: {
        saveState: async (s) => { await context.workspaceState.update(stateKey, s); },
        export: (format) => this.exportRows(format),
        copyEvent: async (index, as) => {
          await vscode.env.clipboard.writeText(as === 'xml' ? await this.session.eventXml(index) : await this.session.eventJson(index));
          void vscode.window.setStatusBarMessage(vscode.l10n.t('Event copied as {0}', as.toUpperCase()), 3000);
        },
        reopenAsText: async () => {
          await vscode.commands.executeCommand('vscode.openWith', first, 'default');
        },
      },
    });
    this._register(panel.webview.onDidReceiveMessage(async (m: FromWebview) => {
      await this.session.handle(m);
      if (m.type === 'ready') onReady(first);
    }));
    // Follow: decode only what was appended; the session detects truncation or rotation itself.
    for (const file of files) {
      const folder = vscode.Uri.joinPath(file, '..');
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, basename(file.fsPath)));
      this._register(watcher);
      this._register(watcher.onDidChange(() => void this.session.fileChanged()));
    }
    this._register({ dispose: () => this.session.dispose() });
    const started = Date.now();
    void this.session.start().then(
      () => log.info(`Trace viewer decoded ${files.map((f) => f.fsPath).join(', ')} in ${Date.now() - started} ms`),
      (err: unknown) => log.error(`Trace viewer could not decode ${first.fsPath}: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  private async exportRows(format: 'csv' | 'json'): Promise<void> {
    const first = this.files[0] as vscode.Uri;
    const filter = this.session.currentFilter;
    const name = exportFileName(this.files.map((f) => basename(f.fsPath)), filter, format, filter.activityId ? this.session.activityLabel(filter.activityId) : '');
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(first, '..', name),
      filters: { [format.toUpperCase()]: [format] },
    });
    if (!target) return;
    let written = false;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting events to {0}', basename(target.fsPath)), cancellable: true }, async (_p, token) => {
      // Streamed to disk: an export of a 500 MB trace never sits in memory whole. A cancelled export leaves no file.
      if (!(await writeFileStreamed(target.fsPath, this.session.exportRows(format), () => token.isCancellationRequested))) return;
      written = true;
      this.log.info(`Exported ${format} of ${first.fsPath} to ${target.fsPath}`);
    });
    if (!written) return; // cancelled
    const openLabel = vscode.l10n.t('Open');
    const reveal = vscode.l10n.t('Reveal in File Explorer');
    // Not awaited: the notification stays until the user answers or dismisses it.
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Exported {0} events to {1}', this.session.eventsShown.toLocaleString(), target.fsPath), openLabel, reveal).then(async (choice) => {
      if (choice === openLabel) await vscode.commands.executeCommand('vscode.open', target);
      else if (choice === reveal) await vscode.commands.executeCommand('revealFileInOS', target);
    });
  }
}
