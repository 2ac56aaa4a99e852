// Credentials in VS Code's SecretStorage (the OS keychain on desktop), admin and service account kept apart.
// Nothing here logs, and nothing leaves this process except through the runner's stdin.
import type * as vscode from 'vscode';
import { CREDENTIAL_KINDS, type Credential, type CredentialKind, type CredentialSource } from '../powershell/credentials';
import { SecretKeys } from '../ids';

export class SecretCredentialSource implements CredentialSource {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(kind: CredentialKind): Promise<Credential | undefined> {
    const raw = await this.secrets.get(SecretKeys.credential(kind));
    if (!raw) return undefined;
    try {
      const c = JSON.parse(raw) as Partial<Credential>;
      return typeof c.userName === 'string' && typeof c.password === 'string' ? { userName: c.userName, password: c.password } : undefined;
    } catch {
      return undefined;
    }
  }

  async set(kind: CredentialKind, credential: Credential): Promise<void> {
    await this.secrets.store(SecretKeys.credential(kind), JSON.stringify({ userName: credential.userName, password: credential.password }));
  }

  async forget(kind: CredentialKind | 'all'): Promise<void> {
    for (const k of kind === 'all' ? CREDENTIAL_KINDS : [kind]) await this.secrets.delete(SecretKeys.credential(k));
  }

  /** Which kinds are stored, with user names only (for the UI). */
  async stored(): Promise<{ kind: CredentialKind; userName: string }[]> {
    const out: { kind: CredentialKind; userName: string }[] = [];
    for (const kind of CREDENTIAL_KINDS) {
      const c = await this.get(kind);
      if (c) out.push({ kind, userName: c.userName });
    }
    return out;
  }
}
