// The checklist's actions: run checks (step, server, all) with cancellable progress, review / copy / run a
// remediation after a modal confirmation, open a server's runbook, export a report, tick a step by hand.
import * as vscode from 'vscode';
import { userInfo } from 'node:os';
import { renderRunbook, type Status, type StepId } from '../checks';
import type { StepDefinition } from '../checks/types';
import type { CheckService, RemediationPlan } from '../execution/checkService';
import { Commands } from '../ids';
import type { Logger } from '../log';
import { PowerShellUnavailableError } from '../powershell/runner';
import type { ServerConfig } from '../servers/server';
import { InputError } from '../servers/validation';
import type { ResultStore } from '../state/resultStore';
import { remedyMismatch } from '../plan/advice';
import { stepTitle, type ServerNode, type ServerTreeProvider } from './serverTreeProvider';
import type { Confirm } from './confirm';
import { addSyncServers } from './serverCommands';
import type { ReviewDocuments } from './reviewDocuments';
import { announceChanges } from './driftNotice';
import { localizeResult } from '../checks/resultText';
import { uiLanguage } from '../uiLanguage';
import { asNode, pickServerOrStep, pickStep, type StepNode } from './nodePicker';
import { reportFailure, withCancellableProgress } from './commandFeedback';

export type { Confirm } from './confirm';

export type RemediationVerdict = 'refused-untrusted' | 'cancelled' | 'invalid-input' | 'not-checked' | 'no-powershell' | 'not-applicable' | 'ran' | 'failed';

export interface CheckCommandDeps {
  readonly tree: ServerTreeProvider;
  readonly treeView: vscode.TreeView<ServerNode>;
  readonly service: CheckService;
  readonly store: ResultStore;
  readonly log: Logger;
  readonly version: string;
  readonly reviews: ReviewDocuments;
  /** Replaceable in extension tests (ExtensionMode.Test only). */
  confirm: Confirm;
}

