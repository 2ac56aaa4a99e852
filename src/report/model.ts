// The checklist report as data: one entry per server and step, with evidence and timestamps. Pure.
import type { ServerConfig } from '../servers/server';
import { isStale, type StoredResult } from '../state/resultStore';
import { stepState, summarizeServer, type RowState } from '../state/rowState';
import { addCounts, countStates, EMPTY_COUNTS, type StateCounts } from '../state/counts';

/** Text in both languages of the report (the renderer picks one). */
export interface ReportText {
  readonly en: string;
  readonly de: string;
}

/** What the step's remediation does, for the change board. */
export interface ReportRemediation {
  readonly changes: ReportText;
  readonly restartsWinRM: boolean;
  readonly risk: string;
  readonly saferAlternative: ReportText;
}

export const REPORT_SCHEMA = 'exchange-remoting-setup.report/1';

export interface ReportStep {
  readonly id: string;
  readonly title: string;
  readonly state: RowState;
  readonly summary: string;
  readonly reason: string;
  readonly evidence: readonly { readonly label: string; readonly value: string }[];
  readonly code?: string;
  readonly checkedAt?: string;
  readonly stale: boolean;
  readonly manual?: { readonly by: string; readonly at: string };
  readonly policy?: string;
  readonly remediation?: ReportRemediation;
  /** https documentation of the step. */
  readonly docLink?: string;
}

export interface ReportServer {
  readonly fqdn: string;
  readonly profile: string;
  readonly connection: string;
  readonly serviceAccount?: string;
  readonly notes?: string;
  readonly state: RowState;
  readonly passed: number;
  readonly applicable: number;
  /** Steps per state: not checked, passed, failed, warned, could not check, not applicable. */
  readonly counts: StateCounts;
  readonly steps: readonly ReportStep[];
}

export interface Report {
  readonly schema: typeof REPORT_SCHEMA;
  readonly generatedAt: string;
  readonly generator: string;
  readonly staleAfterMinutes: number;
  /** Steps per state over all servers. */
  readonly totals: StateCounts;
  readonly servers: readonly ReportServer[];
}

export interface ReportInput {
  readonly servers: readonly ServerConfig[];
  readonly stepsFor: (server: ServerConfig) => readonly { readonly id: string; readonly title: string; readonly docLink?: string; readonly remediation?: ReportRemediation }[];
  readonly resultOf: (server: string, stepId: string) => StoredResult | undefined;
  readonly now: Date;
  readonly staleAfterMinutes: number;
  readonly generator: string;
}

export function buildReport(input: ReportInput): Report {
  const servers = input.servers.map((server): ReportServer => {
    const steps = input.stepsFor(server).map((step): ReportStep => {
      const r = input.resultOf(server.fqdn, step.id);
      return {
        id: step.id,
        title: step.title,
        state: stepState(r, false),
        summary: r?.summary ?? '',
        reason: r?.reason ?? '',
        evidence: r?.evidence ?? [],
        code: r?.code,
        checkedAt: r?.checkedAt,
        stale: !!r && isStale(r, input.now, input.staleAfterMinutes),
        manual: r?.manual,
        policy: r?.policy ? `${r.policy.policy}: ${r.policy.proposal}` : undefined,
        ...(step.remediation ? { remediation: step.remediation } : {}),
        ...(step.docLink ? { docLink: step.docLink } : {}),
      };
    });
    const summary = summarizeServer(steps.map((s) => s.state));
    return {
      fqdn: server.fqdn, profile: server.profile, connection: server.connection,
      serviceAccount: server.serviceAccount, notes: server.notes,
      state: summary.state, passed: summary.passed, applicable: summary.applicable, counts: countStates(steps.map((s) => s.state)), steps,
    };
  });
  const totals = servers.reduce((sum, s) => addCounts(sum, s.counts), EMPTY_COUNTS);
  return { schema: REPORT_SCHEMA, generatedAt: input.now.toISOString(), generator: input.generator, staleAfterMinutes: input.staleAfterMinutes, totals, servers };
}

/** Limits on a report read back: far above any real checklist, low enough that a hostile file cannot hurt. */
export const REPORT_LIMITS = {
  bytes: 64 * 1024 * 1024,
  servers: 5000,
  steps: 200,
  evidence: 500,
  text: 20_000,
  shortText: 1000,
} as const;

const ROW_STATES: readonly RowState[] = ['pass', 'warn', 'fail', 'error', 'notApplicable', 'unknown', 'running', 'confirmed'];

class ReportShapeError extends Error {}

function fail(path: string, what: string): never {
  throw new ReportShapeError(`The report is not valid: ${path} ${what}.`);
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'must be an object');
  return v as Record<string, unknown>;
}

function str(v: unknown, path: string, max: number = REPORT_LIMITS.text): string {
  if (typeof v !== 'string') fail(path, 'must be text');
  if (v.length > max) fail(path, `is longer than ${max} characters`);
  return v;
}

function optStr(v: unknown, path: string, max: number = REPORT_LIMITS.text): string | undefined {
  return v === undefined || v === null ? undefined : str(v, path, max);
}

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(path, `must be a whole number from ${min} to ${max}`);
  return v;
}

function list(v: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(v)) fail(path, 'must be a list');
  if (v.length > max) fail(path, `has ${v.length} entries; at most ${max} are accepted`);
  return v;
}

function state(v: unknown, path: string): RowState {
  if (typeof v !== 'string' || !(ROW_STATES as readonly string[]).includes(v)) fail(path, `must be one of ${ROW_STATES.join(', ')}`);
  return v as RowState;
}

