// The checklist's actions: run checks (step, server, all) with cancellable progress, review / copy / run a
// remediation after a modal confirmation, open a server's runbook, export a report, tick a step by hand.
import * as vscode from 'vscode';
import { userInfo } from 'node:os';
import { renderRunbook, type Status, type StepId } from '../checks';
import type { StepDefinition } from '../checks/types';
import { readRunSettings } from '../config';
import type { CheckService, RemediationPlan } from '../execution/checkService';
import { Commands } from '../ids';
import type { Logger } from '../log';
import { PowerShellUnavailableError } from '../powershell/runner';
import { SettingNotUsableError } from '../host/workspaceApprovals';
import { buildReport } from '../report/model';
import { renderReport, type ReportFormat } from '../report/render';
import type { ServerConfig } from '../servers/server';
import { InputError } from '../servers/validation';
import type { ResultStore } from '../state/resultStore';
import { describeTarget } from '../execution/plan';
import { riskName } from './presentation';
import { stepTitle, type ServerNode, type ServerTreeProvider } from './serverTreeProvider';
import { localizeResult } from '../checks/resultText';
import { localized, uiLanguage } from '../uiLanguage';

/** Asks the administrator to confirm a remediation plan; the real one is a modal dialog. */
export type Confirm = (plan: RemediationPlan) => Promise<boolean>;

export type RemediationVerdict = 'refused-untrusted' | 'cancelled' | 'invalid-input' | 'ran' | 'failed';

export interface CheckCommandDeps {
  readonly tree: ServerTreeProvider;
  readonly treeView: vscode.TreeView<ServerNode>;
  readonly service: CheckService;
  readonly store: ResultStore;
  readonly log: Logger;
  readonly version: string;
  /** Replaceable in extension tests (ExtensionMode.Test only). */
  confirm: Confirm;
}

