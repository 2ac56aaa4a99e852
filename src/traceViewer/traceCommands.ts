// Commands that open trace files in the viewer: one file, or several files / a log folder merged by time.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { Commands, ViewTypes } from '../ids';
import type { TraceEditorProvider } from './traceEditorProvider';

const TRACE_FILE = /\.(svclog|e2e|xml|log)$/i;

export function registerTraceCommands(provider: TraceEditorProvider): vscode.Disposable {
  return vscode.Disposable.from(
    // From the checklist's view title VS Code passes the focused row: only a Uri is a file argument.
    vscode.commands.registerCommand(Commands.openTraceFile, async (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : undefined;
      const target = uri ?? (await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: vscode.l10n.t('Open Trace'),
        filters: { [vscode.l10n.t('E2ETraceEvent traces')]: ['svclog', 'e2e', 'xml', 'log'], [vscode.l10n.t('All files')]: ['*'] },
      }))?.[0];
      if (!target) return;
      const viewType = /\.(svclog|e2e)$/i.test(target.path) ? ViewTypes.traceViewer : ViewTypes.traceViewerOption;
      await vscode.commands.executeCommand('vscode.openWith', target, viewType);
    }),
    vscode.commands.registerCommand(Commands.openTraceFolder, async (uriArg?: unknown, selectedArg?: unknown) => {
      const uri = uriArg instanceof vscode.Uri ? uriArg : undefined;
      const selected = Array.isArray(selectedArg) && selectedArg.every((u) => u instanceof vscode.Uri) ? selectedArg as vscode.Uri[] : undefined;
      // From the explorer: the clicked item and the selection; from the palette: pick a folder or several files.
      const picked = selected?.length ? selected : uri ? [uri] : await vscode.window.showOpenDialog({
        canSelectMany: true, canSelectFolders: true, canSelectFiles: true, openLabel: vscode.l10n.t('Open as One View'),
      });
      if (!picked?.length) return undefined;
      const files: vscode.Uri[] = [];
      for (const item of picked) {
        const stat = await vscode.workspace.fs.stat(item);
        if (stat.type & vscode.FileType.Directory) {
          for (const [name, type] of await vscode.workspace.fs.readDirectory(item)) {
            if (type & vscode.FileType.File && TRACE_FILE.test(name)) files.push(vscode.Uri.joinPath(item, name));
          }
        } else {
          files.push(item);
        }
      }
      if (!files.length) {
        void vscode.window.showWarningMessage(vscode.l10n.t('No trace files (.svclog, .e2e, .xml, .log) in the selection.'));
        return undefined;
      }
      files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
      const title = picked.length === 1 ? basename(picked[0]?.fsPath ?? '') : vscode.l10n.t('Trace files ({0})', files.length);
      provider.openMerged(files, title);
      return files.length;
    }),
  );
}
