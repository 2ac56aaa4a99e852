// The last runs per server, bounded, persisted through an injected key-value store (workspace state): which steps
// changed since the previous run, and drift, a step that went from passed to anything else. Pure.
import { STATUSES, type Status } from '../checks/status';
import type { KeyValueStore, StoredResult } from './resultStore';

/** What kind of run produced the results. */
export const RUN_KINDS = ['check', 'remediation', 'periodic'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** One step's result as history keeps it (short: the store holds the full result). */
export interface StepSnapshot {
  readonly status: Status;
  readonly summary: string;
  readonly checkedAt: string;
}

export interface RunEntry {
  readonly at: string;
  readonly kind: RunKind;
  readonly steps: Readonly<Record<string, StepSnapshot>>;
}

/** A step whose state differs from the run before. Drift: it had passed and now does not. */
export interface StepChange {
  readonly server: string;
  readonly stepId: string;
  readonly kind: RunKind;
  readonly before: StepSnapshot;
  readonly after: StepSnapshot;
  readonly drift: boolean;
}

export const HISTORY_STATE_VERSION = 1;
export const HISTORY_LIMITS = { runsPerServer: 20, servers: 500, summaryChars: 300 } as const;

interface Persisted {
  readonly version: number;
  readonly servers: Record<string, RunEntry[]>;
}

export class History {
  private readonly runs = new Map<string, RunEntry[]>();

  constructor(private readonly storage: KeyValueStore, private readonly key: string, private readonly limits = HISTORY_LIMITS) {}

  /** Reads the persisted history; an unreadable one is dropped (history is a convenience, results stay). */
  load(): boolean {
    const raw = this.storage.get<unknown>(this.key);
    this.runs.clear();
    if (raw === undefined) return true;
    const parsed = parse(raw);
    if (!parsed) return false;
    for (const [server, entries] of Object.entries(parsed.servers)) this.runs.set(server, entries.slice(-this.limits.runsPerServer));
    return true;
  }

  runsOf(server: string): readonly RunEntry[] {
    return this.runs.get(server) ?? [];
  }

  /**
   * Records one run's results for a server and returns the steps whose state changed against each step's
   * previous snapshot (drift marked). Manual confirmations are no runs and are left out.
   */
  async record(server: string, kind: RunKind, at: string, results: readonly StoredResult[]): Promise<StepChange[]> {
    const steps: Record<string, StepSnapshot> = {};
    for (const r of results) {
      if (r.manual) continue;
      steps[r.stepId] = { status: r.status, summary: r.summary.slice(0, this.limits.summaryChars), checkedAt: r.checkedAt };
    }
    if (!Object.keys(steps).length) return [];
    const changes: StepChange[] = [];
    for (const [stepId, after] of Object.entries(steps)) {
      const before = this.lastSnapshot(server, stepId);
      if (before && before.status !== after.status) changes.push({ server, stepId, kind, before, after, drift: before.status === 'pass' });
    }
    const list = [...this.runsOf(server), { at, kind, steps }].slice(-this.limits.runsPerServer);
    this.runs.delete(server);
    this.runs.set(server, list);
    while (this.runs.size > this.limits.servers) this.runs.delete(this.runs.keys().next().value as string);
    await this.persist();
    return changes;
  }

  /** The change of a step in its latest run against the run before that held it, if its state differs. */
  changeOf(server: string, stepId: string): StepChange | undefined {
    const runs = this.runsOf(server);
    let after: { run: RunEntry; snap: StepSnapshot } | undefined;
    for (let i = runs.length - 1; i >= 0; i--) {
      const run = runs[i] as RunEntry;
      const snap = run.steps[stepId];
      if (!snap) continue;
      if (!after) { after = { run, snap }; continue; }
      return snap.status === after.snap.status ? undefined
        : { server, stepId, kind: after.run.kind, before: snap, after: after.snap, drift: snap.status === 'pass' };
    }
    return undefined;
  }

  async clear(server: string): Promise<void> {
    this.runs.delete(server);
    await this.persist();
  }

  private lastSnapshot(server: string, stepId: string): StepSnapshot | undefined {
    const runs = this.runsOf(server);
    for (let i = runs.length - 1; i >= 0; i--) {
      const snap = (runs[i] as RunEntry).steps[stepId];
      if (snap) return snap;
    }
    return undefined;
  }

  private async persist(): Promise<void> {
    await this.storage.update(this.key, { version: HISTORY_STATE_VERSION, servers: Object.fromEntries(this.runs) } satisfies Persisted);
  }
}

function parse(raw: unknown): Persisted | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as { version?: unknown; servers?: unknown };
  if (o.version !== HISTORY_STATE_VERSION || typeof o.servers !== 'object' || o.servers === null || Array.isArray(o.servers)) return undefined;
  for (const entries of Object.values(o.servers as Record<string, unknown>)) {
    if (!Array.isArray(entries) || !entries.every(isRun)) return undefined;
  }
  return o as Persisted;
}

function isRun(v: unknown): v is RunEntry {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  if (typeof r.at !== 'string' || !(RUN_KINDS as readonly unknown[]).includes(r.kind) || typeof r.steps !== 'object' || r.steps === null) return false;
  return Object.values(r.steps as Record<string, unknown>).every((s) => {
    const x = s as Record<string, unknown> | null;
    return !!x && (STATUSES as readonly unknown[]).includes(x.status) && typeof x.summary === 'string' && typeof x.checkedAt === 'string';
  });
}
