// The seam between checks and PowerShell: one small interface, one real implementation
// (nodePowerShellRunner.ts, the only importer of node-powershell) and fakes in tests. Pure types plus the
// error vocabulary; no process is started from here.
import type { CredentialKind } from './credentials';
import type { CheckErrorInfo, CheckOutcome } from '../checks/types';

/** How the servers are reached. */
export type RunTarget =
  /** This machine, no remoting. */
  | { readonly kind: 'local' }
  /** WinRM over HTTPS (`Invoke-Command -UseSSL`), port 5986 unless given. */
  | { readonly kind: 'https'; readonly port?: number }
  /** WinRM over HTTP with Kerberos (bootstrap, before the HTTPS listener exists), port 5985 unless given. */
  | { readonly kind: 'http-kerberos'; readonly port?: number }
  /**
   * PowerShell 7 remoting over SSH (`Invoke-Command -HostName … -SSHTransport`, Windows Server 2019 and later through
   * OpenSSH), port 22 unless given. Key authentication only (`BatchMode=yes`: never a password prompt), and the host key
   * must already be known (`StrictHostKeyChecking=yes`).
   */
  | { readonly kind: 'ssh'; readonly port?: number; readonly user?: string; readonly keyFile?: string; readonly knownHostsFile?: string }
  /**
   * Exchange's own endpoint (`-ConfigurationName Microsoft.Exchange`, `http://<fqdn>/PowerShell/`, Kerberos).
   * It runs in no-language mode: only a single cmdlet with literal arguments is sent; JSON is built on the client.
   */
  | { readonly kind: 'exchange'; readonly scheme?: 'http' | 'https' };

/** A single Exchange cmdlet for the no-language endpoint. */
export interface ExchangeCommand {
  /** Verb-Noun, e.g. Get-ExchangeServer. */
  readonly cmdlet: string;
  /** Literal parameter values; `true` alone means a switch. */
  readonly parameters?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  /** Properties projected into the JSON (client side). All properties when omitted. */
  readonly properties?: readonly string[];
}

