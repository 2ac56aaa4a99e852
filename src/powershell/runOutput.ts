// Pure: reads the fan-out wrapper's output (remoteScript.ts) back into one result per requested server. Every line a
// server sent arrives base64-encoded and tagged with the run token, so only the wrapper's own lines count; errors are
// classified from stable codes (the one table in checks/errors), never from localized text.
import { HRESULTS, SESSION_FAILURE_IDS, errorIdRule, toHresult, type ErrorKind } from '../checks/errors';
import { extractResult } from '../pslang/resultMarkers';
import { checkToken } from './remoteScript';
import type { RunDiagnostic, RunError, RunErrorKind, ServerRunResult } from './runner';

export interface ErrorRecordInfo {
  readonly id: string;
  readonly category?: string;
  readonly code?: string;
  readonly hresult?: string;
  /** Full name of the exception type. */
  readonly type?: string;
  /** Whether the PowerShell that reported it runs on Windows (false: Linux/macOS; undefined: not said). */
  readonly windows?: boolean;
  readonly message: string;
}

export interface ParsedRunOutput {
  /** Keyed by lower-case server name. */
  readonly outputs: Map<string, string[]>;
  readonly objects: Map<string, unknown[]>;
  readonly errors: Map<string, ErrorRecordInfo[]>;
  /** Error records no server could be named for. */
  readonly unattributed: ErrorRecordInfo[];
  readonly fatal?: ErrorRecordInfo;
  /** The wrapper reached its `finally`. */
  readonly done: boolean;
  /** Lines that are not the wrapper's (what ssh or the host printed directly), terminal sequences removed; bounded. */
  readonly other: string[];
}

function b64(text: string): string {
  return Buffer.from(text, 'base64').toString('utf8');
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function toRecord(json: string): ErrorRecordInfo {
  try {
    const o = JSON.parse(json) as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
    const rec: { -readonly [K in keyof ErrorRecordInfo]: ErrorRecordInfo[K] } = { id: str(o.id) ?? '', message: str(o.message) ?? '(no message)' };
    const category = str(o.category); if (category) rec.category = category;
    const code = str(o.code); if (code) rec.code = code;
    const hresult = str(o.hresult); if (hresult) rec.hresult = hresult.toLowerCase();
    const type = str(o.type); if (type) rec.type = type;
    if (typeof o.windows === 'boolean') rec.windows = o.windows;
    return rec;
  } catch {
    return { id: '', message: json };
  }
}

/** Parses the wrapper's lines of run `runToken` out of everything the process printed (other lines are ignored). */
export function parseRunOutput(stdout: string, runToken: string): ParsedRunOutput {
  const token = checkToken(runToken);
  // Not anchored at column 0: whatever a terminal put in front of the line, the line is found by its prefix.
  const re = new RegExp(`##ERS-(OUT|OBJ|ERR|FATAL|DONE):${token}(?::([A-Za-z0-9+/=]*):([A-Za-z0-9+/=]*))?\\s*$`);
  const parsed: { -readonly [K in keyof ParsedRunOutput]: ParsedRunOutput[K] } = {
    outputs: new Map(), objects: new Map(), errors: new Map(), unattributed: [], done: false, other: [],
  };
  for (const line of stripTerminal(stdout).split(/\r?\n/)) {
    const m = re.exec(line);
    if (!m) {
      if (line.trim() && parsed.other.length < 200) parsed.other.push(line.trim().slice(0, 500));
      continue;
    }
    const kind = m[1];
    if (kind === 'DONE') { parsed.done = true; continue; }
    const server = b64(m[2] ?? '').trim().toLowerCase();
    const payload = b64(m[3] ?? '');
    if (kind === 'OUT') push(parsed.outputs, server, payload);
    else if (kind === 'OBJ') {
      push(parsed.outputs, server, payload);
      try { push(parsed.objects, server, JSON.parse(payload) as unknown); } catch { /* shown in output */ }
    } else if (kind === 'ERR') {
      const rec = toRecord(payload);
      const named = server || serverFromMessage(rec.message);
      if (named) push(parsed.errors, named, rec);
      else parsed.unattributed.push(rec);
    } else if (kind === 'FATAL') parsed.fatal = toRecord(payload);
  }
  return parsed;
}

// CSI (ESC [ … final), OSC (ESC ] … BEL / ST), other escapes (keypad modes ESC = / ESC >, charsets ESC ( B), 8-bit CSI.
// eslint-disable-next-line no-control-regex
const TERMINAL_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[ -/]*[0-~]|\u009b[0-?]*[ -/]*[@-~]/g;

/** The text without terminal control sequences (cursor keys mode, colours, titles). */
export function stripTerminal(text: string): string {
  return text.includes('\u001b') || text.includes('\u009b') ? text.replace(TERMINAL_SEQUENCE, '') : text;
}

/** Remoting errors start with "[server] …" in every UI language. */
function serverFromMessage(message: string): string | undefined {
  const m = /^\[([^\]\s]+)\]/.exec(message);
  return m ? m[1]?.toLowerCase() : undefined;
}

