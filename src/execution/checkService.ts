// Runs checks and remediations for configured servers through the PowerShell runner, turns the output into
// results with the catalog's evaluators, and records them in the result store. No vscode: effects arrive as
// interfaces (runner, store, clock, logger), so the whole flow is tested with a fake runner. Its types are in
// checkTypes.ts (re-exported here).
import { evaluate, newToken, render } from '../checks';
import { splitCombinedResult } from '../checks/render';
import { combinedCheckScript, confirmedRemediation } from '../checks/script';
import { requireInputs, resolveInputs, type RawStepInputs, type StepInputs } from '../checks/inputs';
import type { CheckOutcome, Observations, StepDefinition, StepResult } from '../checks/types';
import { PowerShellUnavailableError, toCheckOutcome, type RunTarget, type ServerRunResult } from '../powershell/runner';
import type { ServerConfig } from '../servers/server';
import type { StoredResult } from '../state/resultStore';
import type { RunKind, StepChange } from '../state/history';
import type { TranscriptKind } from '../state/transcripts';
import { recordDirectTranscript, recordRun, recordTranscripts } from './runRecords';
import { describeTarget, planRuns, placeOf, targetFor } from './plan';
import { localBatchScript } from './localBatch';
import { extractResult } from '../pslang/resultMarkers';
import { inputError, missingStepResult, remediationVerdict } from './stepResults';
import type { CheckJob, CheckRunSummary, CheckServiceDeps, DirectCheck, RemediationOutcome, RemediationPlan, RunOptions, StepObserver } from './checkTypes';

export type { CheckJob, CheckRunSummary, CheckServiceDeps, DirectCheck, RemediationOutcome, RemediationPlan, RunOptions, StepObserver } from './checkTypes';

const DIRECT_CONCURRENCY = 8;

export class CheckService {
  /** Why steps that need PowerShell were not checked on the last attempt (no PowerShell here), per server and step. */
  private readonly unchecked = new Map<string, string>();
  private unavailable: string | undefined;

  constructor(private readonly deps: CheckServiceDeps) {}

  /** The reason a step was left unchecked on the last attempt (in the runner's words), if any. */
  uncheckedReason(server: string, stepId: string): string | undefined {
    // The network path is decided by Node's probe: a missing PowerShell never keeps it unchecked.
    return this.unchecked.get(`${server}\u0000${stepId}`) ?? (stepId === 'network-path-5986' ? undefined : this.deps.powershellProblem?.());
  }

  /** The PowerShell setting changed: the next run finds out afresh. */
  forgetUnavailable(): void {
    this.unavailable = undefined;
    this.unchecked.clear();
  }

  /** The message of the last failed PowerShell start, cleared when PowerShell ran again. */
  get powershellUnavailable(): string | undefined {
    return this.unavailable ?? this.deps.powershellProblem?.();
  }

  inputsFor(server: ServerConfig, overrides: Partial<Omit<RawStepInputs, 'server'>> = {}): StepInputs {
    return resolveInputs({ ...this.deps.extraInputs(), ...overrides, server: server.fqdn, account: server.serviceAccount, connection: server.connection, ...(server.port ? { port: server.port } : {}), ...(server.syncServers?.length ? { remoteAddresses: server.syncServers } : {}) });
  }

