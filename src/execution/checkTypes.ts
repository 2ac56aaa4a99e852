// The check service's contract: what it needs (deps), what it takes (jobs, options) and what it answers (run
// summaries, remediation plans and outcomes). Types only; src/execution/checkService.ts does the work.
import type { StepId } from '../checks';
import type { CheckOutcome, Observations, StepDefinition, StepResult } from '../checks/types';
import type { StepInputs } from '../checks/inputs';
import type { RawStepInputs } from '../checks/inputs';
import type { Logger } from '../log';
import type { CredentialKind } from '../powershell/credentials';
import type { PowerShellRunner, RunTarget } from '../powershell/runner';
import type { ServerConfig } from '../servers/server';
import type { ResultStore, StoredResult } from '../state/resultStore';
import type { History, RunKind, StepChange } from '../state/history';
import type { TranscriptStore } from '../state/transcripts';

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
  /**
   * Steps decided here without PowerShell (the Node TLS probe for the network path, LDAPS for delegation), looked up
   * once per run; a step listed here never goes to PowerShell.
   */
  readonly directChecks?: () => Promise<Partial<Record<StepId, DirectCheck>>>;
  /** The last runs per server (changes and drift). */
  readonly history?: History;
  /** Why PowerShell cannot run here, found without running it (the executable is missing); undefined when it can. */
  readonly powershellProblem?: () => string | undefined;
  /** What PowerShell printed for each check and remediation. */
  readonly transcripts?: TranscriptStore;
  /**
   * Facts gathered here after a step's check came back and before it is decided (the connector's CAS servers probed
   * from this machine), per step; looked up once per run.
   */
  readonly observers?: () => Partial<Record<StepId, StepObserver>>;
}

/** Observes, from this machine, what a step's check output names; never throws for what it cannot reach. */
export type StepObserver = (server: ServerConfig, outcome: CheckOutcome, signal?: AbortSignal) => Promise<Observations>;

/** Decides one step for one server without PowerShell. */
export type DirectCheck = (server: ServerConfig, inputs: StepInputs, signal?: AbortSignal) => Promise<StepResult>;

export interface CheckJob {
  readonly server: ServerConfig;
  readonly steps: readonly StepDefinition[];
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Called after each round trip. */
  readonly onProgress?: (done: number, total: number, what: string) => void;
  /** Recorded in history (default: check). */
  readonly kind?: RunKind;
  /**
   * Called once at the end with the servers the PowerShell here could not reach because WinRM remoting needs Windows
   * (PowerShell on Linux/macOS has no WinRM client), so the caller says it once per server, not once per step.
   */
  readonly onNeedsWindows?: (servers: readonly string[]) => void;
}

/** What a check run changed: steps whose state differs from their previous run (drift marked). */
export interface CheckRunSummary {
  readonly changes: readonly StepChange[];
  /** Set when PowerShell could not be started: the steps that needed it were not checked. */
  readonly powershellUnavailable?: string;
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
  /** True only when the remediation's own success marker came back (it ran to its end). */
  readonly ok: boolean;
  /** `done`: confirmed; `not-confirmed`: it may have run partly (output shown); `failed`: it did not run or it stopped with an error. */
  readonly verdict: 'done' | 'not-confirmed' | 'failed';
  readonly output: string;
  readonly message?: string;
  /** The step's result after the automatic re-check. */
  readonly recheck?: StoredResult;
  /** What the re-check recorded as changed in history. */
  readonly changes?: readonly StepChange[];
}