/** How the catalog's error kinds read at the transport level (the codes themselves live in one table, checks/errors). */
const RUN_KIND: Partial<Record<ErrorKind, RunErrorKind>> = {
  accessDenied: 'access-denied', notElevated: 'access-denied',
  notTrusted: 'authentication', spnMismatch: 'authentication', noDelegatedCredentials: 'authentication',
  noAuthority: 'authentication', logonFailure: 'authentication', certificateRequired: 'authentication',
  certificateUntrusted: 'authentication', certificateNameMismatch: 'authentication', certificateExpired: 'authentication',
  certificateRevocation: 'authentication',
  unreachable: 'unreachable', connectionRefused: 'unreachable', timeout: 'unreachable',
};

/** A transport error's code (a Win32 or WinRM number) as an HRESULT. */
function hexCode(code: string | undefined): string | undefined {
  if (code === undefined || !/^-?\d+$/.test(code)) return undefined;
  const n = Number(code);
  if (n === 5) return '0x80070005';
  if (n === 53) return '0x80338126';
  return toHresult(n);
}

/**
 * WinRM client remoting asked of a PowerShell that has none (Linux, macOS): the WS-Man client library is missing. (A
 * broken SSH session is PSSessionStateBroken with a PSRemotingTransportException, and is not this.)
 */
function winRmMissing(rec: ErrorRecordInfo): boolean {
  return rec.windows === false && (/PSRemotingDataStructureException|DllNotFoundException|WSMan/i.test(rec.id) || /DllNotFoundException$/.test(rec.type ?? ''));
}

export const NEEDS_WINDOWS_MESSAGE = 'WinRM remoting needs Windows PowerShell or PowerShell on Windows; this machine runs PowerShell on Linux or macOS, '
  + 'which has no WinRM (WS-Man) client. Give this server the "ssh" connection (PowerShell 7 over OpenSSH, Windows Server 2019 and later), '
  + 'or run VS Code on Windows.';

/** Decides the error kind from stable identifiers (error id, HRESULT, WinRM code), never from English text. */
export function classifyError(rec: ErrorRecordInfo, fallback: RunErrorKind = 'script-error'): RunError {
  const id = rec.id;
  const codeHex = hexCode(rec.code);
  const recHresult = rec.hresult ? toHresult(rec.hresult) ?? rec.hresult : undefined;
  const kindOf = (rule: { readonly kind: ErrorKind } | undefined): RunErrorKind | undefined => (rule ? RUN_KIND[rule.kind] : undefined);
  let kind: RunErrorKind | undefined;
  if (winRmMissing(rec)) kind = 'needs-windows';
  for (const part of id.split(',')) kind ??= kindOf(errorIdRule(part.trim()));
  kind ??= kindOf(codeHex ? HRESULTS[codeHex] : undefined) ?? kindOf(recHresult ? HRESULTS[recHresult] : undefined);
  if (!kind && SESSION_FAILURE_IDS.some((s) => id.includes(s))) kind = 'unreachable';
  const err: { -readonly [K in keyof RunError]: RunError[K] } = {
    kind: kind ?? fallback, message: kind === 'needs-windows' ? `${NEEDS_WINDOWS_MESSAGE} (${rec.message})` : rec.message,
  };
  if (id) err.errorId = id;
  const hr = codeHex ?? recHresult;
  if (hr) err.hresult = hr;
  return err;
}

function diag(rec: ErrorRecordInfo): RunDiagnostic {
  const d: { -readonly [K in keyof RunDiagnostic]: RunDiagnostic[K] } = { message: rec.message };
  if (rec.id) d.errorId = rec.id;
  const hr = hexCode(rec.code) ?? (rec.hresult ? toHresult(rec.hresult) ?? rec.hresult : undefined);
  if (hr) d.hresult = hr;
  return d;
}

