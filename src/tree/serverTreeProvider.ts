// The sidebar checklist: servers, each expanding into the steps of its profile with their state and evidence.
// Items render themselves from the pure presentation module; this provider only delegates and refreshes.
import * as vscode from 'vscode';
import { stepsFor } from '../checks';
import type { StepDefinition } from '../checks/types';
import { ContextKeys, ItemTokens } from '../ids';
import { localizeResult } from '../checks/resultText';
import { localized, uiLanguage } from '../uiLanguage';
import type { ParsedServerList, ServerConfig } from '../servers/server';
import type { ResultStore } from '../state/resultStore';
import { Disposable } from '../util/disposable';
import { connectionName, md, presentStep, riskName, STATE_ICONS, type IconSpec, type RowPresentation } from './presentation';
import { stepState, summarizeServer } from '../state/rowState';
import { countStates, countsTable, countsText } from '../state/counts';
import type { StepChange } from '../state/history';
import { remedyMismatch } from '../plan/advice';
import { localTime } from '../util/localTime';

export type ServerNode =
  | { readonly kind: 'server'; readonly server: ServerConfig }
  | { readonly kind: 'step'; readonly server: ServerConfig; readonly step: StepDefinition }
  | { readonly kind: 'problem'; readonly index: number; readonly message: string };

/** Steps that cannot be checked from here (a firewall between sites): an administrator may tick them by hand. */
export function manualAllowed(step: StepDefinition): boolean {
  return step.where === 'network';
}

export function stepTitle(step: StepDefinition): string {
  return localized(step.title);
}

export interface TreeOptions {
  readonly staleAfterMinutes: () => number;
  /** The step's change against its previous run (history), if any. */
  readonly changeOf?: (server: string, stepId: string) => StepChange | undefined;
  /** Why a step without a result was not checked (no PowerShell here…). */
  readonly uncheckedReason?: (server: string, stepId: string) => string | undefined;
}

export class ServerTreeProvider extends Disposable implements vscode.TreeDataProvider<ServerNode> {
  private readonly changed = this._register(new vscode.EventEmitter<ServerNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private list: ParsedServerList = { servers: [], problems: [] };
  private readonly serverNodes = new Map<string, ServerNode>();
  private readonly stepNodes = new Map<string, ServerNode>();
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly load: () => ParsedServerList, private readonly store: ResultStore, private readonly options: TreeOptions) {
    super();
    this._register(store.onDidChange(() => this.scheduleRefresh()));
    // Results age into "stale" without any event: re-render once a minute.
    const timer = setInterval(() => this.changed.fire(undefined), 60_000);
    this._register({ dispose: () => clearInterval(timer) });
    this.refresh();
  }

  get servers(): readonly ServerConfig[] {
    return this.list.servers;
  }

  refresh(): void {
    this.list = this.load();
    this.serverNodes.clear();
    this.stepNodes.clear();
    void vscode.commands.executeCommand('setContext', ContextKeys.hasServers, this.list.servers.length + this.list.problems.length > 0);
    this.changed.fire(undefined);
  }

