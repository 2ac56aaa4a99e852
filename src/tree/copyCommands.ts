// Copy actions on a step row that copy what a result lists (not a script): the Intune connector's cloud service
// URLs, one per line, for a proxy or firewall allow-list. Only values that are http(s) URLs are copied, however the
// stored result came to hold them.
import * as vscode from 'vscode';
import { cloudUrlsInResult } from '../checks/steps/connectorConfig';
import { httpUrl } from '../checks/connectorConfigData';
import { Commands } from '../ids';
import type { ResultStore } from '../state/resultStore';
import type { ServerNode } from './serverTreeProvider';

/** Returns the copied text (for tests), or undefined when nothing was copied. */
export function registerCopyCommands(store: Pick<ResultStore, 'get'>): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.copyConnectorUrls, async (node?: ServerNode): Promise<string | undefined> => {
    if (node?.kind !== 'step') {
      void vscode.window.showWarningMessage(vscode.l10n.t('Choose the configuration row of an Intune server in the sidebar to copy its cloud service URLs.'));
      return undefined;
    }
    const urls = cloudUrlsInResult(store.get(node.server.fqdn, node.step.id)).filter((u) => httpUrl(u) !== undefined);
    if (!urls.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No cloud service URLs are known for {0} yet: run the check of this step first.', node.server.fqdn));
      return undefined;
    }
    const text = urls.join('\n');
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(vscode.l10n.t('Cloud service URLs of {0} copied to the clipboard (one per line): {1}', node.server.fqdn, urls.length));
    return text;
  });
}