interface RunRequestBase {
  /** FQDNs. Ignored for the local target (its one result is reported as `localhost`). */
  readonly servers: readonly string[];
  /** Which stored credential to pass as -Credential; none means the current Windows identity (Kerberos). */
  readonly credential?: CredentialKind;
  /** Invoke-Command -ThrottleLimit (default 32). */
  readonly throttleLimit?: number;
  /** Whole call, all servers together (default 120 s). On expiry unfinished servers get `timeout`. */
  readonly timeoutMs?: number;
  /** Connection open timeout per server (WinRM: New-PSSessionOption -OpenTimeout; SSH: ConnectTimeout), default 30 s. */
  readonly connectTimeoutMs?: number;
  /** ssh target: the address to connect to instead of resolving a server's name (keyed by FQDN, any case). */
  readonly connectTo?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export interface ScriptRunRequest extends RunRequestBase {
  readonly target: Exclude<RunTarget, { kind: 'exchange' }>;
  /**
   * The check or remediation script as rendered by the catalog (multi-line is fine; it is sent as one line), or a
   * function giving each server its own script (catalog scripts embed the server's inputs). Either way the whole
   * fan-out is ONE PowerShell round trip.
   */
  readonly script: string | ((server: string) => string);
  /** When set, each server's output must hold one JSON document between the markers of this token. */
  readonly resultToken?: string;
}

export interface ExchangeRunRequest extends RunRequestBase {
  readonly target: Extract<RunTarget, { kind: 'exchange' }>;
  readonly command: ExchangeCommand;
}

export type RunRequest = ScriptRunRequest | ExchangeRunRequest;

export const RUN_ERROR_KINDS = [
  /** WinRM refused the credential or the account lacks rights (AccessDenied, 0x80070005). */
  'access-denied',
  /** Could not connect: name, network, firewall, WinRM not listening (0x80338012, 0x80338126…). */
  'unreachable',
  /** Kerberos / TLS trust problems (0x8009030e, 0x80090322, ServerNotTrusted, 0x8033809d…). */
  'authentication',
  /** The script ran and raised errors but produced no result. */
  'script-error',
  /** The script ran but its output had no (valid) result between the markers. */
  'no-result',
  /** The call exceeded its time limit. */
  'timeout',
  /** The caller aborted the call. */
  'cancelled',
  /** The PowerShell process exited during the call. */
  'crashed',
  /** No credential of the requested kind is stored. */
  'no-credential',
  /** WinRM remoting asked of PowerShell on Linux/macOS, which has no WS-Man client. */
  'needs-windows',
  /** SSH: the server refused the key (or the user). */
  'ssh-auth',
  /** SSH: the server's host key is not known (or changed); it is never accepted silently. */
  'ssh-host-key',
] as const;
export type RunErrorKind = (typeof RUN_ERROR_KINDS)[number];

export interface RunError {
  readonly kind: RunErrorKind;
  /** Shown to the user as is. */
  readonly message: string;
  /** FullyQualifiedErrorId when PowerShell reported one (stable across UI languages). */
  readonly errorId?: string;
  /** HRESULT / WinRM error code as 0x-prefixed lowercase hex when known. */
  readonly hresult?: string;
}

/** A non-fatal error record a server produced next to a valid result. */
export interface RunDiagnostic {
  readonly message: string;
  readonly errorId?: string;
  readonly hresult?: string;
}

export type ServerRunResult =
  | {
    readonly server: string;
    readonly status: 'ok';
    /** Everything the server wrote (objects rendered as text), in order. */
    readonly output: string;
    /** Parsed JSON: the marked document of a script run, or the array of projected objects of an Exchange cmdlet. */
    readonly result?: unknown;
    readonly diagnostics: readonly RunDiagnostic[];
  }
  | {
    readonly server: string;
    readonly status: 'error';
    readonly output: string;
    readonly error: RunError;
    readonly diagnostics: readonly RunDiagnostic[];
  };

export interface RunOutcome {
  /** One entry per requested server, in request order (one `localhost` entry for the local target). */
  readonly results: readonly ServerRunResult[];
  /** Number of PowerShell invocations this call used (1 for a fan-out, 2 with a credential). */
  readonly invocations: number;
  readonly elapsedMs: number;
}

export interface PowerShellRunner {
  /** Runs the request; never rejects for per-server problems (those are `error` results). */
  run(request: RunRequest): Promise<RunOutcome>;
  /** Stops the long-lived PowerShell process. */
  dispose(): Promise<void>;
}

/** Thrown by run() when PowerShell cannot be started at all; the message says what to install. */
export class PowerShellUnavailableError extends Error {
  constructor(message: string, readonly executable: string) {
    super(message);
    this.name = 'PowerShellUnavailableError';
  }
}

export const LOCALHOST = 'localhost';

/**
 * Hands one server's result to the catalog's evaluators: the marked JSON document, or the error with its stable
 * codes (FullyQualifiedErrorId, HRESULT) so the catalog classifies it without reading English text.
 */
export function toCheckOutcome(r: ServerRunResult): CheckOutcome {
  if (r.status === 'ok' && r.result !== undefined) return { kind: 'json', json: r.result };
  const error: RunError = r.status === 'error' ? r.error : { kind: 'no-result', message: `${r.server}: the run printed no result.` };
  const info: { -readonly [K in keyof CheckErrorInfo]: CheckErrorInfo[K] } = {
    message: error.message,
    source: error.kind === 'script-error' || error.kind === 'no-result' ? 'check' : `transport (${error.kind})`,
    hresults: error.hresult ? [error.hresult] : [],
  };
  if (error.errorId) info.fullyQualifiedErrorId = error.errorId;
  if (error.kind === 'needs-windows') info.onWindows = false;
  return { kind: 'error', error: info };
}
