// How a command tells the user about long work and failures: a cancellable progress notification, and an error
// message that offers the one action that helps (allow a workspace setting, open the PowerShell setting).
import * as vscode from 'vscode';
import { Commands, Settings } from '../ids';
import type { Logger } from '../log';
import { PowerShellUnavailableError } from '../powershell/runner';
import { SettingNotUsableError } from '../host/workspaceApprovals';
import { settingsCommandFor } from './settingsPlace';

/** A cancellable progress notification whose Cancel button aborts the work's AbortSignal. */
export function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      return await work(abort.signal, progress);
    } finally {
      sub.dispose();
    }
  });
}

export function reportFailure(err: unknown, log: Logger): void {
  if (err instanceof SettingNotUsableError) {
    log.warn(err.message);
    const allow = vscode.l10n.t('Allow…');
    void vscode.window.showErrorMessage(err.message, ...(err.approval ? [allow] : [])).then((a) => {
      if (a === allow) void vscode.commands.executeCommand(Commands.approveWorkspaceSettings, { setting: err.setting, value: err.approval?.value });
    });
    return;
  }
  if (err instanceof PowerShellUnavailableError) {
    log.error(err.message);
    const settings = vscode.l10n.t('Open Settings');
    void vscode.window.showErrorMessage(err.message, settings).then((a) => {
      if (a === settings) void vscode.commands.executeCommand(...settingsCommandFor(vscode.env.remoteName, `${Settings.section}.${Settings.powershellExecutable}`));
    });
    return;
  }
  log.error(err instanceof Error ? err : String(err));
  void vscode.window.showErrorMessage(vscode.l10n.t('The check could not run: {0}', err instanceof Error ? err.message : String(err)));
}
