// The one real PowerShellRunner, over node-powershell. THE ONLY FILE THAT IMPORTS node-powershell.
//
// - One long-lived process (starting one costs about a second), replaced after a crash, a timeout (node-powershell's
//   shell stays busy after one) or a cancellation.
// - `<exe> -NoLogo -NoProfile -NonInteractive -NoExit -Command -`; every script goes in as ONE line (base64 payload
//   decoded into a script block) because a multi-line statement over `-Command -` can hang.
// - A credential reaches PowerShell only through stdin, as DATA: its own invocation (which holds no secret) reads the
//   next stdin line with [Console]::In.ReadLine() and sets $global:ErsCredential, so the secret is never text PowerShell
//   parses as code (not in Get-History, Script Block Logging or transcripts), never in argv, never logged, never in the
//   run script; node-powershell's history is cleared after every call.
// - A missing executable gives one PowerShellUnavailableError saying what to install, and the shell is never
//   disposed before its process spawned (on Node 20 that can SIGTERM the whole process group).
import { PowerShell } from 'node-powershell';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { descendants, executableMissing, findExecutable, killAll } from './processes';

export { findExecutable } from './processes';
import type { Logger } from '../log';
import { credentialFeed } from './credentialFeed';
import type { Credential, CredentialSource } from './credentials';
import { oneLine } from './encodedScript';
import { renderRequestScript, sshAddressOf, validateServers } from './remoteScript';
import { assembleResults, parseRunOutput } from './runOutput';
import {
  LOCALHOST, PowerShellUnavailableError,
  type PowerShellRunner, type RunError, type RunOutcome, type RunRequest, type ServerRunResult,
} from './runner';

export interface NodePowerShellRunnerOptions {
  /** `pwsh`, `powershell.exe` (Windows PowerShell 5.1) or a path. Default: pwsh, or powershell.exe on Windows. */
  readonly executable?: string;
  readonly credentials?: CredentialSource;
  readonly logger?: Logger;
  /** Default per-call limit when a request gives none (120 s). */
  readonly defaultTimeoutMs?: number;
  /** Environment of the PowerShell process (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
}

const DEFAULT_TIMEOUT_MS = 120_000;

interface LiveShell {
  readonly ps: PowerShell;
  readonly child: ChildProcess;
  dead: boolean;
  /** The process exited AND its stdout/stderr were read to the end. */
  closed?: boolean;
}

/** Waits (bounded) until the process's output has been read to the end, so nothing it printed before dying is lost. */
function outputDrained(live: LiveShell, limitMs: number): Promise<void> {
  if (live.closed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, limitMs);
    t.unref();
    live.child.once('close', () => { clearTimeout(t); resolve(); });
  });
}

export class NodePowerShellRunner implements PowerShellRunner {
  private shell: LiveShell | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** How many processes this runner started (for tests and the log). */
  shellsStarted = 0;

  constructor(private readonly options: NodePowerShellRunnerOptions = {}) {}

  get executable(): string {
    return this.options.executable?.trim() || (process.platform === 'win32' ? 'powershell.exe' : 'pwsh');
  }

  run(request: RunRequest): Promise<RunOutcome> {
    const next = this.queue.then(() => this.runExclusive(request));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Stops at once: a call in flight ends with `cancelled` results, queued calls are refused. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.replaceShell('disposed');
    await this.queue;
    await this.replaceShell('disposed');
  }

  private log(level: 'debug' | 'info' | 'warn', message: string): void {
    this.options.logger?.[level](`[powershell] ${message}`);
  }

