// What a run leaves behind besides its results: one history entry per server (changes, drift) and the transcript of
// every PowerShell round trip (output, errors, warnings, duration, target). Pure; the stores are injected.
import type { StepResult } from '../checks/types';
import type { RunTarget, ServerRunResult } from '../powershell/runner';
import type { ServerConfig } from '../servers/server';
import type { History, RunKind, StepChange } from '../state/history';
import type { ResultStore, StoredResult } from '../state/resultStore';
import { splitWarnings, type TranscriptKind, type TranscriptStore } from '../state/transcripts';
import { describeTarget } from './plan';

export interface RunJob {
  readonly server: ServerConfig;
  readonly steps: readonly { readonly id: string }[];
}

/** Records, per server, the results this run produced (new objects in the store) and returns what changed. */
export async function recordRun(history: History, store: ResultStore, jobs: readonly RunJob[], before: ReadonlyMap<string, StoredResult | undefined>, kind: RunKind, now: Date): Promise<StepChange[]> {
  const changes: StepChange[] = [];
  for (const job of jobs) {
    const fresh = job.steps.map((s) => store.get(job.server.fqdn, s.id))
      .filter((r): r is StoredResult => !!r && r !== before.get(`${job.server.fqdn}\u0000${r.stepId}`));
    changes.push(...await history.record(job.server.fqdn, kind, now.toISOString(), fresh));
  }
  return changes;
}

/** One transcript per server of a round trip (a local batch: the one output, for each of its servers). */
export async function recordTranscripts(store: TranscriptStore, results: readonly ServerRunResult[], servers: readonly ServerConfig[], target: Exclude<RunTarget, { kind: 'exchange' }>, run: { kind: TranscriptKind; steps: readonly string[]; started: number }): Promise<void> {
  const durationMs = Date.now() - run.started;
  const first = servers[0] as ServerConfig;
  for (const r of results) {
    const names = target.kind === 'local' ? servers.map((s) => s.fqdn) : [r.server];
    const split = splitWarnings(r.output);
    const errors = [...(r.status === 'error' ? [r.error.message] : []), ...r.diagnostics.map((d) => d.message)];
    for (const name of names) {
      const server = servers.find((s) => s.fqdn === name) ?? first;
      await store.record({
        server: name, stepIds: run.steps, kind: run.kind, target: describeTarget(target, server),
        startedAt: new Date(run.started).toISOString(), durationMs, outcome: r.status === 'ok' ? 'ok' : r.error.kind,
        output: split.output, errors, warnings: split.warnings,
      });
    }
  }
}

/** A step decided here without PowerShell: its transcript is the decision and its evidence. */
export async function recordDirectTranscript(store: TranscriptStore, server: string, result: StepResult, started: number): Promise<void> {
  await store.record({
    server, stepIds: [result.stepId], kind: 'check', target: 'this machine (decided without PowerShell)',
    startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, outcome: result.status,
    output: [result.summary, result.reason, ...result.evidence.map((e) => `${e.label}: ${e.value}`)].join('\n'), errors: [], warnings: [],
  });
}
