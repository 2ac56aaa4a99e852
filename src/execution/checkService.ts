// Runs checks and remediations for configured servers through the PowerShell runner, turns the output into
// results with the catalog's evaluators, and records them in the result store. No vscode: effects arrive as
// interfaces (runner, store, clock, logger), so the whole flow is tested with a fake runner.
import { evaluate, newToken, render } from '../checks';
import { splitCombinedResult } from '../checks/render';
import { combinedCheckScript } from '../checks/script';
import { requireInputs, resolveInputs, type RawStepInputs, type StepInputs } from '../checks/inputs';
import type { CheckOutcome, StepDefinition, StepResult } from '../checks/types';
import type { Logger } from '../log';
import type { CredentialKind } from '../powershell/credentials';
import { toCheckOutcome, type PowerShellRunner, type RunTarget, type ServerRunResult } from '../powershell/runner';
import type { ServerConfig } from '../servers/server';
import { InputError } from '../servers/validation';
import type { ResultStore, StoredResult } from '../state/resultStore';
import { describeTarget, planRuns, placeOf, targetFor } from './plan';

export interface CheckServiceDeps {
  readonly runner: PowerShellRunner;
  readonly store: ResultStore;
  readonly log: Logger;
  readonly now: () => Date;
  /** Inputs beyond the server entry (Intune role name, event ids…), from settings. */
  readonly extraInputs: () => Omit<RawStepInputs, 'server'>;
  /** Which credential to pass for remote targets (undefined: the current Windows identity, Kerberos). */
  readonly credentialFor: (server: ServerConfig) => Promise<CredentialKind | undefined>;
  readonly settings: () => { readonly timeoutMs: number; readonly throttleLimit: number };
}

export interface CheckJob {
  readonly server: ServerConfig;
  readonly steps: readonly StepDefinition[];
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Called after each (server, place) round trip. */
  readonly onProgress?: (done: number, total: number, what: string) => void;
}

export interface RemediationPlan {
  readonly server: ServerConfig;
  readonly step: StepDefinition;
  readonly target: Exclude<RunTarget, { kind: 'exchange' }>;
  readonly targetDescription: string;
  /** The exact script that will run. */
  readonly script: string;
}

export interface RemediationOutcome {
  readonly ok: boolean;
  readonly output: string;
  readonly message?: string;
  /** The step's result after the automatic re-check. */
  readonly recheck?: StoredResult;
}

export class CheckService {
  constructor(private readonly deps: CheckServiceDeps) {}

  inputsFor(server: ServerConfig): StepInputs {
    return resolveInputs({ ...this.deps.extraInputs(), server: server.fqdn, account: server.serviceAccount, connection: server.connection, ...(server.port ? { port: server.port } : {}) });
  }

  /** Runs the given checks; one PowerShell round trip per server and place. Never throws for per-server problems. */
  async check(jobs: readonly CheckJob[], options: RunOptions = {}): Promise<void> {
    const runs = jobs.flatMap((job) => planRuns(job.server, job.steps).map((run) => ({ job, run })));
    for (const { job, run } of runs) for (const step of run.steps) this.deps.store.setRunning(job.server.fqdn, step.id, true);
    let done = 0;
    try {
      for (const { job, run } of runs) {
        if (options.signal?.aborted) break;
        await this.checkGroup(job.server, run.target, run.steps, options.signal);
        options.onProgress?.(++done, runs.length, `${job.server.fqdn}`);
      }
    } finally {
      for (const { job, run } of runs) for (const step of run.steps) this.deps.store.setRunning(job.server.fqdn, step.id, false);
    }
  }