  /**
   * Runs the given checks. Steps that run on the servers go out as ONE PowerShell round trip for all servers
   * with the same connection and steps (Invoke-Command fan-out, each server with its own inputs); steps that
   * run here go one round trip per server. Never throws for per-server problems.
   */
  async check(jobs: readonly CheckJob[], options: RunOptions = {}): Promise<CheckRunSummary> {
    const groups = new Map<string, Group>();
    const all: { server: string; step: string }[] = [];
    const before = new Map(jobs.flatMap((j) => j.steps.map((s) => [`${j.server.fqdn}\u0000${s.id}`, this.deps.store.get(j.server.fqdn, s.id)] as const)));
    let unavailable: PowerShellUnavailableError | undefined;
    for (const job of jobs) {
      for (const step of job.steps) all.push({ server: job.server.fqdn, step: step.id });
      for (const step of job.steps) this.deps.store.setRunning(job.server.fqdn, step.id, true);
    }
    let done = 0;
    try {
      const direct = (await this.deps.directChecks?.()) ?? {};
      const directRuns: (() => Promise<void>)[] = [];
      for (const job of jobs) {
        let inputs: StepInputs;
        try {
          inputs = this.inputsFor(job.server);
        } catch (err) {
          for (const step of job.steps) await this.record(job.server, inputError(step, err));
          continue;
        }
        const viaPowerShell = job.steps.filter((step) => {
          const check = direct[step.id];
          if (check) directRuns.push(() => this.runDirect(job.server, step, inputs, check, options.signal));
          return !check;
        });
        for (const run of planRuns(job.server, viaPowerShell)) {
          const runnable: StepDefinition[] = [];
          for (const step of run.steps) {
            try {
              requireInputs(inputs, step.needs, step.title.en);
              runnable.push(step);
            } catch (err) {
              await this.record(job.server, inputError(step, err));
            }
          }
          if (!runnable.length) continue;
          const key = [JSON.stringify(run.target), runnable.map((s) => s.id).join(',')].join('|');
          let group = groups.get(key);
          if (!group) groups.set(key, (group = { target: run.target, steps: runnable, members: [] }));
          group.members.push({ server: job.server, inputs });
        }
      }
      // Direct checks first: they need no PowerShell, so a missing PowerShell cannot stop them.
      for (let i = 0; i < directRuns.length && !options.signal?.aborted; i += DIRECT_CONCURRENCY) {
        await Promise.all(directRuns.slice(i, i + DIRECT_CONCURRENCY).map((run) => run()));
      }
      const needsWindows = new Set<string>();
      for (const group of groups.values()) {
        if (options.signal?.aborted) break;
        if (unavailable) {
          this.markUnchecked(group, unavailable.message);
          continue;
        }
        try {
          for (const s of await this.checkGroup(group, options.signal)) needsWindows.add(s);
          this.unavailable = undefined;
          for (const m of group.members) for (const st of group.steps) this.unchecked.delete(`${m.server.fqdn}\u0000${st.id}`);
        } catch (err) {
          if (!(err instanceof PowerShellUnavailableError)) throw err;
          unavailable = err;
          this.unavailable = err.message;
          this.markUnchecked(group, err.message);
        }
        options.onProgress?.(++done, groups.size, group.members.map((m) => m.server.fqdn).join(', '));
      }
      if (needsWindows.size) options.onNeedsWindows?.([...needsWindows]);
    } finally {
      for (const { server, step } of all) this.deps.store.setRunning(server, step, false);
    }
    const changes = await this.recordHistory(jobs, before, options.kind ?? 'check');
    return { changes, ...(unavailable ? { powershellUnavailable: unavailable.message } : {}) };
  }

  private markUnchecked(group: Group, message: string): void {
    for (const m of group.members) for (const st of group.steps) this.unchecked.set(`${m.server.fqdn}\u0000${st.id}`, message);
  }

  private recordHistory(jobs: readonly CheckJob[], before: ReadonlyMap<string, StoredResult | undefined>, kind: RunKind): Promise<StepChange[]> {
    return this.deps.history ? recordRun(this.deps.history, this.deps.store, jobs, before, kind, this.deps.now()) : Promise.resolve([]);
  }

  /** Runs one group; answers the servers that came back "needs Windows". */
  private async checkGroup(group: Group, signal?: AbortSignal): Promise<string[]> {
    if (group.target.kind === 'local') {
      await this.checkLocalGroup(group, signal);
      return [];
    }
    const token = newToken();
    const byServer = new Map(group.members.map((m) => [m.server.fqdn, m]));
    const first = group.members[0] as Member;
    const script = (fqdn: string): string => {
      const m = byServer.get(fqdn) ?? first;
      return combinedCheckScript(group.steps, m.inputs, token, `Exchange Remoting Setup: checks for ${m.server.fqdn}`);
    };
    const what = `check ${group.steps.map((s) => s.id).join(', ')}`;
    const results = await this.runMany(group.members.map((m) => m.server), group.target, script, token, what, signal, { kind: 'check', steps: group.steps.map((s) => s.id) });
    for (const member of group.members) {
      const result = results.find((r) => r.server === member.server.fqdn);
      if (!result || (result.status === 'error' && result.error.kind === 'cancelled')) continue; // keep the previous results
      await this.recordGroup(member, group.steps, result.status === 'ok' && result.result !== undefined ? result.result : undefined, result);
    }
    return results.filter((r) => r.status === 'error' && r.error.kind === 'needs-windows').map((r) => r.server);
  }

