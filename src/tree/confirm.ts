// The confirmation before a remediation runs: a quick pick whose first, default item is Cancel, so that Enter never
// runs a change on a production server. It shows target, changes, WinRM restart, risk and the safer alternative; for
// a firewall rule without sync-server addresses it offers to name them or, explicitly, to admit any address.
import * as vscode from 'vscode';
import type { RemediationPlan } from '../execution/checkService';
import { describeTarget } from '../execution/plan';
import { localized, uiLanguage } from '../uiLanguage';
import { riskName } from './presentation';
import { stepTitle } from './serverTreeProvider';

/** true: run; 'any-address': run with a firewall rule open to any address; 'add-addresses': name them first. */
export type ConfirmAnswer = boolean | 'any-address' | 'add-addresses';

export interface ConfirmOptions {
  /** The firewall rule has no sync-server addresses: plain Run is not offered. */
  readonly missingAddresses?: boolean;
}

/** Asks the administrator to confirm a remediation plan; replaceable in extension tests. */
export type Confirm = (plan: RemediationPlan, options: ConfirmOptions) => Promise<ConfirmAnswer>;

interface Choice extends vscode.QuickPickItem {
  readonly answer?: ConfirmAnswer;
}

export const pickConfirm: Confirm = async (plan, options) => {
  const r = plan.step.remediation;
  const target = describeTarget(plan.target, plan.server, uiLanguage());
  const separator = (label: string): Choice => ({ label, kind: vscode.QuickPickItemKind.Separator });
  const items: Choice[] = [
    { label: `$(circle-slash) ${vscode.l10n.t('Cancel')}`, description: vscode.l10n.t('nothing runs'), answer: false },
  ];
  if (options.missingAddresses) {
    items.push(
      { label: `$(add) ${vscode.l10n.t('Name the sync servers first…')}`, description: vscode.l10n.t('scopes the rule to their addresses'), answer: 'add-addresses' },
      { label: `$(warning) ${vscode.l10n.t('Run and admit ANY remote address')}`, description: target, detail: vscode.l10n.t('Not recommended: anybody on the domain network can then try to authenticate.'), answer: 'any-address' },
    );
  } else {
    items.push({ label: `$(play) ${vscode.l10n.t('Run Remediation')}`, description: target, detail: localized(r.changes), answer: true });
  }
  items.push(
    separator(vscode.l10n.t('What it does')),
    { label: `${vscode.l10n.t('Target')}: ${target}` },
    { label: `${vscode.l10n.t('Changes')}: ${localized(r.changes)}` },
    { label: r.restartsWinRM ? vscode.l10n.t('WinRM restarts: yes. Remote sessions to the server drop; run it locally on the server if you are connected through WinRM.') : vscode.l10n.t('WinRM restarts: no.') },
    { label: `${vscode.l10n.t('Risk')}: ${riskName(r.risk, vscode.l10n.t)} — ${localized(r.riskNote)}` },
    { label: `${vscode.l10n.t('Safer alternative')}: ${localized(r.saferAlternative)}` },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Run "{0}" on {1}?', stepTitle(plan.step), plan.server.fqdn),
    placeHolder: vscode.l10n.t('Enter cancels. The exact script ({0} lines) is open in the editor for review.', plan.script.split('\n').length),
    ignoreFocusOut: true,
    matchOnDescription: false,
    matchOnDetail: false,
  });
  return picked?.answer ?? false;
};
