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
    return rec;
  } catch {
    return { id: '', message: json };
  }
}

/** Parses the wrapper's lines of run `runToken` out of everything the process printed (other lines are ignored). */
export function parseRunOutput(stdout: string, runToken: string): ParsedRunOutput {
  const token = checkToken(runToken);
  const re = new RegExp(`^##ERS-(OUT|OBJ|ERR|FATAL|DONE):${token}(?::([A-Za-z0-9+/=]*):([A-Za-z0-9+/=]*))?\\s*$`);
  const parsed: { -readonly [K in keyof ParsedRunOutput]: ParsedRunOutput[K] } = {
    outputs: new Map(), objects: new Map(), errors: new Map(), unattributed: [], done: false,
  };
  for (const line of stdout.split(/\r?\n/)) {
    const m = re.exec(line);
    if (!m) continue;
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

/** Decides the error kind from stable identifiers (error id, HRESULT, WinRM code), never from English text. */
export function classifyError(rec: ErrorRecordInfo, fallback: RunErrorKind = 'script-error'): RunError {
  const id = rec.id;
  const codeHex = hexCode(rec.code);
  const recHresult = rec.hresult ? toHresult(rec.hresult) ?? rec.hresult : undefined;
  const kindOf = (rule: { readonly kind: ErrorKind } | undefined): RunErrorKind | undefined => (rule ? RUN_KIND[rule.kind] : undefined);
  let kind: RunErrorKind | undefined;
  for (const part of id.split(',')) kind ??= kindOf(errorIdRule(part.trim()));
  kind ??= kindOf(codeHex ? HRESULTS[codeHex] : undefined) ?? kindOf(recHresult ? HRESULTS[recHresult] : undefined);
  if (!kind && SESSION_FAILURE_IDS.some((s) => id.includes(s))) kind = 'unreachable';
  const err: { -readonly [K in keyof RunError]: RunError[K] } = { kind: kind ?? fallback, message: rec.message };
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
}

/** One result per requested server, in request order. */
export function assembleResults(servers: readonly string[], parsed: ParsedRunOutput, o: AssembleOptions): ServerRunResult[] {
  return servers.map((server): ServerRunResult => {
    const key = server.toLowerCase();
    const lines = parsed.outputs.get(key) ?? [];
    const output = lines.join('\n');
    const records = parsed.errors.get(key) ?? [];
    const diagnostics = records.map(diag);
    const fail = (error: RunError): ServerRunResult => ({ server, status: 'error', output, error, diagnostics });

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
    if (records[0] && lines.length === 0) return fail(classifyError(records[0]));
    if (parsed.fatal) return fail(classifyError(parsed.fatal));
    if (o.stderr?.trim() && lines.length === 0) return fail({ kind: 'script-error', message: o.stderr.trim() });
    const base = { server, status: 'ok' as const, output, diagnostics };
    return o.exchange ? { ...base, result: parsed.objects.get(key) ?? [] } : base;
  });
}
