// Webview entry of the trace viewer. Every string from a file is set as text, never as HTML.
import type { FromWebview, ToWebview } from '../src/traceViewer/protocol';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'init': {
      const [file] = message.init.files;
      app.replaceChildren(
        el('h1', file?.name ?? '', 'file-name'),
        el('p', `${(file?.byteLength ?? 0).toLocaleString()} bytes`, 'file-size'),
      );
      document.body.dataset.state = 'ready';
      return;
    }
    default:
      return;
  }
});

vscode.postMessage({ type: 'ready' });