export function registerCheckCommands(deps: CheckCommandDeps): vscode.Disposable {
  const { tree, service, store, log } = deps;

  async function runChecks(jobs: { server: ServerConfig; steps: StepDefinition[] }[], title: string): Promise<void> {
    if (!jobs.length) return;
    await withCancellableProgress(title, async (signal, progress) => {
      try {
        const summary = await service.check(jobs, {
          signal,
          onProgress: (done, total, what) => progress.report({ increment: 100 / total, message: vscode.l10n.t('{0} of {1}: {2}', done, total, what) }),
          onNeedsWindows: (servers) => void vscode.window.showWarningMessage(vscode.l10n.t('WinRM remoting needs Windows PowerShell or PowerShell on Windows, and this machine runs PowerShell on Linux or macOS: {0} could not be checked over WinRM. Give these servers the "ssh" connection (PowerShell 7 over OpenSSH, Windows Server 2019 and later), or run VS Code on Windows. Steps checked from here without PowerShell (the network path, delegation over LDAPS) still work.', servers.join(', '))),
        });
        announceChanges(summary.changes);
        if (summary.powershellUnavailable) reportFailure(new PowerShellUnavailableError(summary.powershellUnavailable, ''), log);
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
    const last = store.get(target.server.fqdn, target.step.id);
    if (!last) {
      const check = vscode.l10n.t('Run Check');
      void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" on {1} has not been checked yet: run its check first, so that you see what the remediation would change.', stepTitle(target.step), target.server.fqdn), check)
        .then((a) => { if (a === check) void vscode.commands.executeCommand(Commands.runCheck, target); });
      return 'not-checked';
    }
    if (service.powershellUnavailable) {
      reportFailure(new PowerShellUnavailableError(vscode.l10n.t('No PowerShell can run this remediation here: {0}', service.powershellUnavailable), ''), log);
      return 'no-powershell';
    }
    const mismatch = remedyMismatch(target.step.id, last, vscode.l10n.t);
    if (mismatch) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The remediation of "{0}" does not fit the result on {1}. {2}', stepTitle(target.step), target.server.fqdn, mismatch));
      return 'not-applicable';
    }
    return confirmAndRun(target.server, target.step);
  }

  async function confirmAndRun(server: ServerConfig, step: StepDefinition): Promise<RemediationVerdict> {
    let plan = planOrExplain(service, server, step);
    if (!plan) return 'invalid-input';
    const missingAddresses = step.id === 'firewall-5986' && !service.inputsFor(server).remoteAddresses.length;
    await deps.reviews.show('remediation', server.fqdn, stepTitle(step), plan.script);
    const answer = await deps.confirm(plan, { missingAddresses });
    if (answer === 'add-addresses') {
      const updated = await addSyncServers(server);
      if (!updated) return 'cancelled';
      return confirmAndRun(updated, step);
    }
    if (answer === 'any-address') plan = planOrExplain(service, server, step, { allowAnyRemoteAddress: true });
    if (!answer || !plan || (missingAddresses && answer !== 'any-address')) {
      log.info(`Remediation ${step.id} on ${server.fqdn} not confirmed; nothing ran`);
      return 'cancelled';
    }
    if (answer === 'any-address') await deps.reviews.show('remediation', server.fqdn, stepTitle(step), plan.script);
    const confirmed = plan;
    return withCancellableProgress(vscode.l10n.t('Running the remediation for "{0}" on {1}…', stepTitle(confirmed.step), confirmed.server.fqdn), async (signal) => {
      const plan = confirmed;
      try {
        const outcome = await service.remediate(plan, { signal });
        announceChanges(outcome.changes ?? []);
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

  const runNodeChecks = async (node?: unknown): Promise<void> => {
    const picked = asNode(node) ?? await pickServerOrStep(tree);
    if (!picked || picked.kind === 'problem') return;
    const steps = picked.kind === 'step' ? [picked.step] : tree.stepsOf(picked.server);
    await runChecks([{ server: picked.server, steps }], vscode.l10n.t('Checking {0}', picked.server.fqdn));
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.runCheck, runNodeChecks),
    vscode.commands.registerCommand(Commands.runServerChecks, async (node?: unknown) => {
      const n = asNode(node);
      const server = n && n.kind !== 'problem' ? n.server : (await pickServerOrStep(tree, true) as { server?: ServerConfig } | undefined)?.server;
      if (server) await runNodeChecks(tree.serverNode(server));
    }),
    // A view-title action: VS Code passes it the focused row, which says nothing about its scope (every server).
    vscode.commands.registerCommand(Commands.runFailedChecks, async () => {
      const servers = tree.servers;
      const jobs = servers.map((server) => ({ server, steps: tree.stepsOf(server).filter((st) => notPassed(store.get(server.fqdn, st.id))) })).filter((j) => j.steps.length);
      if (!jobs.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No checked step failed: nothing to run again.'));
        return 0;
      }
      await runChecks(jobs, vscode.l10n.t('Checking the steps that did not pass ({0})', jobs.reduce((n2, j) => n2 + j.steps.length, 0)));
      return jobs.reduce((n2, j) => n2 + j.steps.length, 0);
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
      const target = asNode(node)?.kind === 'step' ? node as StepNode : await pickStep(tree);
      const plan = target && planOrExplain(service, target.server, target.step);
      if (!plan) return undefined;
      await vscode.env.clipboard.writeText(plan.script);
      void vscode.window.showInformationMessage(vscode.l10n.t('Remediation script for "{0}" on {1} copied to the clipboard.', stepTitle(plan.step), plan.server.fqdn));
      return plan.script;
    }),
    vscode.commands.registerCommand(Commands.openRemediation, async (node?: ServerNode) => {
      const target = asNode(node)?.kind === 'step' ? node as StepNode : await pickStep(tree);
      const plan = target && planOrExplain(service, target.server, target.step);
      if (plan) return (await deps.reviews.show('remediation', plan.server.fqdn, stepTitle(plan.step), plan.script)).document.uri;
      return undefined;
    }),
    vscode.commands.registerCommand(Commands.openCheckScript, async (node?: ServerNode) => {
      const target = asNode(node)?.kind === 'step' ? node as StepNode : await pickStep(tree);
      if (!target) return undefined;
      try {
        const script = service.checkScriptFor(target.server, target.step);
        await deps.reviews.show('check', target.server.fqdn, `${stepTitle(target.step)} (${vscode.l10n.t('check')})`, script);
        return script;
      } catch (err) {
        void vscode.window.showErrorMessage(err instanceof InputError ? vscode.l10n.t('{0} Edit the server entry first.', err.message) : String(err));
        return undefined;
      }
    }),
    vscode.commands.registerCommand(Commands.openRunbook, async (node?: ServerNode) => {
      const picked = asNode(node) ?? await pickServerOrStep(tree, true);
      const server = picked && picked.kind !== 'problem' ? picked.server : undefined;
      if (!server) return;
      try {
        const results: Partial<Record<StepId, Status>> = {};
        for (const [id, r] of store.forServer(server.fqdn)) results[id as StepId] = r.status;
        await deps.reviews.show('runbook', server.fqdn, vscode.l10n.t('runbook'), renderRunbook(service.inputsFor(server), results, { profile: server.profile, where: 'exchangeServer' }));
      } catch (err) {
        void vscode.window.showErrorMessage(err instanceof InputError ? err.message : String(err));
      }
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

function planOrExplain(service: CheckService, server: ServerConfig, step: StepDefinition, overrides?: { allowAnyRemoteAddress?: boolean }): RemediationPlan | undefined {
  try {
    return service.planRemediation(server, step, overrides);
  } catch (err) {
    void vscode.window.showErrorMessage(err instanceof InputError ? vscode.l10n.t('{0} Edit the server entry first.', err.message) : String(err));
    return undefined;
  }
}

function notPassed(r: { status: string; manual?: unknown } | undefined): boolean {
  return !!r && !r.manual && (r.status === 'fail' || r.status === 'warn' || r.status === 'error');
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USERNAME ?? process.env.USER ?? 'unknown';
  }
}