function parseStep(v: unknown, path: string): ReportStep {
  const o = obj(v, path);
  const manual = o.manual === undefined || o.manual === null ? undefined : (() => {
    const m = obj(o.manual, `${path}.manual`);
    return { by: str(m.by, `${path}.manual.by`, REPORT_LIMITS.shortText), at: str(m.at, `${path}.manual.at`, REPORT_LIMITS.shortText) };
  })();
  if (o.stale !== undefined && typeof o.stale !== 'boolean') fail(`${path}.stale`, 'must be true or false');
  const code = optStr(o.code, `${path}.code`, REPORT_LIMITS.shortText);
  const checkedAt = optStr(o.checkedAt, `${path}.checkedAt`, REPORT_LIMITS.shortText);
  const policy = optStr(o.policy, `${path}.policy`);
  const docLink = optStr(o.docLink, `${path}.docLink`, REPORT_LIMITS.shortText);
  return {
    id: str(o.id, `${path}.id`, REPORT_LIMITS.shortText),
    title: str(o.title, `${path}.title`, REPORT_LIMITS.shortText),
    state: state(o.state, `${path}.state`),
    summary: str(o.summary ?? '', `${path}.summary`),
    reason: str(o.reason ?? '', `${path}.reason`),
    evidence: list(o.evidence ?? [], `${path}.evidence`, REPORT_LIMITS.evidence).map((e, i) => {
      const x = obj(e, `${path}.evidence[${i}]`);
      return { label: str(x.label, `${path}.evidence[${i}].label`, REPORT_LIMITS.shortText), value: str(x.value, `${path}.evidence[${i}].value`) };
    }),
    stale: o.stale === true,
    ...(code !== undefined ? { code } : {}),
    ...(checkedAt !== undefined ? { checkedAt } : {}),
    ...(manual ? { manual } : {}),
    ...(policy !== undefined ? { policy } : {}),
    ...(o.remediation !== undefined && o.remediation !== null ? { remediation: parseRemediation(o.remediation, `${path}.remediation`) } : {}),
    ...(docLink !== undefined ? { docLink } : {}),
  };
}

function parseText(v: unknown, path: string): ReportText {
  const o = obj(v, path);
  return { en: str(o.en, `${path}.en`), de: str(o.de, `${path}.de`) };
}

function parseRemediation(v: unknown, path: string): ReportRemediation {
  const o = obj(v, path);
  if (typeof o.restartsWinRM !== 'boolean') fail(`${path}.restartsWinRM`, 'must be true or false');
  return {
    changes: parseText(o.changes, `${path}.changes`), restartsWinRM: o.restartsWinRM,
    risk: str(o.risk, `${path}.risk`, REPORT_LIMITS.shortText), saferAlternative: parseText(o.saferAlternative, `${path}.saferAlternative`),
  };
}

function parseServerEntry(v: unknown, path: string): ReportServer {
  const o = obj(v, path);
  const steps = list(o.steps, `${path}.steps`, REPORT_LIMITS.steps).map((x, i) => parseStep(x, `${path}.steps[${i}]`));
  const serviceAccount = optStr(o.serviceAccount, `${path}.serviceAccount`, REPORT_LIMITS.shortText);
  const notes = optStr(o.notes, `${path}.notes`);
  const applicable = int(o.applicable, `${path}.applicable`, 0, REPORT_LIMITS.steps);
  return {
    fqdn: str(o.fqdn, `${path}.fqdn`, 253),
    profile: str(o.profile, `${path}.profile`, REPORT_LIMITS.shortText),
    connection: str(o.connection, `${path}.connection`, REPORT_LIMITS.shortText),
    ...(serviceAccount !== undefined ? { serviceAccount } : {}),
    ...(notes !== undefined ? { notes } : {}),
    state: state(o.state, `${path}.state`),
    passed: int(o.passed, `${path}.passed`, 0, applicable),
    applicable,
    counts: countStates(steps.map((s) => s.state)),
    steps,
  };
}

/**
 * Reads a JSON report back (CLI conversion) and validates every field strictly (types, states, sizes); throws an
 * Error whose message names the first bad field. The result is built afresh from the checked values only.
 */
export function parseReport(text: string): Report {
  if (text.length > REPORT_LIMITS.bytes) throw new Error(`The report is larger than ${REPORT_LIMITS.bytes / 1024 / 1024} MB.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`The report is not JSON: ${(err as Error).message}`);
  }
  const r = data as Partial<Record<keyof Report, unknown>> | null;
  if (!r || typeof r !== 'object' || r.schema !== REPORT_SCHEMA || !Array.isArray(r.servers)) throw new Error(`The file is not an ${REPORT_SCHEMA} report.`);
  try {
    return {
      schema: REPORT_SCHEMA,
      generatedAt: str(r.generatedAt, 'generatedAt', REPORT_LIMITS.shortText),
      generator: str(r.generator, 'generator', REPORT_LIMITS.shortText),
      staleAfterMinutes: int(r.staleAfterMinutes, 'staleAfterMinutes', 0, 10_000_000),
      ...withTotals(list(r.servers, 'servers', REPORT_LIMITS.servers).map((x, i) => parseServerEntry(x, `servers[${i}]`))),
    };
  } catch (err) {
    if (err instanceof ReportShapeError) throw new Error(err.message);
    throw err;
  }
}

/** The per-state totals are counted afresh from the checked steps, never taken from the file. */
function withTotals(servers: ReportServer[]): { servers: ReportServer[]; totals: StateCounts } {
  return { servers, totals: servers.reduce((sum, s) => addCounts(sum, s.counts), EMPTY_COUNTS) };
}