  private async checkGroup(server: ServerConfig, target: Exclude<RunTarget, { kind: 'exchange' }>, steps: readonly StepDefinition[], signal?: AbortSignal): Promise<void> {
    let inputs: StepInputs;
    try {
      inputs = this.inputsFor(server);
    } catch (err) {
      for (const step of steps) await this.record(server, inputError(step, err));
      return;
    }
    const runnable: StepDefinition[] = [];
    for (const step of steps) {
      try {
        requireInputs(inputs, step.needs, step.title.en);
        runnable.push(step);
      } catch (err) {
        await this.record(server, inputError(step, err));
      }
    }
    if (!runnable.length) return;
    const token = newToken();
    const script = combinedCheckScript(runnable, inputs, token, `Exchange Remoting Setup: checks for ${server.fqdn}`);
    const result = await this.runOne(server, target, script, token, `check ${runnable.map((s) => s.id).join(', ')}`, signal);
    if (!result || (result.status === 'error' && result.error.kind === 'cancelled')) return; // keep the previous results
    const outcomes: Map<string, CheckOutcome> = result.status === 'ok' && result.result !== undefined ? splitCombinedResult(result.result) : new Map();
    for (const step of runnable) {
      const outcome = outcomes.get(step.id) ?? (result.status === 'ok' && result.result !== undefined
        ? { kind: 'error' as const, error: { message: `The combined check printed no result for ${step.id}.`, source: 'check' } }
        : toCheckOutcome(result));
      await this.record(server, evaluate(step.id, outcome, { now: this.deps.now(), inputs }));
    }
  }

  /** The remediation exactly as it would run, for review and confirmation. Throws InputError on bad inputs. */
  planRemediation(server: ServerConfig, step: StepDefinition): RemediationPlan {
    const inputs = this.inputsFor(server);
    const script = render(step.id, 'remediation', inputs);
    const target = targetFor(placeOf(step, server), server);
    return { server, step, target, targetDescription: describeTarget(target, server), script };
  }

  /** Runs a reviewed remediation plan, then re-checks the step. */
  async remediate(plan: RemediationPlan, options: RunOptions = {}): Promise<RemediationOutcome> {
    const { server, step } = plan;
    this.deps.store.setRunning(server.fqdn, step.id, true);
    let result: ServerRunResult | undefined;
    try {
      result = await this.runOne(server, plan.target, plan.script, undefined, `remediate ${step.id}`, options.signal);
    } finally {
      this.deps.store.setRunning(server.fqdn, step.id, false);
    }
    if (!result) return { ok: false, output: '', message: 'The remediation did not run.' };
    const ok = result.status === 'ok';
    const output = result.output;
    const message = result.status === 'error' ? result.error.message : undefined;
    if (result.status === 'error' && result.error.kind === 'cancelled') return { ok, output, message };
    await this.check([{ server, steps: [step] }], options);
    return { ok, output, message, recheck: this.deps.store.get(server.fqdn, step.id) };
  }

  private async runOne(server: ServerConfig, target: Exclude<RunTarget, { kind: 'exchange' }>, script: string, token: string | undefined, what: string, signal?: AbortSignal): Promise<ServerRunResult | undefined> {
    const settings = this.deps.settings();
    const credential = target.kind === 'local' ? undefined : await this.deps.credentialFor(server);
    const started = Date.now();
    const outcome = await this.deps.runner.run({
      target, servers: [server.fqdn], script, ...(token ? { resultToken: token } : {}),
      ...(credential ? { credential } : {}), timeoutMs: settings.timeoutMs, throttleLimit: settings.throttleLimit, ...(signal ? { signal } : {}),
    });
    const r = outcome.results[0];
    const verdict = !r ? 'no result' : r.status === 'ok' ? 'ok' : `${r.error.kind}: ${r.error.message}`;
    this.deps.log.info(`${what} on ${describeTarget(target, server)}${credential ? ` as the ${credential} credential` : ''}: ${verdict} (${Date.now() - started} ms)`);
    return r;
  }

  private async record(server: ServerConfig, r: StepResult): Promise<void> {
    await this.deps.store.set(server.fqdn, { ...r, checkedAt: this.deps.now().toISOString() });
  }
}

function inputError(step: StepDefinition, err: unknown): StepResult {
  const message = err instanceof InputError ? err.message : err instanceof Error ? err.message : String(err);
  return {
    stepId: step.id, status: 'error', summary: 'Missing or invalid input', evidence: [{ label: 'Input', value: message }],
    reason: `${message} Edit the server entry (or the extension settings) and check again.`, code: 'input',
  };
}
