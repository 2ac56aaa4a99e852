// Read-only documents for review: remediation and check scripts, runbooks, plans, transcripts. One document per
// server and step (named after both, so the tab says what it holds), opened with its language, reused when opened
// again (same tab, no new column), never dirty (closing asks nothing). A TextDocumentContentProvider serves them.
import * as vscode from 'vscode';
import { Schemes } from '../ids';

export type ReviewKind = 'remediation' | 'check' | 'runbook' | 'plan' | 'transcript' | 'history';

const EXTENSION: Record<ReviewKind, string> = { remediation: 'ps1', check: 'ps1', runbook: 'ps1', plan: 'md', transcript: 'log', history: 'md' };
const LANGUAGE: Record<ReviewKind, string> = { remediation: 'powershell', check: 'powershell', runbook: 'powershell', plan: 'markdown', transcript: 'log', history: 'markdown' };

/** The document's address: the file name carries the server and the step ("exch01 · Kerberos delegation.ps1"). */
export function reviewUri(kind: ReviewKind, server: string, what: string): vscode.Uri {
  const clean = (s: string): string => Array.from(s.replace(/[\\/:*?"<>|#%]/g, '-')).filter((c) => c.charCodeAt(0) >= 0x20).join('').slice(0, 120);
  return vscode.Uri.from({ scheme: Schemes.review, path: `/${kind}/${clean(`${server} · ${what}`)}.${EXTENSION[kind]}` });
}

export class ReviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(Schemes.review, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Shows the text in its document: the same tab when it is open already, else beside the current editor. */
  async show(kind: ReviewKind, server: string, what: string, text: string): Promise<vscode.TextEditor> {
    const uri = reviewUri(kind, server, what);
    const key = uri.toString();
    const changed = this.contents.get(key) !== text;
    this.contents.set(key, text);
    if (changed) this.changed.fire(uri);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== LANGUAGE[kind]) {
      try {
        doc = await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE[kind]);
      } catch {
        // a language this VS Code does not know: the text stays plain
      }
    }
    return vscode.window.showTextDocument(doc, { preview: false, viewColumn: this.columnFor(uri) });
  }

  /** The column of the tab showing this document, else of any review, else beside the active editor (or in the empty one). */
  private columnFor(uri: vscode.Uri): vscode.ViewColumn {
    const groups = vscode.window.tabGroups.all;
    const holds = (pred: (u: vscode.Uri) => boolean) => groups.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && pred(t.input.uri)));
    const same = holds((u) => u.toString() === uri.toString()) ?? holds((u) => u.scheme === Schemes.review);
    return same?.viewColumn ?? (vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
