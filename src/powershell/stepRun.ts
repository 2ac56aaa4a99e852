// Runs one catalog step's check on many servers through a PowerShellRunner and decides each server's result with
// the catalog's evaluator. The glue the sidebar and the CLI call; effects only through the injected runner.
import { evaluate, newToken, render, resolveInputs, type Observations, type RawStepInputs, type StepId, type StepResult } from '../checks';
import type { CredentialKind } from './credentials';
import { toCheckOutcome, type PowerShellRunner, type RunTarget, type ServerRunResult } from './runner';

export interface StepRunOptions {
  readonly stepId: StepId;
  readonly servers: readonly string[];
  readonly target: Exclude<RunTarget, { kind: 'exchange' }>;
  /** Inputs per server (account, thumbprint…); `{ server }` when omitted. */
  readonly inputs?: (server: string) => RawStepInputs;
  /** Facts observed outside PowerShell per server, e.g. the probe's presented certificate. */
  readonly observed?: (server: string) => Observations | undefined;
  readonly credential?: CredentialKind;
  readonly throttleLimit?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

export interface StepRunResult {
  readonly server: string;
  readonly run: ServerRunResult;
  readonly result: StepResult;
}

/** One fan-out (one PowerShell round trip) for all servers; an unreachable server is `error`, never a pass. */
export async function runStepCheck(runner: PowerShellRunner, o: StepRunOptions): Promise<StepRunResult[]> {
  if (o.target.kind === 'local' && o.servers.length !== 1) throw new Error('A local run checks exactly one server: this machine.');
  const token = newToken();
  const inputsOf = (server: string): RawStepInputs => o.inputs?.(server) ?? { server };
  // Rendering validates every input first; an invalid one throws InputError before anything runs.
  const scripts = new Map(o.servers.map((s) => [s, render(o.stepId, 'check', inputsOf(s), { token })]));
  const outcome = await runner.run({
    target: o.target,
    servers: o.servers,
    script: (server) => scripts.get(o.target.kind === 'local' ? o.servers[0]! : server)
      ?? [...scripts].find(([k]) => k.toLowerCase() === server)?.[1]
      ?? render(o.stepId, 'check', inputsOf(server), { token }),
    resultToken: token,
    ...(o.credential !== undefined ? { credential: o.credential } : {}),
    ...(o.throttleLimit !== undefined ? { throttleLimit: o.throttleLimit } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const now = (o.now ?? (() => new Date()))();
  return outcome.results.map((run) => {
    const requested = o.target.kind === 'local' ? o.servers[0]! : o.servers.find((s) => s.toLowerCase() === run.server) ?? run.server;
    const observed = o.observed?.(requested);
    const ctx = { now, inputs: resolveInputs(inputsOf(requested)), ...(observed ? { observed } : {}) };
    return { server: run.server, run, result: evaluate(o.stepId, toCheckOutcome(run), ctx) };
  });
}
