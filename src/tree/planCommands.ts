// Plan before apply: a read-only plan document for a server (every failing step's remediation with each property now
// and after, the Group Policy owner, WinRM restarts), then a pick of what to apply. Applying runs the selected
// remediations in catalog order through Run Remediation (its checks and its confirmation), each re-checked afterwards.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { CheckService } from '../execution/checkService';
import { applicable, computePlan, renderPlan, type PlanItem } from '../plan/remediationPlan';
import type { ServerConfig } from '../servers/server';
import { InputError } from '../servers/validation';
import type { ResultStore } from '../state/resultStore';
import { localized } from '../uiLanguage';
import { localTime } from '../util/localTime';
import { type RemediationVerdict } from './checkCommands';
import { asNode } from './nodePicker';
import type { ReviewDocuments } from './reviewDocuments';
import type { ServerTreeProvider } from './serverTreeProvider';

export interface PlanDeps {
  readonly tree: ServerTreeProvider;
  readonly service: CheckService;
  readonly store: ResultStore;
  readonly reviews: ReviewDocuments;
}

export interface AppliedStep {
  readonly stepId: string;
  readonly verdict: RemediationVerdict;
}

export function registerPlanCommands(deps: PlanDeps): vscode.Disposable {
  const { tree, service, store } = deps;

  function serverOf(arg: unknown): ServerConfig | undefined {
    const node = asNode(arg);
    if (node && node.kind !== 'problem') return node.server;
    const fqdn = typeof arg === 'string' ? arg : (arg as { server?: unknown } | undefined)?.server;
    return typeof fqdn === 'string' ? tree.servers.find((s) => s.fqdn === fqdn) : undefined;
  }

  async function pickServer(): Promise<ServerConfig | undefined> {
    if (tree.servers.length <= 1) return tree.servers[0];
    const fqdn = await vscode.window.showQuickPick(tree.servers.map((s) => s.fqdn), { placeHolder: vscode.l10n.t('Select a server') });
    return tree.servers.find((s) => s.fqdn === fqdn);
  }

  function planFor(server: ServerConfig): PlanItem[] {
    let inputs;
    let inputProblem: string | undefined;
    try {
      inputs = service.inputsFor(server);
    } catch (err) {
      inputProblem = err instanceof InputError ? err.message : String(err);
    }
    return computePlan({
      server: server.fqdn, steps: tree.stepsOf(server), resultOf: (id) => store.get(server.fqdn, id),
      ...(inputs ? { inputs } : {}), ...(inputProblem ? { inputProblem } : {}), text: localized,
    }, vscode.l10n.t);
  }

  async function apply(server: ServerConfig, plan: readonly PlanItem[], selected: readonly string[]): Promise<AppliedStep[]> {
    const done: AppliedStep[] = [];
    for (const item of applicable(plan, selected)) {
      const step = tree.stepsOf(server).find((s) => s.id === item.stepId);
      if (!step) continue;
      const verdict = await vscode.commands.executeCommand<RemediationVerdict>(Commands.runRemediation, { kind: 'step', server, step });
      done.push({ stepId: item.stepId, verdict });
      if (verdict === 'cancelled' || verdict === 'refused-untrusted' || verdict === 'no-powershell') break;
    }
    const ran = done.filter((d) => d.verdict === 'ran').length;
    if (done.length) void vscode.window.showInformationMessage(vscode.l10n.t('Plan for {0}: remediations run and re-checked: {1} of {2}.', server.fqdn, ran, selected.length));
    return done;
  }

  /** Asks which items to apply (none preselected), then applies them server by server, each in catalog order. */
  async function pickAndApply(plans: readonly { server: ServerConfig; plan: readonly PlanItem[] }[]): Promise<void> {
    const several = plans.length > 1;
    const choices = plans.flatMap(({ server, plan }) => plan.filter((i) => !i.blocked).map((i) => ({
      label: several ? `${server.fqdn} · ${i.title}` : i.title, description: i.restartsWinRM ? vscode.l10n.t('restarts WinRM') : '',
      detail: `${vscode.l10n.t('Now')}: ${i.summary} → ${i.what}`, fqdn: server.fqdn, stepId: i.stepId,
    })));
    if (!choices.length) return;
    const picked = await vscode.window.showQuickPick(choices, {
      canPickMany: true, ignoreFocusOut: true,
      title: several ? vscode.l10n.t('Apply the remediation plan for {0} servers', plans.length) : vscode.l10n.t('Apply the remediation plan for {0}', plans[0]?.server.fqdn ?? ''),
      placeHolder: vscode.l10n.t('Select the remediations to apply (in catalog order, each confirmed and re-checked); the plan is open in the editor'),
    });
    for (const { server, plan } of plans) {
      const steps = (picked ?? []).filter((p) => p.fqdn === server.fqdn).map((p) => p.stepId);
      if (steps.length && (await apply(server, plan, steps)).some((d) => d.verdict === 'cancelled' || d.verdict === 'refused-untrusted' || d.verdict === 'no-powershell')) break;
    }
  }

  /** Opens the plan document of the given servers (nothing runs), then asks what to apply. */
  async function showPlans(servers: readonly ServerConfig[]): Promise<PlanItem[]> {
    const plans = servers.map((server) => ({ server, plan: planFor(server) }));
    const when = localTime(new Date().toISOString(), vscode.env.language);
    const text = plans.map(({ server, plan }) => renderPlan(server.fqdn, plan, vscode.l10n.t, when)).join('\n---\n\n');
    const name = servers.length === 1 ? (servers[0] as ServerConfig).fqdn : vscode.l10n.t('all servers');
    await deps.reviews.show('plan', name, vscode.l10n.t('remediation plan'), text);
    const all = plans.flatMap((p) => p.plan);
    if (!all.length) void vscode.window.showInformationMessage(vscode.l10n.t('{0}: no step needs a remediation.', name));
    else void pickAndApply(plans);
    return all;
  }

  return vscode.Disposable.from(
    // View title and palette: every server (the focused row VS Code hands a title action says nothing about scope);
    // a server's fqdn as argument (drift notice, scripts): that server.
    vscode.commands.registerCommand(Commands.showPlan, async (arg?: unknown) => {
      const one = typeof arg === 'string' ? tree.servers.find((s) => s.fqdn === arg) : undefined;
      const servers = one ? [one] : tree.servers;
      if (!servers.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No Exchange servers are configured.'));
        return [];
      }
      return showPlans(servers);
    }),
    // A server row: that server.
    vscode.commands.registerCommand(Commands.showServerPlan, async (arg?: unknown) => {
      const server = serverOf(arg) ?? await pickServer();
      return server ? showPlans([server]) : [];
    }),
    /** Arguments: { server: fqdn, steps: stepIds } (tests, scripts), or a server row (asks what to apply). */
    vscode.commands.registerCommand(Commands.applyPlan, async (arg?: unknown) => {
      const server = serverOf(arg) ?? await pickServer();
      if (!server) return [];
      const plan = planFor(server);
      const steps = (arg as { steps?: unknown } | undefined)?.steps;
      if (Array.isArray(steps)) return apply(server, plan, steps.filter((x): x is string => typeof x === 'string'));
      await pickAndApply([{ server, plan }]);
      return [];
    }),
  );
}
