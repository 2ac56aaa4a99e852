// Owns the one long-lived PowerShell runner of the extension: created on first use with the configured
// executable, replaced when that setting changes, disposed with the extension.
import * as vscode from 'vscode';
import { readRunSettings } from '../config';
import { Settings } from '../ids';
import type { Logger } from '../log';
import type { CredentialSource } from '../powershell/credentials';
import { NodePowerShellRunner } from '../powershell/nodePowerShellRunner';
import type { PowerShellRunner, RunOutcome, RunRequest } from '../powershell/runner';

export class RunnerHost implements PowerShellRunner, vscode.Disposable {
  private current: NodePowerShellRunner | undefined;
  private readonly watch: vscode.Disposable;

  constructor(private readonly credentials: CredentialSource, private readonly log: Logger) {
    this.watch = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${Settings.section}.${Settings.powershellExecutable}`)) void this.reset();
    });
  }

  private runner(): NodePowerShellRunner {
    if (!this.current) {
      const exe = readRunSettings().executable;
      this.current = new NodePowerShellRunner({ executable: exe === 'auto' ? undefined : exe, credentials: this.credentials, logger: this.log });
      this.log.info(`PowerShell runner uses ${this.current.executable}`);
    }
    return this.current;
  }

  /** Why no PowerShell can run here right now (the configured executable is missing), or undefined. */
  unavailableReason(): string | undefined {
    // Asked for every unchecked row on each repaint: one PATH lookup per few seconds is enough.
    const now = Date.now();
    if (!this.availability || now - this.availability.at > 5000) this.availability = { at: now, reason: this.runner().unavailableReason() };
    return this.availability.reason;
  }
  private availability: { at: number; reason: string | undefined } | undefined;

  run(request: RunRequest): Promise<RunOutcome> {
    return this.runner().run(request);
  }

  private async reset(): Promise<void> {
    this.availability = undefined;
    const old = this.current;
    this.current = undefined;
    await old?.dispose();
  }

  async dispose(): Promise<void> {
    this.watch.dispose();
    await this.reset();
  }
}
