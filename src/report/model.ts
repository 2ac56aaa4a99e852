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

/** Reads a JSON report back (CLI conversion); throws with a clear message when it is not one. */
export function parseReport(text: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`The report is not JSON: ${(err as Error).message}`);
  }
  const r = data as Partial<Report> | null;
  if (!r || r.schema !== REPORT_SCHEMA || !Array.isArray(r.servers)) throw new Error(`The file is not an ${REPORT_SCHEMA} report.`);
  return r as Report;
}