export interface AssembleOptions {
  /** Marker token of a check script; when set a server is ok only with a valid marked JSON document. */
  readonly resultToken?: string;
  /** Exchange cmdlet run: the result is the array of projected objects. */
  readonly exchange?: boolean;
  /** Why servers without a complete answer stopped (timeout, cancel, crash); undefined when the run finished. */
  readonly interrupted?: RunError;
  /** Text the process wrote to stderr during the run (not attributable to a server). */
  readonly stderr?: string;
  /** ssh target: the address each server was connected at, and the port (to read ssh's own messages). */
  readonly ssh?: { readonly port: number; readonly addressOf: (server: string) => string };
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Why ssh could not open a session to `address`, from the messages OpenSSH itself printed (OpenSSH is not localized,
 * and pwsh passes them through before its generic "SSH transport process has abruptly terminated").
 */
export function sshFailure(server: string, address: string, port: number, lines: readonly string[]): RunError | undefined {
  const a = escapeRe(address);
  const where = `${server}${address.toLowerCase() !== server.toLowerCase() ? ` (${address})` : ''} port ${port}`;
  // The address as a whole word: 127.0.0.1 is not 127.0.0.10.
  const named = new RegExp(`(^|[^0-9A-Za-z.-])${a}($|[^0-9A-Za-z.-])`, 'i');
  const hostKey = new RegExp(`host key is known for (\\[${a}\\]:${port}|${a}) |Host key for (\\[${a}\\]:${port}|${a}) has changed|IDENTIFICATION HAS CHANGED`, 'i');
  for (const [i, line] of lines.entries()) {
    if (new RegExp(`^ssh: connect to host ${a} port \\d+: (.*)$`, 'i').test(line)) {
      const why = /: ([^:]+)$/.exec(line)?.[1] ?? 'no connection';
      return { kind: 'unreachable', message: `Nothing answered SSH at ${where} (${why}). Is the OpenSSH server running there (Windows Server 2019 and later: Add-WindowsCapability -Online -Name OpenSSH.Server~~~~0.0.1.0; Start-Service sshd), is the port open in its firewall, and are the port and connect-to address right?`, errorId: 'SshUnreachable' };
    }
    if (new RegExp(`^ssh: Could not resolve hostname ${a}`, 'i').test(line)) {
      return { kind: 'unreachable', message: `${server} does not resolve from this machine. Fix DNS, or give the server a connect-to address (its IP address).`, errorId: 'SshUnreachable' };
    }
    if (new RegExp(`@${a}: Permission denied`, 'i').test(line)) {
      return { kind: 'ssh-auth', message: `The SSH server at ${where} refused the login (${line.replace(/^.*Permission denied/i, 'permission denied').slice(0, 120)}). Add the public key of the configured key file to that account's authorized_keys (administrators on Windows: C:\\ProgramData\\ssh\\administrators_authorized_keys) and check the user name.`, errorId: 'SshAuthenticationRefused' };
    }
    if (hostKey.test(line) || (/^Host key verification failed\.?$/i.test(line) && lines.slice(Math.max(0, i - 3), i).some((l) => named.test(l)))) {
      return { kind: 'ssh-host-key', message: `The SSH host key of ${where} is not known on this machine (or it changed), and unknown keys are never accepted. Compare the server's fingerprint (on the server: ssh-keygen -lf C:\\ProgramData\\ssh\\ssh_host_ed25519_key.pub) with ssh-keyscan -p ${port} ${address}, then add it to known_hosts and check again.`, errorId: 'SshHostKeyUnknown' };
    }
  }
  if (lines.some((l) => /subsystem request failed/i.test(l))) {
    return { kind: 'unreachable', message: `The SSH server at ${where} has no "powershell" subsystem. Add "Subsystem powershell c:/progra~1/powershell/7/pwsh.exe -sshs -NoLogo" to sshd_config there and restart sshd.`, errorId: 'SshNoPowerShellSubsystem' };
  }
  return undefined;
}

/** One result per requested server, in request order. */
export function assembleResults(servers: readonly string[], parsed: ParsedRunOutput, o: AssembleOptions): ServerRunResult[] {
  return servers.map((server): ServerRunResult => {
    const key = server.toLowerCase();
    const lines = parsed.outputs.get(key) ?? [];
    const output = lines.join('\n');
    const records = parsed.errors.get(key) ?? [];
    const diagnostics = records.map(diag);
    const sshError = o.ssh && records[0] ? sshFailure(server, o.ssh.addressOf(server), o.ssh.port, parsed.other) : undefined;
    const fail = (error: RunError): ServerRunResult => ({ server, status: 'error', output, error: sshError && error.kind !== 'timeout' && error.kind !== 'cancelled' ? sshError : error, diagnostics });

    if (o.resultToken !== undefined) {
      const extracted = extractResult(output, o.resultToken);
      if (extracted.ok) return { server, status: 'ok', output, result: extracted.json, diagnostics };
      if (o.interrupted) return fail(o.interrupted);
      if (records[0]) return fail(classifyError(records[0]));
      if (parsed.fatal) return fail(classifyError(parsed.fatal));
      if (parsed.unattributed[0]) return fail(classifyError(parsed.unattributed[0]));
      if (o.stderr?.trim()) return fail({ kind: 'script-error', message: o.stderr.trim() });
      return fail({ kind: 'no-result', message: `${server}: ${extracted.detail}` });
    }
    const finished = parsed.done && !o.interrupted;
    if (!finished) {
      return fail(o.interrupted ?? { kind: 'crashed', message: 'PowerShell stopped before the run finished.' });
    }
    // Without a result marker, an error record means the run did not complete, even after some output.
    if (parsed.fatal) return fail(classifyError(parsed.fatal));
    if (records[0]) return fail(classifyError(records[0]));
    if (o.stderr?.trim()) return fail({ kind: 'script-error', message: o.stderr.trim() });
    const base = { server, status: 'ok' as const, output, diagnostics };
    return o.exchange ? { ...base, result: parsed.objects.get(key) ?? [] } : base;
  });
}
