// VS Code side of the approval rule in ./decide.ts: reads `inspect()` of the guarded settings, the trust state and
// the approvals kept in globalState (outside the workspace, never synced, no secret), logs what it decides, and
// offers the commands that approve or revoke a workspace value. The decision itself is the pure `decide`.
import * as vscode from 'vscode';
import { Commands, Settings, StateKeys } from '../ids';
import type { Logger } from '../log';
import {
  GUARDED_SETTINGS, decide, parseApprovals, withApproval, withoutApproval,
  type Approval, type Decision, type GuardedSetting,
} from '../state/settingApproval';

/** A guarded value that may not be used (yet): the message says which setting, which value and what to do. */
export class SettingNotUsableError extends Error {
  constructor(message: string, readonly setting: GuardedSetting, readonly approval?: Approval) {
    super(message);
  }
}

/** Asks the administrator to allow one workspace value; the real one is a modal dialog. */
export type ApprovalConfirm = (approval: Approval) => Promise<boolean>;

export class WorkspaceApprovals implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when an approval is given or revoked, or a guarded setting or the trust changes. */
  readonly onDidChange = this.changed.event;
  private readonly logged = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly memento: vscode.Memento, private readonly log: Logger, public confirm: ApprovalConfirm = modalApprovalConfirm) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (GUARDED_SETTINGS.some((s) => e.affectsConfiguration(`${Settings.section}.${s}`))) this.changed.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    );
  }

  private approvals(): Approval[] {
    return parseApprovals(this.memento.get<unknown>(StateKeys.approvals));
  }

  private scopes(): { workspaceScope?: string; folderScope?: string } {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.toString();
    const file = vscode.workspace.workspaceFile?.toString();
    return { ...(file ?? folder ? { workspaceScope: (file ?? folder) as string } : {}), ...(file && folder ? { folderScope: folder } : {}) };
  }

  decision(setting: GuardedSetting): Decision {
    const scopes = this.scopes();
    const config = vscode.workspace.getConfiguration(Settings.section, scopes.folderScope ? vscode.workspace.workspaceFolders?.[0]?.uri : undefined);
    const d = decide({ setting, inspected: config.inspect<unknown>(setting), trusted: vscode.workspace.isTrusted, approvals: this.approvals(), ...scopes });
    this.logOnce(setting, d);
    return d;
  }

  /** The value to use ('' when unset); throws SettingNotUsableError when the workspace value is not approved or invalid. */
  value(setting: GuardedSetting): string {
    const d = this.decision(setting);
    if (d.kind === 'use') return d.value;
    if (d.kind === 'invalid') throw new SettingNotUsableError(vscode.l10n.t('{0} Fix the setting, then run again.', d.message), setting);
    throw new SettingNotUsableError(vscode.l10n.t(
      'This workspace sets exchangeRemoting.{0} to "{1}". A workspace value that chooses which program runs or where the credential goes is used only after you allow it: run "Allow Workspace Settings…" (or remove it from .vscode/settings.json).',
      setting, d.approval.value,
    ), setting, d.approval);
  }

  /** Workspace values waiting for approval (for the approve command). */
  pending(): Approval[] {
    return GUARDED_SETTINGS.map((s) => this.decision(s)).flatMap((d) => (d.kind === 'needs-approval' ? [d.approval] : []));
  }

  /** Approvals given for the open workspace. */
  approvedHere(): Approval[] {
    const { workspaceScope, folderScope } = this.scopes();
    return this.approvals().filter((a) => a.scope === workspaceScope || a.scope === folderScope);
  }

  async approve(a: Approval): Promise<void> {
    await this.memento.update(StateKeys.approvals, withApproval(this.approvals(), a));
    this.log.info(`Workspace setting exchangeRemoting.${a.setting} = "${a.value}" allowed for ${a.scope}`);
    this.logged.clear();
    this.changed.fire();
  }

  async revoke(a: Pick<Approval, 'scope' | 'setting'> & { value?: string }): Promise<void> {
    await this.memento.update(StateKeys.approvals, withoutApproval(this.approvals(), a));
    this.log.info(`Approval of workspace setting exchangeRemoting.${a.setting}${a.value !== undefined ? ` = "${a.value}"` : ''} revoked for ${a.scope}`);
    this.logged.clear();
    this.changed.fire();
  }

  private logOnce(setting: GuardedSetting, d: Decision): void {
    const key = JSON.stringify([setting, d]);
    if (this.logged.has(key)) return;
    this.logged.add(key);
    if (d.kind === 'needs-approval') this.log.warn(`Workspace setting exchangeRemoting.${setting} = "${d.approval.value}" is not used until you allow it (Allow Workspace Settings…)`);
    else if (d.kind === 'invalid') this.log.warn(d.message);
    else if (d.ignored) this.log.info(`Workspace setting exchangeRemoting.${setting} = "${d.ignored.value}" ignored in Restricted Mode; using the ${d.source} value`);
    else if (d.source === 'workspace' || d.source === 'workspaceFolder') this.log.info(`Using the approved workspace setting exchangeRemoting.${setting} = "${d.value}"`);
  }

  dispose(): void {
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

export const modalApprovalConfirm: ApprovalConfirm = async (a) => {
  const allow = vscode.l10n.t('Allow');
  const what = a.setting === 'powershell.executable'
    ? vscode.l10n.t('It chooses the program that runs the checks and receives the stored credential.')
    : vscode.l10n.t('It chooses where the stored administrator credential is sent (the directory check).');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Allow this workspace to set exchangeRemoting.{0} to "{1}"?', a.setting, a.value),
    { modal: true, detail: `${what} ${vscode.l10n.t('Allow it only if you trust who wrote this workspace\'s settings. You can revoke it with "Revoke Allowed Workspace Settings…".')}` },
    allow,
  );
  return answer === allow;
};