export function registerCheckCommands(deps: CheckCommandDeps): vscode.Disposable {
  const { tree, service, store, log } = deps;

  async function runChecks(jobs: { server: ServerConfig; steps: StepDefinition[] }[], title: string): Promise<void> {
    if (!jobs.length) return;
    await withCancellableProgress(title, async (signal, progress) => {
      try {
        await service.check(jobs, {
          signal,
          onProgress: (done, total, what) => progress.report({ increment: 100 / total, message: vscode.l10n.t('{0} of {1}: {2}', done, total, what) }),
          onNeedsWindows: (servers) => void vscode.window.showWarningMessage(vscode.l10n.t('WinRM remoting needs Windows PowerShell or PowerShell on Windows, and this machine runs PowerShell on Linux or macOS: {0} could not be checked over WinRM. Give these servers the "ssh" connection (PowerShell 7 over OpenSSH, Windows Server 2019 and later), or run VS Code on Windows. Steps checked from here without PowerShell (the network path, delegation over LDAPS) still work.', servers.join(', '))),
        });
      } catch (err) {
        reportFailure(err, log);
      }
    });
  }

  async function remediate(node: ServerNode | undefined): Promise<RemediationVerdict> {
    const target = node?.kind === 'step' ? node : await pickStep(tree);
    if (!target) return 'cancelled';
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Remediations do not run in Restricted Mode. Trust this workspace first (Manage Workspace Trust), or copy the script and run it yourself.'));
      return 'refused-untrusted';
    }
    const plan = planOrExplain(service, target.server, target.step);
    if (!plan) return 'invalid-input';
    await openScript(plan.script);
    if (!(await deps.confirm(plan))) {
      log.info(`Remediation ${plan.step.id} on ${plan.server.fqdn} not confirmed; nothing ran`);
      return 'cancelled';
    }
    return withCancellableProgress(vscode.l10n.t('Running the remediation for "{0}" on {1}…', stepTitle(plan.step), plan.server.fqdn), async (signal) => {
      try {
        const outcome = await service.remediate(plan, { signal });
        const after = outcome.recheck ? ` ${vscode.l10n.t('Re-check: {0}.', localizeResult(outcome.recheck, uiLanguage()).summary)}` : '';
        if (outcome.ok) void vscode.window.showInformationMessage(vscode.l10n.t('The remediation ran on {0}.', plan.targetDescription) + after);
        else if (outcome.verdict === 'not-confirmed') void showUnconfirmed(plan, outcome.output, after);
        else void vscode.window.showErrorMessage(vscode.l10n.t('The remediation failed on {0}: {1}', plan.targetDescription, outcome.message ?? '') + after);
        return outcome.ok ? 'ran' : 'failed';
      } catch (err) {
        reportFailure(err, log);
        return 'failed';
      }
    });
  }

  /** The remediation printed output but not its success marker: say so, and show what it printed. */
  async function showUnconfirmed(plan: RemediationPlan, output: string, after: string): Promise<void> {
    const show = vscode.l10n.t('Show Output');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('The remediation on {0} is not confirmed: it did not report that it reached its end. It may have changed part of what it should.', plan.targetDescription) + after, show);
    if (choice === show) {
      const doc = await vscode.workspace.openTextDocument({ content: output, language: 'plaintext' });
      await vscode.window.showTextDocument(doc, { preview: true });
    }
  }

  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.runCheck, async (node?: ServerNode) => {
      const picked = node ?? await pickServerOrStep(tree);
      if (!picked || picked.kind === 'problem') return;
      const steps = picked.kind === 'step' ? [picked.step] : tree.stepsOf(picked.server);
      await runChecks([{ server: picked.server, steps }], vscode.l10n.t('Checking {0}', picked.server.fqdn));
    }),
    vscode.commands.registerCommand(Commands.runAllChecks, async () => {
      const jobs = tree.servers.map((server) => ({ server, steps: tree.stepsOf(server) }));
      if (!jobs.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No Exchange servers are configured.'));
        return;
      }
      await runChecks(jobs, vscode.l10n.t('Checking servers ({0})', jobs.length));
    }),
    vscode.commands.registerCommand(Commands.runRemediation, remediate),
    vscode.commands.registerCommand(Commands.copyRemediation, async (node?: ServerNode) => {
      const target = node?.kind === 'step' ? node : await pickStep(tree);
      const plan = target && planOrExplain(service, target.server, target.step);
      if (!plan) return undefined;
      await vscode.env.clipboard.writeText(plan.script);
      void vscode.window.showInformationMessage(vscode.l10n.t('Remediation script for "{0}" on {1} copied to the clipboard.', stepTitle(plan.step), plan.server.fqdn));
      return plan.script;
    }),
    vscode.commands.registerCommand(Commands.openRemediation, async (node?: ServerNode) => {
      const target = node?.kind === 'step' ? node : await pickStep(tree);
      const plan = target && planOrExplain(service, target.server, target.step);
      if (plan) await openScript(plan.script);
    }),
    vscode.commands.registerCommand(Commands.openCheckScript, async (node?: ServerNode) => {
      const target = node?.kind === 'step' ? node : await pickStep(tree);
      if (!target) return undefined;
      try {
        const script = service.checkScriptFor(target.server, target.step);
        await openScript(script);
        return script;
      } catch (err) {
        void vscode.window.showErrorMessage(err instanceof InputError ? vscode.l10n.t('{0} Edit the server entry first.', err.message) : String(err));
        return undefined;
      }
    }),
    vscode.commands.registerCommand(Commands.openRunbook, async (node?: ServerNode) => {
      const picked = node ?? await pickServerOrStep(tree, true);
      const server = picked && picked.kind !== 'problem' ? picked.server : undefined;
      if (!server) return;
      try {
        const results: Partial<Record<StepId, Status>> = {};
        for (const [id, r] of store.forServer(server.fqdn)) results[id as StepId] = r.status;
        await openScript(renderRunbook(service.inputsFor(server), results, { profile: server.profile, where: 'exchangeServer' }));
      } catch (err) {
        void vscode.window.showErrorMessage(err instanceof InputError ? err.message : String(err));
      }
    }),
    vscode.commands.registerCommand(Commands.exportReport, async (node?: ServerNode, formatArg?: ReportFormat, uriArg?: vscode.Uri) => {
      const servers = node && node.kind !== 'problem' ? [node.server] : tree.servers;
      const format = formatArg ?? (await vscode.window.showQuickPick([
        { label: 'HTML', description: vscode.l10n.t('self-contained, for change tickets'), format: 'html' as const },
        { label: 'Markdown', description: vscode.l10n.t('for wikis and tickets'), format: 'md' as const },
        { label: 'JSON', description: vscode.l10n.t('for scripts; the CLI converts it'), format: 'json' as const },
      ], { placeHolder: vscode.l10n.t('Report format') }))?.format;
      if (!format) return undefined;
      const stamp = new Date().toISOString().slice(0, 10);
      const base = vscode.workspace.workspaceFolders?.[0]?.uri;
      const uri = uriArg ?? await vscode.window.showSaveDialog({
        defaultUri: base ? vscode.Uri.joinPath(base, `exchange-remoting-report-${stamp}.${format}`) : undefined,
        filters: { [format.toUpperCase()]: [format] },
      });
      if (!uri) return undefined;
      const report = buildReport({
        servers, stepsFor: (s) => tree.stepsOf(s).map((st) => ({ id: st.id, title: stepTitle(st) })),
        resultOf: (s, id) => localizeResult(store.get(s, id), uiLanguage()), now: new Date(), staleAfterMinutes: readRunSettings().staleAfterMinutes,
        generator: `Exchange Remoting Setup ${deps.version}`,
      });
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(renderReport(report, format, uiLanguage())));
      log.info(`Exported a ${format} report of ${servers.length} server(s) to ${uri.fsPath}`);
      const open = vscode.l10n.t('Open');
      void vscode.window.showInformationMessage(vscode.l10n.t('Report saved to {0}.', uri.fsPath), open).then((a) => {
        if (a === open) void vscode.commands.executeCommand('vscode.open', uri);
      });
      return uri;
    }),
    deps.treeView.onDidChangeCheckboxState(async (e) => {
      for (const [node, state] of e.items) {
        if (node.kind !== 'step') continue;
        if (state === vscode.TreeItemCheckboxState.Checked) {
          const by = currentUser();
          const at = new Date().toISOString();
          await store.set(node.server.fqdn, {
            stepId: node.step.id, status: 'pass', summary: vscode.l10n.t('confirmed manually'),
            evidence: [{ label: vscode.l10n.t('Confirmed by'), value: by }], reason: vscode.l10n.t('An administrator confirmed this step by hand; it cannot be checked from here.'),
            checkedAt: at, manual: { by, at },
          });
          log.info(`${node.step.id} on ${node.server.fqdn} confirmed manually by ${by}`);
        } else {
          await store.clear(node.server.fqdn, node.step.id);
        }
      }
    }),
  );
}

