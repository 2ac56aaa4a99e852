// Last check result per (server, step), what is running now, and manual confirmations. Persists through an
// injected key-value store (VS Code's workspaceState in the extension, a Map in tests). Pure.
import type { Evidence, StepResult } from '../checks/types';
import { STATUSES } from '../checks/status';
import { Emitter } from '../util/event';

/** Memento-compatible storage. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** A step result as kept: the evaluator's result, when it was decided, and whether a person decided it. */
export interface StoredResult extends Omit<StepResult, 'stepId'> {
  /** A step id (text: a stored result may name a step a later catalog renamed). */
  readonly stepId: string;
  /** ISO instant of the check. */
  readonly checkedAt: string;
  /** Set when an administrator ticked the step by hand instead of a check deciding it. */
  readonly manual?: { readonly by: string; readonly at: string };
}

export interface StoreChange {
  readonly server: string;
  readonly stepId?: string;
}

export const RESULTS_STATE_VERSION = 1;

interface Persisted {
  readonly version: number;
  readonly results: Record<string, Record<string, StoredResult>>;
}

export class ResultStore {
  private readonly results = new Map<string, Map<string, StoredResult>>();
  private readonly running = new Set<string>();
  private readonly changed = new Emitter<StoreChange>();
  readonly onDidChange = this.changed.event;

  /**
   * @param storage where results persist
   * @param key the storage key (from ids.ts)
   * @param corruptKey where an unreadable state is set aside for inspection
   */
  constructor(private readonly storage: KeyValueStore, private readonly key: string, private readonly corruptKey: string) {}

  /** Loads persisted results. An unreadable state is set aside (never thrown): returns a warning to show. */
  async load(): Promise<string | undefined> {
    const raw = this.storage.get<unknown>(this.key);
    if (raw === undefined) return undefined;
    const parsed = parsePersisted(raw);
    if (typeof parsed === 'string') {
      await this.storage.update(this.corruptKey, { setAsideAt: new Date().toISOString(), reason: parsed, raw: safeClone(raw) });
      await this.storage.update(this.key, undefined);
      return parsed;
    }
    this.results.clear();
    for (const [server, steps] of Object.entries(parsed.results)) this.results.set(server, new Map(Object.entries(steps)));
    this.changed.fire({ server: '*' });
    return undefined;
  }

  get(server: string, stepId: string): StoredResult | undefined {
    return this.results.get(server)?.get(stepId);
  }

  forServer(server: string): ReadonlyMap<string, StoredResult> {
    return this.results.get(server) ?? new Map();
  }

  isRunning(server: string, stepId: string): boolean {
    return this.running.has(runKey(server, stepId));
  }

  setRunning(server: string, stepId: string, running: boolean): void {
    const k = runKey(server, stepId);
    if (running === this.running.has(k)) return;
    if (running) this.running.add(k);
    else this.running.delete(k);
    this.changed.fire({ server, stepId });
  }

  async set(server: string, result: StoredResult): Promise<void> {
    let steps = this.results.get(server);
    if (!steps) this.results.set(server, (steps = new Map()));
    steps.set(result.stepId, result);
    this.running.delete(runKey(server, result.stepId));
    this.changed.fire({ server, stepId: result.stepId });
    await this.persist();
  }

  async clear(server: string, stepId?: string): Promise<void> {
    if (stepId === undefined) this.results.delete(server);
    else this.results.get(server)?.delete(stepId);
    this.changed.fire({ server, stepId });
    await this.persist();
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async persist(): Promise<void> {
    const results: Persisted['results'] = {};
    for (const [server, steps] of this.results) results[server] = Object.fromEntries(steps);
    await this.storage.update(this.key, { version: RESULTS_STATE_VERSION, results } satisfies Persisted);
  }
}

export function isStale(result: StoredResult, now: Date, maxAgeMinutes: number): boolean {
  if (result.manual) return false;
  const at = Date.parse(result.checkedAt);
  return !Number.isFinite(at) || now.getTime() - at > maxAgeMinutes * 60_000;
}

function runKey(server: string, stepId: string): string {
  return `${server}\u0000${stepId}`;
}

/** Checks the persisted shape strictly; returns a reason string when it cannot be trusted. */
function parsePersisted(raw: unknown): Persisted | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'The stored check results are not an object.';
  const o = raw as { version?: unknown; results?: unknown };
  if (o.version !== RESULTS_STATE_VERSION) return `The stored check results have version ${String(o.version)}, expected ${RESULTS_STATE_VERSION}.`;
  if (typeof o.results !== 'object' || o.results === null || Array.isArray(o.results)) return 'The stored check results have no result table.';
  const servers = Object.entries(o.results as Record<string, unknown>);
  if (servers.length > STORED_LIMITS.servers) return `The stored check results name ${servers.length} servers; at most ${STORED_LIMITS.servers} are accepted.`;
  for (const [server, steps] of servers) {
    if (typeof steps !== 'object' || steps === null || Array.isArray(steps)) return `The stored results of ${server} are not a table.`;
    if (Object.keys(steps).length > STORED_LIMITS.stepsPerServer) return `The stored results of ${server} have too many steps.`;
    for (const [stepId, r] of Object.entries(steps as Record<string, unknown>)) {
      if (!isStoredResult(r, stepId)) return `The stored result of ${stepId} on ${server} is unreadable.`;
    }
  }
  return o as Persisted;
}

/** Caps on a stored state read back: far above what checks write, low enough that a tampered state cannot hurt. */
export const STORED_LIMITS = { servers: 5000, stepsPerServer: 200, evidence: 500, text: 100_000 } as const;

const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= STORED_LIMITS.text;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isStoredResult(r: unknown, stepId: string): r is StoredResult {
  if (!isObject(r)) return false;
  const x = r;
  return x.stepId === stepId
    && typeof x.status === 'string' && (STATUSES as readonly string[]).includes(x.status)
    && isText(x.summary) && isText(x.reason) && isText(x.checkedAt)
    && Array.isArray(x.evidence) && x.evidence.length <= STORED_LIMITS.evidence
    && x.evidence.every((e) => isObject(e) && isText((e as unknown as Evidence).label) && isText((e as unknown as Evidence).value))
    // Every optional field is type-checked too: a wrong-typed one would make every refresh of the tree throw.
    && (x.code === undefined || isText(x.code))
    && (x.highRisk === undefined || typeof x.highRisk === 'boolean')
    && (x.policy === undefined || (isObject(x.policy) && isText(x.policy.setting) && isText(x.policy.policy) && isText(x.policy.proposal)))
    && (x.manual === undefined || (isObject(x.manual) && isText(x.manual.by) && isText(x.manual.at)));
}

function safeClone(raw: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(raw)) as unknown;
  } catch {
    return String(raw);
  }
}
