// Export Report: from the view title (and the palette) every server; from a server row's menu that server only.
// VS Code hands a view-title action the focused row, so the two are separate commands and the title one ignores it.
import * as vscode from 'vscode';
import { readRunSettings } from '../config';
import { Commands } from '../ids';
import type { Logger } from '../log';
import { localizeResult } from '../checks/resultText';
import { buildReport } from '../report/model';
import { renderReport, type ReportFormat } from '../report/render';
import type { ServerConfig } from '../servers/server';
import type { ResultStore } from '../state/resultStore';
import { uiLanguage } from '../uiLanguage';
import { asNode } from './nodePicker';
import { stepTitle, type ServerTreeProvider } from './serverTreeProvider';

export function registerReportCommands(tree: ServerTreeProvider, store: ResultStore, log: Logger, version: string): vscode.Disposable {
  async function exportReport(servers: readonly ServerConfig[], formatArg?: unknown, uriArg?: unknown): Promise<vscode.Uri | undefined> {
    if (!servers.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No Exchange servers are configured.'));
      return undefined;
    }
    const given = typeof formatArg === 'string' && ['html', 'md', 'json'].includes(formatArg) ? formatArg as ReportFormat : undefined;
    const format = given ?? (await vscode.window.showQuickPick([
      { label: 'HTML', description: vscode.l10n.t('self-contained, for change tickets'), format: 'html' as const },
      { label: 'Markdown', description: vscode.l10n.t('for wikis and tickets'), format: 'md' as const },
      { label: 'JSON', description: vscode.l10n.t('for scripts; the CLI converts it'), format: 'json' as const },
    ], { placeHolder: (servers.length === 1 ? vscode.l10n.t('Report format (1 server)') : vscode.l10n.t('Report format ({0} servers)', servers.length)) }))?.format;
    if (!format) return undefined;
    const stamp = new Date().toISOString().slice(0, 10);
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = servers.length === 1 ? `exchange-remoting-report-${(servers[0] as ServerConfig).fqdn}-${stamp}` : `exchange-remoting-report-${stamp}`;
    const uri = uriArg instanceof vscode.Uri ? uriArg : await vscode.window.showSaveDialog({
      defaultUri: base ? vscode.Uri.joinPath(base, `${name}.${format}`) : undefined,
      filters: { [format.toUpperCase()]: [format] },
    });
    if (!uri) return undefined;
    const report = buildReport({
      servers,
      stepsFor: (s) => tree.stepsOf(s).map((st) => ({
        id: st.id, title: stepTitle(st), docLink: st.docLink,
        remediation: { changes: st.remediation.changes, restartsWinRM: st.remediation.restartsWinRM, risk: st.remediation.risk, saferAlternative: st.remediation.saferAlternative },
      })),
      resultOf: (s, id) => localizeResult(store.get(s, id), uiLanguage()), now: new Date(), staleAfterMinutes: readRunSettings().staleAfterMinutes,
      generator: `Exchange Remoting Setup ${version}`,
    });
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(renderReport(report, format, uiLanguage())));
    log.info(`Exported a ${format} report of ${servers.length} server(s) to ${uri.fsPath}`);
    const open = vscode.l10n.t('Open');
    void vscode.window.showInformationMessage((servers.length === 1 ? vscode.l10n.t('Report of 1 server saved to {0}.', uri.fsPath) : vscode.l10n.t('Report of {0} servers saved to {1}.', servers.length, uri.fsPath)), open).then((a) => {
      if (a === open) void vscode.commands.executeCommand('vscode.open', uri);
    });
    return uri;
  }

  return vscode.Disposable.from(
    // Title, palette, scripts: every server. A first argument that is a tree row (the focused one) is ignored.
    vscode.commands.registerCommand(Commands.exportReport, (first?: unknown, format?: unknown, uri?: unknown) => {
      const args = asNode(first) || first === undefined || first === null ? [format, uri] : [first, format];
      return exportReport(tree.servers, args[0], args[1]);
    }),
    vscode.commands.registerCommand(Commands.exportServerReport, async (node?: unknown, format?: unknown, uri?: unknown) => {
      const n = asNode(node);
      const server = n && n.kind !== 'problem' ? n.server : undefined;
      if (server) return exportReport([server], format, uri);
      const fqdn = await vscode.window.showQuickPick(tree.servers.map((s) => s.fqdn), { placeHolder: vscode.l10n.t('Select a server') });
      const picked = tree.servers.find((s) => s.fqdn === fqdn);
      return picked ? exportReport([picked], format, uri) : undefined;
    }),
  );
}
