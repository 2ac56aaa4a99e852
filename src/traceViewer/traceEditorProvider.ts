// Read-only custom editor for E2ETraceEvent files. The host owns the file; the webview asks for what it shows.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { ViewTypes } from '../ids';
import type { Logger } from '../log';
import { Disposable } from '../util/disposable';
import { makeNonce, renderShell } from './html';
import type { FromWebview, ToWebview } from './protocol';

class TraceDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

export class TraceEditorProvider extends Disposable implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  /** Fires when a viewer's webview has loaded and answered (its ready message was handled). */
  private readonly ready = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidBecomeReady = this.ready.event;

  static register(context: vscode.ExtensionContext, log: Logger): TraceEditorProvider {
    const provider = new TraceEditorProvider(context.extensionUri, log);
    const options = { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } };
    for (const viewType of [ViewTypes.traceViewer, ViewTypes.traceViewerOption]) {
      provider._register(vscode.window.registerCustomEditorProvider(viewType, provider, options));
    }
    return provider;
  }

  private constructor(private readonly extensionUri: vscode.Uri, private readonly log: Logger) {
    super();
  }

  openCustomDocument(uri: vscode.Uri): TraceDocument {
    return new TraceDocument(uri);
  }

  resolveCustomEditor(document: TraceDocument, panel: vscode.WebviewPanel): void {
    const editor = new TraceEditor(document, panel, this.extensionUri, this.log, (uri) => this.ready.fire(uri));
    panel.onDidDispose(() => editor.dispose());
  }
}

class TraceEditor extends Disposable {
  constructor(
    private readonly document: TraceDocument,
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly log: Logger,
    private readonly onReady: (uri: vscode.Uri) => void,
  ) {
    super();
    const webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, enableForms: false, localResourceRoots: [webviewRoot] };
    panel.webview.html = renderShell({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'traceViewer.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'traceViewer.css')).toString(),
      nonce: makeNonce(randomBytes),
      title: vscode.l10n.t('Trace viewer'),
      lang: vscode.env.language,
    });
    this._register(panel.webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m)));
  }

  private async onMessage(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const stat = await vscode.workspace.fs.stat(this.document.uri);
        this.log.debug(`Trace viewer ready for ${this.document.uri.toString()}`);
        const emptyFacets = { levels: [], sources: [], processes: [], threads: [] };
        this.post({ type: 'init', init: {
          files: [{ name: this.document.uri.path.split('/').pop() ?? '', path: this.document.uri.fsPath, byteLength: stat.size }],
          pageSize: 200,
          view: { version: 0, total: 0, totalEvents: 0, facets: emptyFacets },
          progress: { bytesDone: 0, bytesTotal: stat.size, events: 0, done: false, cancelled: false },
          follow: false,
          strings: {},
        } });
        this.onReady(this.document.uri);
        return;
      }
      default:
        return; // the viewer's other requests arrive with the trace engine
    }
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }
}