  /** Every server's local checks in one local round trip, each part with its own marker token. */
  private async checkLocalGroup(group: Group, signal?: AbortSignal): Promise<void> {
    const tokens = group.members.map(() => newToken());
    const script = localBatchScript(group.members.map((m, i) => combinedCheckScript(group.steps, m.inputs, tokens[i] as string, `Exchange Remoting Setup: checks run here for ${m.server.fqdn}`)));
    const what = `check ${group.steps.map((s) => s.id).join(', ')} for ${group.members.map((m) => m.server.fqdn).join(', ')}`;
    const [result] = await this.runMany(group.members.map((m) => m.server), group.target, script, undefined, what, signal, { kind: 'check', steps: group.steps.map((s) => s.id) });
    if (!result || (result.status === 'error' && result.error.kind === 'cancelled')) return; // keep the previous results
    for (const [i, member] of group.members.entries()) {
      const part = extractResult(result.output, tokens[i] as string);
      if (part.ok) await this.recordGroup(member, group.steps, part.json, result);
      else if (result.status === 'error') await this.recordGroup(member, group.steps, undefined, result);
      else for (const step of group.steps) await this.record(member.server, { ...missingStepResult(step), reason: `The local check for ${member.server.fqdn} printed no result (${part.detail}). Run the check again; if it persists, open the check script and run it by hand.` });
    }
  }

  /** Evaluates one server's steps from its combined document, or from the run's error when there is none. */
  private async recordGroup(member: Member, steps: readonly StepDefinition[], document: unknown, run: ServerRunResult): Promise<void> {
    const outcomes: Map<string, CheckOutcome> = document !== undefined ? splitCombinedResult(document) : new Map();
    const observers = this.deps.observers?.() ?? {};
    for (const step of steps) {
      const outcome = outcomes.get(step.id);
      if (!outcome && document !== undefined) {
        await this.record(member.server, missingStepResult(step));
        continue;
      }
      const o = outcome ?? toCheckOutcome(run);
      const observed = await this.observe(observers[step.id], member.server, o);
      await this.record(member.server, evaluate(step.id, o, { now: this.deps.now(), inputs: member.inputs, ...(observed ? { observed } : {}) }));
    }
  }

