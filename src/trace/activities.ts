// Activities: events grouped by ActivityID, Transfer edges (ActivityID → RelatedActivityID), Start/Stop/Suspend/Resume
// bounds and durations, names from Start events.

import type { TraceCollection } from './collection';
import { TraceLevel } from './types';

export interface ActivitySummary {
  readonly id: string;
  /** From the first Start event (WCF ExtendedData/ActivityName, or the plain text of a user-code Start); '' if none. */
  readonly name: string;
  readonly events: number;
  /** Instants in ms since the epoch (NaN when unknown). */
  readonly firstMs: number;
  readonly lastMs: number;
  /** First Start and last Stop instants (NaN when absent). */
  readonly startMs: number;
  readonly stopMs: number;
  /** stop − start when both exist, else last − first. */
  readonly durationMs: number;
  /** Time between Suspend and the following Resume events, summed. */
  readonly suspendedMs: number;
  readonly starts: number;
  readonly stops: number;
  readonly errors: number;
  readonly warnings: number;
  readonly transfersOut: number;
  readonly transfersIn: number;
  /** The empty GUID: the ambient root activity. */
  readonly isRoot: boolean;
  /** Activities this one transferred to (distinct, in time order). */
  readonly transfersTo: readonly string[];
  /** The first activity that transferred to this one ('' if none): the parent in the activity tree. */
  readonly parent: string;
}

export interface TransferEdge {
  readonly from: string;
  readonly to: string;
  readonly file: number;
  readonly row: number;
  readonly ms: number;
}

export interface ActivityGraph {
  readonly activities: readonly ActivitySummary[];
  readonly edges: readonly TransferEdge[];
}

const EMPTY_GUID = /^\{?0{8}-0{4}-0{4}-0{4}-0{12}\}?$/;

interface Acc {
  to: number[]; parent: number;
  events: number; firstMs: number; lastMs: number; startMs: number; stopMs: number; suspendedMs: number; suspendAt: number;
  starts: number; stops: number; errors: number; warnings: number; out: number; in: number;
}

/** Builds the activity list (ordered by first event) and the transfer graph over the whole collection, in time order. */
export function buildActivities(collection: TraceCollection): ActivityGraph {
  const pools = collection.pools;
  const accs = new Map<number, Acc>();
  const get = (id: number): Acc => {
    let a = accs.get(id);
    if (!a) {
      a = { to: [], parent: -1, events: 0, firstMs: NaN, lastMs: NaN, startMs: NaN, stopMs: NaN, suspendedMs: 0, suspendAt: NaN, starts: 0, stops: 0, errors: 0, warnings: 0, out: 0, in: 0 };
      accs.set(id, a);
    }
    return a;
  };
  const edges: TransferEdge[] = [];
  const order = collection.timeOrder();
  for (let i = 0; i < order.rows.length; i++) {
    const file = order.files[i];
    const s = collection.files[file].store;
    const r = order.rows[i];
    const id = s.activity[r];
    const a = get(id);
    const t = s.ms[r];
    a.events++;
    if (Number.isFinite(t)) {
      if (!Number.isFinite(a.firstMs)) a.firstMs = t;
      a.lastMs = t;
    }
    switch (s.level[r]) {
      case TraceLevel.Start: a.starts++; if (!Number.isFinite(a.startMs)) a.startMs = t; break;
      case TraceLevel.Stop: a.stops++; a.stopMs = t; break;
      case TraceLevel.Suspend: a.suspendAt = t; break;
      case TraceLevel.Resume: if (Number.isFinite(a.suspendAt) && Number.isFinite(t)) a.suspendedMs += t - a.suspendAt; a.suspendAt = NaN; break;
      case TraceLevel.Error: case TraceLevel.Critical: a.errors++; break;
      case TraceLevel.Warning: a.warnings++; break;
      case TraceLevel.Transfer: {
        const to = s.related[r];
        if (to !== 0) {
          a.out++;
          const target = get(to);
          target.in++;
          if (target.parent < 0 && to !== id) target.parent = id;
          if (!a.to.includes(to)) a.to.push(to);
          edges.push({ from: pools.activity.get(id), to: pools.activity.get(to), file, row: r, ms: t });
        }
        break;
      }
      default: break;
    }
  }
  const names = new Map<number, number>();
  for (const f of collection.files) for (const [act, name] of f.store.activityNames) if (!names.has(act)) names.set(act, name);
  const activities: ActivitySummary[] = [];
  for (const [id, a] of accs) {
    const idText = pools.activity.get(id);
    const hasBounds = Number.isFinite(a.startMs) && Number.isFinite(a.stopMs);
    activities.push({
      id: idText,
      name: pools.names.get(names.get(id) ?? 0),
      events: a.events,
      firstMs: a.firstMs,
      lastMs: a.lastMs,
      startMs: a.startMs,
      stopMs: a.stopMs,
      durationMs: hasBounds ? a.stopMs - a.startMs : a.lastMs - a.firstMs,
      suspendedMs: a.suspendedMs,
      starts: a.starts,
      stops: a.stops,
      errors: a.errors,
      warnings: a.warnings,
      transfersOut: a.out,
      transfersIn: a.in,
      isRoot: id === 0 || EMPTY_GUID.test(idText),
      transfersTo: a.to.map((t) => pools.activity.get(t)),
      parent: a.parent >= 0 ? pools.activity.get(a.parent) : '',
    });
  }
  return { activities, edges };
}