  private async runExclusive(request: RunRequest): Promise<RunOutcome> {
    if (this.disposed) throw new Error('The PowerShell runner was disposed.');
    const started = Date.now();
    const servers = request.target.kind === 'local' ? [LOCALHOST] : validateServers(request.servers);
    const runToken = randomBytes(12).toString('hex');
    const script = renderRequestScript(request, servers, runToken);
    const resultToken = 'resultToken' in request ? request.resultToken : undefined;
    const finish = (results: ServerRunResult[], invocations: number): RunOutcome => ({ results, invocations, elapsedMs: Date.now() - started });
    const allFail = (error: RunError): ServerRunResult[] => servers.map((server) => ({ server, status: 'error', output: '', error, diagnostics: [] }));

    if (request.signal?.aborted) return finish(allFail({ kind: 'cancelled', message: 'The run was cancelled before it started.' }), 0);

    let credential: Credential | undefined;
    if (request.credential !== undefined) {
      credential = await this.options.credentials?.get(request.credential);
      if (!credential) {
        return finish(allFail({ kind: 'no-credential', message: `No ${request.credential === 'admin' ? 'administrator' : 'service account'} credential is stored. Set it first, then run again.` }), 0);
      }
    }

    const shell = this.ensureShell();
    let invocations = 0;
    if (credential) {
      invocations++;
      const fed = await this.invoke(shell, credentialFeed(credential), request.timeoutMs ?? this.options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS, request.signal);
      if (fed.kind !== 'done' || fed.stderr.trim()) {
        const err = fed.kind === 'done' ? { kind: 'script-error' as const, message: 'PowerShell could not build the credential object.' } : fed.error;
        return finish(allFail(err), invocations);
      }
    }
    invocations++;
    this.log('debug', `run ${runToken}: ${request.target.kind} on ${servers.length} server(s)`);
    const outcome = await this.invoke(shell, oneLine(script), request.timeoutMs ?? this.options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS, request.signal);
    const parsed = parseRunOutput(outcome.stdout, runToken);
    const results = assembleResults(servers, parsed, {
      ...(resultToken !== undefined ? { resultToken } : {}),
      exchange: request.target.kind === 'exchange',
      ...(outcome.kind !== 'done' ? { interrupted: outcome.error } : {}),
      stderr: outcome.stderr,
      ...(request.target.kind === 'ssh' ? { ssh: { port: request.target.port ?? 22, addressOf: sshAddressOf(request.connectTo) } } : {}),
    });
    const failed = results.filter((r) => r.status === 'error').length;
    this.log(failed ? 'warn' : 'debug', `run ${runToken}: ${results.length - failed} ok, ${failed} error(s)${outcome.kind !== 'done' ? ` (${outcome.kind})` : ''}`);
    return finish(results, invocations);
  }

  /** Why this runner cannot start PowerShell (its executable is not found), without starting it; undefined when it can. */
  unavailableReason(): string | undefined {
    const env = this.options.env ?? process.env;
    const effective = env.NODE_POWERSHELL ?? process.env.NODE_POWERSHELL ?? this.executable;
    return findExecutable(effective, env) ? undefined : executableMissing(effective);
  }