  /** Bursts of result changes (a check of 50 servers) become one repaint. */
  private scheduleRefresh(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed.fire(undefined);
    }, 30);
  }

  stepsOf(server: ServerConfig): StepDefinition[] {
    return stepsFor(server.profile);
  }

  serverNode(server: ServerConfig): ServerNode {
    let node = this.serverNodes.get(server.fqdn);
    if (!node) this.serverNodes.set(server.fqdn, (node = { kind: 'server', server }));
    return node;
  }

  private stepNode(server: ServerConfig, step: StepDefinition): ServerNode {
    const key = `${server.fqdn}\u0000${step.id}`;
    let node = this.stepNodes.get(key);
    if (!node) this.stepNodes.set(key, (node = { kind: 'step', server, step }));
    return node;
  }

  getChildren(element?: ServerNode): ServerNode[] {
    if (!element) {
      return [
        ...this.list.servers.map((server) => this.serverNode(server)),
        ...this.list.problems.map((p): ServerNode => ({ kind: 'problem', index: p.index, message: p.message })),
      ];
    }
    if (element.kind === 'server') return this.stepsOf(element.server).map((step) => this.stepNode(element.server, step));
    return [];
  }

  getParent(element: ServerNode): ServerNode | undefined {
    return element.kind === 'step' ? this.serverNode(element.server) : undefined;
  }

  presentStep(server: ServerConfig, step: StepDefinition): RowPresentation {
    const result = this.store.get(server.fqdn, step.id);
    const change = this.options.changeOf?.(server.fqdn, step.id);
    const reason = result ? undefined : this.options.uncheckedReason?.(server.fqdn, step.id);
    const noRemedy = remedyMismatch(step.id, result, vscode.l10n.t);
    return presentStep({
      formatTime: (iso) => localTime(iso, vscode.env.language),
      ...(change ? { change } : {}),
      ...(reason ? { uncheckedReason: reason } : {}),
      ...(noRemedy && result && result.status !== 'pass' && result.status !== 'notApplicable' ? { noRemedy } : {}),
      stepId: step.id,
      title: stepTitle(step),
      explanation: localized(step.explanation),
      result: localizeResult(this.store.get(server.fqdn, step.id), uiLanguage()),
      running: this.store.isRunning(server.fqdn, step.id),
      hasRemediation: true,
      manualAllowed: manualAllowed(step),
      riskNote: `${riskName(step.remediation.risk, vscode.l10n.t)} — ${localized(step.remediation.riskNote)}`,
      docLink: step.docLink,
      now: new Date(),
      staleAfterMinutes: this.options.staleAfterMinutes(),
    }, vscode.l10n.t);
  }

  getTreeItem(node: ServerNode): vscode.TreeItem {
    switch (node.kind) {
      case 'problem': {
        const item = new vscode.TreeItem(vscode.l10n.t('Unreadable server entry #{0}', node.index + 1));
        item.description = node.message;
        item.tooltip = node.message;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        return item;
      }
      case 'server': return this.serverItem(node.server);
      case 'step': return this.stepItem(node.server, node.step);
    }
  }

  private serverItem(server: ServerConfig): vscode.TreeItem {
    const steps = this.stepsOf(server);
    const states = steps.map((s) => stepState(this.store.get(server.fqdn, s.id), this.store.isRunning(server.fqdn, s.id)));
    const summary = summarizeServer(states);
    const counts = countStates(states);
    const item = new vscode.TreeItem(server.fqdn, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `server:${server.fqdn}`;
    const profile = server.profile === 'intune' ? vscode.l10n.t('Intune connector') : vscode.l10n.t('PowerShell remoting');
    item.description = `${countsText(counts, vscode.l10n.t)} · ${profile}`;
    item.iconPath = themeIcon(summary.state === 'unknown' ? { id: 'server-environment' } : STATE_ICONS[summary.state]);
    item.contextValue = [ItemTokens.server, ItemTokens.status(summary.state), ...(counts.failed + counts.warned + counts.couldNotCheck ? [ItemTokens.hasFailed] : [])].join(';');
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**${md(server.fqdn)}** — ${md(profile)}\n\n`);
    tip.appendText(`${vscode.l10n.t('Connection')}: ${connectionName(server.connection, vscode.l10n.t)}${server.port ? ` (${vscode.l10n.t('Port')} ${server.port})` : ''}\n`);
    if (server.serviceAccount) tip.appendText(`${vscode.l10n.t('Service account')}: ${server.serviceAccount}\n`);
    tip.appendMarkdown(`\n| ${md(vscode.l10n.t('Steps'))} | |\n| --- | ---: |\n${countsTable(counts, vscode.l10n.t).map(([k, n]) => `| ${md(k)} | ${n} |`).join('\n')}\n\n`);
    if (server.syncServers?.length) tip.appendText(`${vscode.l10n.t('Sync servers')}: ${server.syncServers.join(', ')}\n`);
    if (server.notes) tip.appendText(`\n${server.notes}`);
    if (this.list.source === 'workspace') tip.appendMarkdown(`\n\n$(folder) ${md(vscode.l10n.t('From this workspace\'s settings (.vscode/settings.json), not your user settings.'))}`);
    item.tooltip = tip;
    return item;
  }

  private stepItem(server: ServerConfig, step: StepDefinition): vscode.TreeItem {
    const p = this.presentStep(server, step);
    const item = new vscode.TreeItem(p.label, vscode.TreeItemCollapsibleState.None);
    item.id = `step:${server.fqdn}:${step.id}`;
    item.description = p.description;
    item.iconPath = themeIcon(p.icon);
    item.contextValue = p.contextValue;
    const tip = new vscode.MarkdownString(p.tooltipMarkdown, true);
    tip.isTrusted = false;
    item.tooltip = tip;
    item.accessibilityInformation = { label: `${p.label}: ${p.description}` };
    if (manualAllowed(step)) {
      item.checkboxState = {
        state: this.store.get(server.fqdn, step.id)?.manual ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
        tooltip: vscode.l10n.t('Tick when you have confirmed this step by hand (it cannot be checked from here)'),
      };
    }
    return item;
  }
}

function themeIcon(icon: IconSpec): vscode.ThemeIcon {
  return new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
}

