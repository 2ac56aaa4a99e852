// The checklist report as data: one entry per server and step, with evidence and timestamps. Pure.
import type { ServerConfig } from '../servers/server';
import { isStale, type StoredResult } from '../state/resultStore';
import { stepState, summarizeServer, type RowState } from '../state/rowState';

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
  readonly steps: readonly ReportStep[];
}

export interface Report {
  readonly schema: typeof REPORT_SCHEMA;
  readonly generatedAt: string;
  readonly generator: string;
  readonly staleAfterMinutes: number;
  readonly servers: readonly ReportServer[];
}

export interface ReportInput {
  readonly servers: readonly ServerConfig[];
  readonly stepsFor: (server: ServerConfig) => readonly { readonly id: string; readonly title: string }[];
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
      };
    });
    const summary = summarizeServer(steps.map((s) => s.state));
    return {
      fqdn: server.fqdn, profile: server.profile, connection: server.connection,
      serviceAccount: server.serviceAccount, notes: server.notes,
      state: summary.state, passed: summary.passed, applicable: summary.applicable, steps,
    };
  });
  return { schema: REPORT_SCHEMA, generatedAt: input.now.toISOString(), generator: input.generator, staleAfterMinutes: input.staleAfterMinutes, servers };
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
