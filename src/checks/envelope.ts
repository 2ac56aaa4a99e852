// The JSON envelope every check script prints, and the shared first half of every evaluator. Pure.
import { classifyError, type ErrorKind } from './errors';
import { bool, isObject, num, obj, str, strs, type JsonObject } from './json';
import type { StepId } from './status';
import type { CheckErrorInfo, CheckOutcome, EnvelopeMeta, Evidence, StepResult } from './types';

export const CHECK_SCHEMA = 'ers.check/1';
export const COMBINED_SCHEMA = 'ers.checks/1';

export type Opened =
  | { readonly ok: true; readonly data: JsonObject; readonly meta: EnvelopeMeta }
  | { readonly ok: false; readonly result: StepResult };

export function errorInfo(v: unknown): CheckErrorInfo {
  const o = obj(v);
  const native = num(o.nativeErrorCode);
  return {
    ...(str(o.fullyQualifiedErrorId) !== undefined ? { fullyQualifiedErrorId: str(o.fullyQualifiedErrorId) } : {}),
    ...(str(o.category) !== undefined ? { category: str(o.category) } : {}),
    ...(str(o.exceptionType) !== undefined ? { exceptionType: str(o.exceptionType) } : {}),
    hresults: strs(o.hresults),
    ...(native !== undefined ? { nativeErrorCode: native } : {}),
    ...(str(o.message) !== undefined ? { message: str(o.message) } : {}),
    ...(str(o.source) !== undefined ? { source: str(o.source) } : {}),
    ...(bool(o.windows) !== undefined ? { onWindows: bool(o.windows) } : {}),
  };
}

/** Each error class in words for the row (the code stays in the result's code and evidence). */
const KIND_WORDS: Readonly<Record<ErrorKind, string>> = {
  notElevated: 'needs elevation', accessDenied: 'access denied', unreachable: 'server not reachable', connectionRefused: 'connection refused',
  timeout: 'timed out', notTrusted: 'server not trusted', spnMismatch: 'Kerberos name (SPN) problem', noDelegatedCredentials: 'no delegated credentials (second hop)',
  noAuthority: 'no Kerberos authority reachable', logonFailure: 'wrong user name or password', certificateRequired: 'client certificate required',
  certificateUntrusted: 'certificate not trusted', certificateNameMismatch: 'certificate name mismatch', certificateExpired: 'certificate expired',
  certificateRevocation: 'certificate revocation check failed', policyOwned: 'owned by Group Policy', notFound: 'an object it needs does not exist',
  moduleMissing: 'a PowerShell module is missing', noLanguageMode: 'the endpoint allows no scripts', sharedSslConfig: 'shared TLS configuration problem',
  noResult: 'no result came back', needsWindows: 'needs Windows PowerShell or PowerShell on Windows', unknown: 'an error this tool does not recognise',
};

/** Builds the `error` result for a failed check. */
export function errorResult(stepId: StepId, error: CheckErrorInfo, what = 'The check could not run'): StepResult {
  const c = classifyError(error);
  const evidence: Evidence[] = [{ label: 'Code', value: c.code }];
  if (error.fullyQualifiedErrorId) evidence.push({ label: 'FullyQualifiedErrorId', value: error.fullyQualifiedErrorId });
  if (error.source) evidence.push({ label: 'Failed at', value: error.source });
  if (error.message) evidence.push({ label: 'Message', value: firstLine(error.message, 300) });
  return {
    stepId,
    status: 'error',
    summary: `${what}: ${KIND_WORDS[c.kind]}`,
    evidence,
    reason: c.hint + (c.relatedStep && c.relatedStep !== stepId ? ` See step "${c.relatedStep}".` : ''),
    code: c.code,
  };
}

/** Validates the envelope; any failure becomes an `error` result, never a pass. */
export function openEnvelope(stepId: StepId, outcome: CheckOutcome, needsElevation: boolean): Opened {
  if (outcome.kind === 'error') return { ok: false, result: errorResult(stepId, outcome.error) };
  const j = outcome.json;
  if (!isObject(j) || j.schema !== CHECK_SCHEMA) {
    return { ok: false, result: { stepId, status: 'error', summary: 'Unreadable check output', evidence: [], reason: `The output is not a ${CHECK_SCHEMA} document.`, code: 'bad-output' } };
  }
  if (str(j.step) !== undefined && j.step !== stepId) {
    return { ok: false, result: { stepId, status: 'error', summary: 'Output of another step', evidence: [{ label: 'Step in output', value: String(j.step) }], reason: 'The output belongs to a different step.', code: 'bad-output' } };
  }
  const meta: EnvelopeMeta = {
    ...(str(j.psVersion) !== undefined ? { psVersion: str(j.psVersion) } : {}),
    ...(str(j.computer) !== undefined ? { computer: str(j.computer) } : {}),
    ...(bool(j.elevated) !== undefined ? { elevated: bool(j.elevated) } : {}),
    ...(str(j.generatedAt) !== undefined ? { generatedAt: str(j.generatedAt) } : {}),
  };
  if (bool(j.ok) !== true) {
    const info = errorInfo(j.error);
    const res = errorResult(stepId, info);
    if (needsElevation && meta.elevated === false) {
      return { ok: false, result: { ...res, summary: `Needs elevation: ${res.summary}`, reason: `The check ran without elevation. Run it from an elevated Windows PowerShell ("Run as administrator") or through an administrator's remote session. ${res.reason}` } };
    }
    return { ok: false, result: res };
  }
  if (!isObject(j.data)) {
    return { ok: false, result: { stepId, status: 'error', summary: 'Check returned no data', evidence: [], reason: 'The check reported success but returned no data.', code: 'bad-output' } };
  }
  return { ok: true, data: j.data, meta };
}

export function firstLine(text: string, max = 160): string {
  // eslint-disable-next-line no-control-regex
  const line = (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** A failed part inside an otherwise successful check ({ partError: {...} }), or undefined. */
export function partError(data: JsonObject, key: string): CheckErrorInfo | undefined {
  const v = data[key];
  return isObject(v) ? errorInfo(v) : undefined;
}

export function result(stepId: StepId, r: Omit<StepResult, 'stepId'>): StepResult {
  return { stepId, ...r };
}