/** Approve (one pending value, or each picked one) and revoke, as commands. */
export function registerApprovalCommands(approvals: WorkspaceApprovals): vscode.Disposable {
  const label = (a: Approval): vscode.QuickPickItem & { approval: Approval } => ({ label: `exchangeRemoting.${a.setting}`, description: a.value, approval: a });
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.approveWorkspaceSettings, async (arg?: { setting?: unknown; value?: unknown }): Promise<Approval[]> => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Workspace settings that run a program or receive the credential are never used in Restricted Mode. Trust the workspace first.'));
        return [];
      }
      const pending = approvals.pending();
      let chosen: Approval[];
      if (arg && typeof arg === 'object') {
        chosen = pending.filter((p) => p.setting === arg.setting && (arg.value === undefined || p.value === arg.value));
      } else if (pending.length <= 1) {
        chosen = pending;
      } else {
        const picked = await vscode.window.showQuickPick(pending.map(label), { canPickMany: true, placeHolder: vscode.l10n.t('Which workspace values may be used?') });
        chosen = picked?.map((p) => p.approval) ?? [];
      }
      if (!pending.length) void vscode.window.showInformationMessage(vscode.l10n.t('No workspace setting is waiting for approval.'));
      const done: Approval[] = [];
      for (const a of chosen) {
        if (await approvals.confirm(a)) {
          await approvals.approve(a);
          done.push(a);
        }
      }
      return done;
    }),
    vscode.commands.registerCommand(Commands.revokeWorkspaceApprovals, async (arg?: 'all' | { setting?: unknown }): Promise<number> => {
      const here = approvals.approvedHere();
      if (!here.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No workspace setting is allowed for this workspace.'));
        return 0;
      }
      let chosen: Approval[];
      if (arg === 'all') chosen = here;
      else if (arg && typeof arg === 'object') chosen = here.filter((a) => a.setting === arg.setting);
      else chosen = (await vscode.window.showQuickPick(here.map(label), { canPickMany: true, placeHolder: vscode.l10n.t('Revoke which allowed workspace values?') }))?.map((p) => p.approval) ?? [];
      for (const a of chosen) await approvals.revoke(a);
      return chosen.length;
    }),
  );
}
