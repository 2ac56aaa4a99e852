// Where the runner gets a credential from. The extension's implementation sits on VS Code's SecretStorage
// (written with the sidebar); tests and the CLI use the in-memory one below. Pure: no vscode import.
//
// Two kinds are kept apart on purpose: the administrator who changes servers, and the service account the
// sync product uses (checks that prove "the service account may connect" must run as that account).

export const CREDENTIAL_KINDS = ['admin', 'service'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export interface Credential {
  /** `DOMAIN\user` or `user@domain.tld`. */
  readonly userName: string;
  /** Plain text only inside this process; never logged, never in argv or script text. */
  readonly password: string;
}

export interface CredentialSource {
  /**
   * The credential of `kind`, optionally for one server (a source may hold per-server accounts and fall back
   * to a default). Resolves to undefined when none is stored; the runner then reports a clear error per server.
   */
  get(kind: CredentialKind, server?: string): Promise<Credential | undefined>;
}

/** For tests and the command line: credentials held in a Map, keyed by kind and optionally by server. */
export class InMemoryCredentialSource implements CredentialSource {
  private readonly entries = new Map<string, Credential>();

  constructor(initial?: Partial<Record<CredentialKind, Credential>>) {
    for (const kind of CREDENTIAL_KINDS) {
      const c = initial?.[kind];
      if (c) this.set(kind, c);
    }
  }

  set(kind: CredentialKind, credential: Credential, server?: string): void {
    this.entries.set(key(kind, server), { userName: credential.userName, password: credential.password });
  }

  delete(kind: CredentialKind, server?: string): void {
    this.entries.delete(key(kind, server));
  }

  async get(kind: CredentialKind, server?: string): Promise<Credential | undefined> {
    return (server !== undefined ? this.entries.get(key(kind, server)) : undefined) ?? this.entries.get(key(kind));
  }
}

function key(kind: CredentialKind, server?: string): string {
  return server === undefined ? kind : `${kind}\u0000${server.toLowerCase()}`;
}

/** A credential shown in a message or log: the user name only. */
export function describeCredential(c: Credential | undefined): string {
  return c ? c.userName : '(none)';
}
