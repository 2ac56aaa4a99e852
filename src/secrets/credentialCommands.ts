// Commands to store and forget the credentials checks run with (admin and service account kept apart).
import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { Logger } from '../log';
import { CREDENTIAL_KINDS, type CredentialKind } from '../powershell/credentials';
import { validateAccount } from '../servers/validation';
import { validationMessage } from '../tree/serverCommands';
import type { SecretCredentialSource } from './secretCredentialSource';

function kindLabel(kind: CredentialKind): string {
  return kind === 'admin'
    ? vscode.l10n.t('Administrator (changes servers: remediations, most checks)')
    : vscode.l10n.t('Service account (proves the sync account itself may connect)');
}

export function registerCredentialCommands(source: SecretCredentialSource, log: Logger, onChange?: () => void): vscode.Disposable {
  return vscode.Disposable.from(
    // View-title actions receive the focused row: only a credential kind counts as an argument.
    vscode.commands.registerCommand(Commands.setCredential, async (arg?: unknown) => {
      const kindArg = (CREDENTIAL_KINDS as readonly unknown[]).includes(arg) ? arg as CredentialKind : undefined;
      const kind = kindArg ?? (await vscode.window.showQuickPick(CREDENTIAL_KINDS.map((k) => ({ label: kindLabel(k), credentialKind: k })), { placeHolder: vscode.l10n.t('Which credential?') }))?.credentialKind;
      if (!kind) return;
      const userName = await vscode.window.showInputBox({
        title: kindLabel(kind), prompt: vscode.l10n.t('User name (DOMAIN\\user or user@domain)'), ignoreFocusOut: true,
        validateInput: (v) => validationMessage(() => validateAccount(v)),
      });
      if (userName === undefined) return;
      const password = await vscode.window.showInputBox({ title: kindLabel(kind), prompt: vscode.l10n.t('Password (kept in VS Code\'s secret storage, never in settings or logs)'), password: true, ignoreFocusOut: true });
      if (password === undefined) return;
      await source.set(kind, { userName: validateAccount(userName), password });
      log.info(`Stored the ${kind} credential for ${validateAccount(userName)}`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Credential for {0} stored.', validateAccount(userName)));
      onChange?.();
    }),
    vscode.commands.registerCommand(Commands.forgetCredentials, async (arg?: unknown) => {
      let kind = arg === 'all' || (CREDENTIAL_KINDS as readonly unknown[]).includes(arg) ? arg as CredentialKind | 'all' : undefined;
      if (!kind) {
        const stored = await source.stored();
        if (!stored.length) {
          void vscode.window.showInformationMessage(vscode.l10n.t('No credentials are stored.'));
          return;
        }
        const items = [...stored.map((s) => ({ label: s.userName, description: kindLabel(s.kind), credentialKind: s.kind as CredentialKind | 'all' })), { label: vscode.l10n.t('All'), description: '', credentialKind: 'all' as const }];
        kind = (await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Forget which credential?') }))?.credentialKind;
      }
      if (!kind) return;
      await source.forget(kind);
      log.info(`Forgot the ${kind} credential(s)`);
      onChange?.();
    }),
  );
}
