// Helpers for tests and the bench that run the real runner against the fake pwsh (fakePwsh.ts).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface DoubleRecord {
  pid: number;
  time: number;
  event: 'start' | 'script' | 'credential-set' | 'credential-line' | 'hang' | 'crash' | 'exit' | 'signal' | 'unknown';
  argv?: string[];
  script?: string;
  server?: string;
  user?: string;
  line?: string;
}

export interface ServerScenario {
  latencyMs?: number;
  behaviour?: 'ok' | 'access-denied' | 'unreachable' | 'crash' | 'hang';
  requireCredential?: { user: string; password: string };
  objects?: unknown[];
  output?: string[];
  /** Per step id, the JSON a real check of that step prints (see fakePwsh.ts). */
  checkResults?: Record<string, unknown>;
}

export interface Scenario {
  servers?: Record<string, ServerScenario>;
  local?: ServerScenario;
}

/** The compiled double (out/test/doubles/fakePwsh.js), made executable. */
export function doubleExecutable(): string {
  const path = resolve(__dirname, 'fakePwsh.js');
  if (!existsSync(path)) throw new Error(`The PowerShell test double is not built: ${path} (run node scripts/build.mjs).`);
  chmodSync(path, 0o755);
  return path;
}

/** Every script text the double received, in order, from its log file (empty when nothing ran yet). */
export function scriptsInLog(logFile: string): string[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as DoubleRecord)
    .filter((r) => r.event === 'script').map((r) => r.script ?? '');
}

export class PwshDouble {
  readonly dir = mkdtempSync(join(tmpdir(), 'ers-pwsh-double-'));
  readonly logFile = join(this.dir, 'invocations.jsonl');
  readonly scenarioFile = join(this.dir, 'scenario.json');
  readonly executable = doubleExecutable();

  constructor(scenario: Scenario = {}) {
    this.setScenario(scenario);
  }

  setScenario(s: Scenario): void {
    writeFileSync(this.scenarioFile, JSON.stringify(s));
  }

  /** Environment for the spawned double (the runner's `env` option). */
  env(): NodeJS.ProcessEnv {
    return { ...process.env, ERS_PS_DOUBLE_LOG: this.logFile, ERS_PS_DOUBLE_SCENARIO: this.scenarioFile };
  }

  records(): DoubleRecord[] {
    if (!existsSync(this.logFile)) return [];
    return readFileSync(this.logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as DoubleRecord);
  }

  rawLog(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  /** Polls the log (bounded) until a record matches; for triggering cancellation at the right moment, not for timing. */
  async waitFor(pred: (r: DoubleRecord) => boolean, limitMs = 10_000): Promise<DoubleRecord> {
    const end = Date.now() + limitMs;
    for (;;) {
      const hit = this.records().find(pred);
      if (hit) return hit;
      if (Date.now() > end) throw new Error('the double never logged the expected event');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