  /** Starts a process when none is alive. Throws PowerShellUnavailableError when the executable cannot be found. */
  private ensureShell(): LiveShell {
    if (this.shell && !this.shell.dead) return this.shell;
    const exe = this.executable;
    // No terminal features: pwsh on Linux/macOS would otherwise write cursor-mode and colour sequences into the output
    // (the parser strips them anyway, whatever TERM the user's VS Code has).
    const env: NodeJS.ProcessEnv = { ...(this.options.env ?? process.env), TERM: 'dumb', NO_COLOR: '1' };
    // node-powershell lets NODE_POWERSHELL override the executable; honour it the same way in the lookup.
    const effective = env.NODE_POWERSHELL ?? process.env.NODE_POWERSHELL ?? exe;
    if (!findExecutable(effective, env)) throw new PowerShellUnavailableError(executableMissing(effective), effective);
    const ps = new PowerShell({
      executable: effective,
      executableOptions: { '-NoProfile': true, '-NonInteractive': true },
      throwOnInvocationError: false,
      spawnOptions: { env },
    });
    const internals = ps as unknown as { process: ChildProcess; exitPromise?: Promise<unknown> };
    // node-powershell rejects this promise when the process dies (crash, kill, failed spawn) even when no call is
    // waiting; without a handler that would be an unhandled rejection in the extension host.
    internals.exitPromise?.catch(() => undefined);
    // node-powershell logs every command through `debug` when DEBUG matches (e.g. DEBUG=*): that would print the
    // credential feed. Our own logger is the only log; silence its debuggers for this shell.
    const debuggers = (ps as unknown as { debuggers?: Record<string, { enabled: boolean }> }).debuggers;
    for (const d of Object.values(debuggers ?? {})) d.enabled = false;
    const child = internals.process;
    const live: LiveShell = { ps, child, dead: false };
    if (child.pid === undefined) {
      // The spawn failed after all (race with the lookup): the process never existed, so never dispose it.
      live.dead = true;
      child.once('error', () => undefined);
      throw new PowerShellUnavailableError(executableMissing(effective).replace(/was not found( \([^)]*\))?/, 'could not be started (the file exists but the system cannot run it)'), effective);
    }
    child.once('exit', () => { live.dead = true; });
    child.once('close', () => { live.closed = true; });
    this.shellsStarted++;
    this.log('info', `started ${effective} (pid ${child.pid})`);
    this.shell = live;
    return live;
  }

  /** Kills the current process (it spawned, so disposing is safe) and forgets it; the next run starts a fresh one. */
  private async replaceShell(reason: string): Promise<void> {
    const live = this.shell;
    this.shell = undefined;
    if (!live) return;
    live.dead = true;
    if (live.child.exitCode === null && live.child.signalCode === null) {
      this.log('info', `stopping PowerShell (pid ${live.child.pid}): ${reason}`);
      // What the shell started (the ssh client of each SSH remoting session) goes with it: found before the shell
      // dies, since its children are re-parented afterwards.
      const below = descendants(live.child.pid);
      live.ps.dispose('SIGKILL').catch(() => undefined);
      killAll(below);
    }
    await outputDrained(live, 3000);
  }

  private async invoke(shell: LiveShell, line: string, timeoutMs: number, signal: AbortSignal | undefined):
  Promise<{ kind: 'done'; stdout: string; stderr: string } | { kind: 'timeout' | 'cancelled' | 'crashed'; stdout: string; stderr: string; error: RunError }> {
    // Capture stdout ourselves as well: after a crash node-powershell drops what it had read, but the servers that
    // finished before the crash keep their results.
    let captured = '';
    const onData = (chunk: string | Buffer): void => { captured += chunk.toString(); };
    shell.ps.streams.stdout.on('data', onData);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<'timeout' | 'cancelled'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      if (signal) {
        onAbort = () => resolve('cancelled');
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
    const call = shell.ps.invoke(line).then(
      (rec) => ({ ok: true as const, rec }),
      (err: unknown) => ({ ok: false as const, err }),
    );
    try {
      const first = await Promise.race([call, stop]);
      if (first === 'timeout' || first === 'cancelled') {
        await this.replaceShell(first);
        call.catch(() => undefined);
        const error: RunError = first === 'timeout'
          ? { kind: 'timeout', message: `No answer within ${Math.round(timeoutMs / 1000)} s; the PowerShell process was replaced.` }
          : { kind: 'cancelled', message: 'The run was cancelled.' };
        return { kind: first, stdout: captured, stderr: '', error };
      }
      if ((!first.ok || shell.dead) && this.disposed) {
        return { kind: 'cancelled', stdout: captured, stderr: '', error: { kind: 'cancelled', message: 'The PowerShell runner was stopped during the run.' } };
      }
      if (!first.ok || shell.dead) {
        const detail = first.ok ? 'the process exited' : errorText(first.err);
        await outputDrained(shell, 2000);
        await this.replaceShell('crashed');
        return { kind: 'crashed', stdout: captured, stderr: '', error: { kind: 'crashed', message: `PowerShell exited during the run (${detail}).` } };
      }
      const rec = first.rec;
      return { kind: 'done', stdout: rec.stdout?.toString() ?? captured, stderr: rec.stderr?.toString() ?? '' };
    } finally {
      if (timer) clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      shell.ps.streams.stdout.off('data', onData);
      // node-powershell keeps every command and its output in `history`: in a long-lived shell that grows without
      // bound, and for the credential feed it would keep the secret in memory. Keep none.
      clearHistory(shell.ps);
    }
  }
}

function clearHistory(ps: PowerShell): void {
  (ps.history as unknown[]).length = 0;
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}