  /** What an observer adds before the step is decided; its failure costs the observations, never the result. */
  private async observe(observer: StepObserver | undefined, server: ServerConfig, outcome: CheckOutcome): Promise<Observations | undefined> {
    if (!observer || outcome.kind !== 'json') return undefined;
    try {
      return await observer(server, outcome);
    } catch (err) {
      this.deps.log.warn(`observing the check output of ${server.fqdn} failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  private async runDirect(server: ServerConfig, step: StepDefinition, inputs: StepInputs, check: DirectCheck, signal?: AbortSignal): Promise<void> {
    const started = Date.now();
    let result: StepResult;
    try {
      result = await check(server, inputs, signal);
    } catch (err) {
      result = { stepId: step.id, status: 'error', summary: 'The check could not run', evidence: [{ label: 'Error', value: err instanceof Error ? err.message : String(err) }], reason: 'The check failed before it could decide; this is never a pass.', code: 'direct-check-failed' };
    }
    if (signal?.aborted) return;
    this.deps.log.info(`check ${step.id} for ${server.fqdn} from this machine (no PowerShell): ${result.status} (${Date.now() - started} ms)`);
    if (this.deps.transcripts) await recordDirectTranscript(this.deps.transcripts, server.fqdn, result, started);
    await this.record(server, result);
  }

  /** The remediation exactly as it would run, for review and confirmation. Throws InputError on bad inputs. */
  planRemediation(server: ServerConfig, step: StepDefinition, overrides: { allowAnyRemoteAddress?: boolean } = {}): RemediationPlan {
    const inputs = this.inputsFor(server, overrides);
    const script = render(step.id, 'remediation', inputs);
    const target = targetFor(placeOf(step, server), server);
    return { server, step, target, targetDescription: describeTarget(target, server), script };
  }

  /** The read-only check script of one step for one server, for review (it prints its result between markers). */
  checkScriptFor(server: ServerConfig, step: StepDefinition): string {
    return render(step.id, 'check', this.inputsFor(server));
  }

  /** Runs a reviewed remediation plan, then re-checks the step. */
  async remediate(plan: RemediationPlan, options: RunOptions = {}): Promise<RemediationOutcome> {
    const { server, step } = plan;
    this.deps.store.setRunning(server.fqdn, step.id, true);
    let result: ServerRunResult | undefined;
    const token = newToken();
    try {
      [result] = await this.runMany([server], plan.target, confirmedRemediation(plan.script, token), token, `remediate ${step.id}`, options.signal, { kind: 'remediation', steps: [step.id] });
    } finally {
      this.deps.store.setRunning(server.fqdn, step.id, false);
    }
    if (!result) return { ok: false, verdict: 'failed', output: '', message: 'The remediation did not run.' };
    const output = result.output;
    const { confirmed, verdict, why, message } = remediationVerdict(result);
    if (!confirmed) this.deps.log.warn(`remediate ${step.id} on ${server.fqdn} ${verdict}: ${why}${output.trim() ? `\n--- output ---\n${output}` : ''}`);
    if (result.status === 'error' && result.error.kind === 'cancelled') return { ok: false, verdict, output, ...(message ? { message } : {}) };
    const summary = await this.check([{ server, steps: [step] }], { ...options, kind: 'remediation' });
    return { ok: confirmed, verdict, output, ...(message ? { message } : {}), recheck: this.deps.store.get(server.fqdn, step.id), changes: summary.changes };
  }

  private async runMany(servers: readonly ServerConfig[], target: Exclude<RunTarget, { kind: 'exchange' }>, script: string | ((server: string) => string), token: string | undefined, what: string, signal?: AbortSignal, transcript?: { kind: TranscriptKind; steps: readonly string[] }): Promise<readonly ServerRunResult[]> {
    const settings = this.deps.settings();
    const first = servers[0] as ServerConfig;
    // ssh logs in with a key; a stored (WinRM) credential never goes there.
    const credential = target.kind === 'local' || target.kind === 'ssh' ? undefined : await this.deps.credentialFor(first);
    const connectTo = Object.fromEntries(servers.filter((s) => s.connectTo).map((s) => [s.fqdn, s.connectTo as string]));
    const started = Date.now();
    const outcome = await this.deps.runner.run({
      target, servers: servers.map((s) => s.fqdn), script, ...(token ? { resultToken: token } : {}),
      ...(credential ? { credential } : {}), timeoutMs: settings.timeoutMs, throttleLimit: settings.throttleLimit, ...(signal ? { signal } : {}),
      ...(Object.keys(connectTo).length ? { connectTo } : {}),
    });
    const how = target.kind === 'ssh' ? 'PowerShell remoting via SSH' : `WinRM ${target.kind === 'https' ? 'HTTPS' : 'HTTP with Kerberos'}`;
    const where = servers.length === 1 || target.kind === 'local' ? describeTarget(target, first) : `${servers.length} servers over ${how}`;
    const verdicts = outcome.results.map((r) => (r.status === 'ok' ? `${r.server}: ok` : `${r.server}: ${r.error.kind} (${r.error.message})`));
    this.deps.log.info(`${what} on ${where}${credential ? ` as the ${credential} credential` : ''}: ${verdicts.join('; ') || 'no result'} (${Date.now() - started} ms)`);
    if (transcript && this.deps.transcripts) {
      await recordTranscripts(this.deps.transcripts, outcome.results, servers, target, { ...transcript, started });
    }
    return outcome.results;
  }

  private async record(server: ServerConfig, r: StepResult): Promise<void> {
    await this.deps.store.set(server.fqdn, { ...r, checkedAt: this.deps.now().toISOString() });
  }
}

interface Member {
  readonly server: ServerConfig;
  readonly inputs: StepInputs;
}

interface Group {
  readonly target: Exclude<RunTarget, { kind: 'exchange' }>;
  readonly steps: readonly StepDefinition[];
  readonly members: Member[];
}