/** A cancellable progress notification whose Cancel button aborts the work's AbortSignal. */
function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>): Thenable<T> {
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

/** The modal confirmation: what runs where, what it changes, whether WinRM restarts, the risk. */
export const modalConfirm: Confirm = async (plan) => {
  const r = plan.step.remediation;
  const lines = [
    `${vscode.l10n.t('Target')}: ${describeTarget(plan.target, plan.server, uiLanguage())}`,
    `${vscode.l10n.t('Changes')}: ${localized(r.changes)}`,
    r.restartsWinRM ? vscode.l10n.t('WinRM restarts: yes. Remote sessions to the server drop; run it locally on the server if you are connected through WinRM.') : vscode.l10n.t('WinRM restarts: no.'),
    `${vscode.l10n.t('Risk')}: ${riskName(r.risk, vscode.l10n.t)} — ${localized(r.riskNote)}`,
    `${vscode.l10n.t('Safer alternative')}: ${localized(r.saferAlternative)}`,
    '',
    vscode.l10n.t('The exact script is open in the editor for review (lines: {0}).', plan.script.split('\n').length),
  ];
  const run = vscode.l10n.t('Run Remediation');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Run "{0}" on {1}?', stepTitle(plan.step), plan.server.fqdn), { modal: true, detail: lines.join('\n') }, run);
  return answer === run;
};

function planOrExplain(service: CheckService, server: ServerConfig, step: StepDefinition): RemediationPlan | undefined {
  try {
    return service.planRemediation(server, step);
  } catch (err) {
    void vscode.window.showErrorMessage(err instanceof InputError ? vscode.l10n.t('{0} Edit the server entry first.', err.message) : String(err));
    return undefined;
  }
}

async function openScript(script: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'powershell', content: script });
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

function reportFailure(err: unknown, log: Logger): void {
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
      if (a === settings) void vscode.commands.executeCommand('workbench.action.openSettings', 'exchangeRemoting.powershell');
    });
    return;
  }
  log.error(err instanceof Error ? err : String(err));
  void vscode.window.showErrorMessage(vscode.l10n.t('The check could not run: {0}', err instanceof Error ? err.message : String(err)));
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USERNAME ?? process.env.USER ?? 'unknown';
  }
}

async function pickServerOrStep(tree: ServerTreeProvider, serverOnly = false): Promise<ServerNode | undefined> {
  if (!tree.servers.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No Exchange servers are configured.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(tree.servers.map((s) => ({ label: s.fqdn, description: s.profile, server: s })), { placeHolder: vscode.l10n.t('Select a server') });
  if (!picked) return undefined;
  if (serverOnly) return tree.serverNode(picked.server);
  const all = vscode.l10n.t('All steps');
  const step = await vscode.window.showQuickPick([{ label: all, step: undefined as StepDefinition | undefined }, ...tree.stepsOf(picked.server).map((st) => ({ label: stepTitle(st), step: st as StepDefinition | undefined }))], { placeHolder: vscode.l10n.t('Which step?') });
  if (!step) return undefined;
  return step.step ? { kind: 'step', server: picked.server, step: step.step } : tree.serverNode(picked.server);
}

async function pickStep(tree: ServerTreeProvider): Promise<Extract<ServerNode, { kind: 'step' }> | undefined> {
  const node = await pickServerOrStep(tree);
  if (node?.kind === 'step') return node;
  if (node?.kind === 'server') {
    const step = await vscode.window.showQuickPick(tree.stepsOf(node.server).map((st) => ({ label: stepTitle(st), step: st })), { placeHolder: vscode.l10n.t('Which step?') });
    return step ? { kind: 'step', server: node.server, step: step.step } : undefined;
  }
  return undefined;
}
