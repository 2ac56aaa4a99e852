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

export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  static register(context: vscode.ExtensionContext, log: Logger): vscode.Disposable {
    const provider = new TraceEditorProvider(context.extensionUri, log);
    const options = { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } };
    return vscode.Disposable.from(
      vscode.window.registerCustomEditorProvider(ViewTypes.traceViewer, provider, options),
      vscode.window.registerCustomEditorProvider(ViewTypes.traceViewerOption, provider, options),
    );
  }

  private constructor(private readonly extensionUri: vscode.Uri, private readonly log: Logger) {}

  openCustomDocument(uri: vscode.Uri): TraceDocument {
    return new TraceDocument(uri);
  }

  resolveCustomEditor(document: TraceDocument, panel: vscode.WebviewPanel): void {
    const editor = new TraceEditor(document, panel, this.extensionUri, this.log);
    panel.onDidDispose(() => editor.dispose());
  }
}

class TraceEditor extends Disposable {
  constructor(
    private readonly document: TraceDocument,
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly log: Logger,
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
        this.post({ type: 'init', fileName: this.document.uri.path.split('/').pop() ?? '', byteLength: stat.size });
        return;
      }
    }
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }
}
