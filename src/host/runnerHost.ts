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

  run(request: RunRequest): Promise<RunOutcome> {
    return this.runner().run(request);
  }

  private async reset(): Promise<void> {
    const old = this.current;
    this.current = undefined;
    await old?.dispose();
  }

  async dispose(): Promise<void> {
    this.watch.dispose();
    await this.reset();
  }
}
