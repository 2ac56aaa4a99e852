// Commands that open trace files in the viewer.
import * as vscode from 'vscode';
import { Commands, ViewTypes } from '../ids';

export function registerTraceCommands(): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.openTraceFile, async (uri?: vscode.Uri) => {
    const target = uri ?? (await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: vscode.l10n.t('Open Trace'),
      filters: { [vscode.l10n.t('E2ETraceEvent traces')]: ['svclog', 'e2e', 'xml', 'log'], [vscode.l10n.t('All files')]: ['*'] },
    }))?.[0];
    if (!target) return;
    const viewType = /\.(svclog|e2e)$/i.test(target.path) ? ViewTypes.traceViewer : ViewTypes.traceViewerOption;
    await vscode.commands.executeCommand('vscode.openWith', target, viewType);
  });
}
