// Owns the one long-lived PowerShell runner of the extension: created on first use with the configured
// executable, replaced when that setting (or its approval) changes, disposed with the extension.
// The gate for the stored credential on the VS Code side: in Restricted Mode no run that uses it starts, and a
// workspace executable runs only after the user approved that exact value (src/approval).
import * as vscode from 'vscode';
import { readExecutable } from '../config';
import type { WorkspaceApprovals } from './workspaceApprovals';
import type { Logger } from '../log';
import type { CredentialSource } from '../powershell/credentials';
import { NodePowerShellRunner } from '../powershell/nodePowerShellRunner';
import { LOCALHOST, type PowerShellRunner, type RunOutcome, type RunRequest } from '../powershell/runner';

export class RunnerHost implements PowerShellRunner, vscode.Disposable {
  private current: NodePowerShellRunner | undefined;
  private currentExe: string | undefined;
  private readonly watch: vscode.Disposable;

  constructor(private readonly credentials: CredentialSource, private readonly log: Logger, private readonly approvals: WorkspaceApprovals) {
    this.watch = approvals.onDidChange(() => {
      let exe: string | undefined;
      try {
        exe = readExecutable(this.approvals);
      } catch {
        exe = undefined;
      }
      if (exe !== this.currentExe) void this.reset();
    });
  }

  /** Throws SettingNotUsableError (before anything starts) when the executable comes from an unapproved workspace value. */
  private runner(): NodePowerShellRunner {
    const exe = readExecutable(this.approvals);
    if (this.current && exe !== this.currentExe) void this.reset();
    if (!this.current) {
      this.current = new NodePowerShellRunner({ executable: exe === 'auto' ? undefined : exe, credentials: this.credentials, logger: this.log });
      this.currentExe = exe;
      this.log.info(`PowerShell runner uses ${this.current.executable}`);
    }
    return this.current;
  }

  /** Why no PowerShell can run here right now (the configured executable is missing), or undefined. */
  unavailableReason(): string | undefined {
    // Asked for every unchecked row on each repaint: one PATH lookup per few seconds is enough.
    const now = Date.now();
    if (!this.availability || now - this.availability.at > 5000) {
      // An unusable or not yet allowed executable setting is the reason itself (the row says it), never a throw
      // from inside the tree's repaint.
      let reason: string | undefined;
      try { reason = this.runner().unavailableReason(); } catch (err) { reason = err instanceof Error ? err.message : String(err); }
      this.availability = { at: now, reason };
    }
    return this.availability.reason;
  }
  private availability: { at: number; reason: string | undefined } | undefined;

  run(request: RunRequest): Promise<RunOutcome> {
    if (request.credential !== undefined && !vscode.workspace.isTrusted) {
      const message = vscode.l10n.t('Nothing that uses the stored credential runs in Restricted Mode. Trust this workspace (Manage Workspace Trust) to run this check.');
      this.log.warn(`A run with the ${request.credential} credential was refused: the workspace is in Restricted Mode`);
      const servers = request.target.kind === 'local' ? [LOCALHOST] : request.servers;
      return Promise.resolve({ results: servers.map((server) => ({ server, status: 'error' as const, output: '', error: { kind: 'no-credential' as const, message }, diagnostics: [] })), invocations: 0, elapsedMs: 0 });
    }
    return this.runner().run(request);
  }

  private async reset(): Promise<void> {
    this.availability = undefined;
    const old = this.current;
    this.current = undefined;
    this.currentExe = undefined;
    await old?.dispose();
  }

  async dispose(): Promise<void> {
    this.watch.dispose();
    await this.reset();
  }
}
