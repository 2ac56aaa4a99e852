// The graph view's layout (Service Trace Viewer's signature view), limited to one activity's neighbourhood: the
// activity, the activities it transfers to and those that transfer to it. Activities are columns, grouped by process
// (PID) and ordered by their first event; events are rows in time order; transfers are arrows between activities and
// logged messages arrows between processes (a send and a receive of the same MessageID). Pure.

import type { TraceCollection } from '../trace';
import type { GraphDto } from './protocol';

export const GRAPH_MAX_COLUMNS = 12;
export const GRAPH_MAX_EVENTS = 400;

/** WS-Addressing ids of logged messages, by "file:row" (read from the events by the caller). */
export type MessageIds = ReadonlyMap<string, { readonly messageId: string; readonly relatesTo: string; readonly direction: string }>;

/**
 * Lays out the neighbourhood of `activityId`. `label` names an activity; `messageIds` (optional) gives the message
 * arrows. The events of the view are those of the included activities, in time order (at most GRAPH_MAX_EVENTS).
 */
export function layoutGraph(c: TraceCollection, activityId: string, label: (id: string) => string, messageIds?: MessageIds): GraphDto {
  const pools = c.pools;
  const center = pools.activity.find(activityId);
  if (center <= 0) return { activityId, columns: [], events: [], arrows: [], truncated: false };
  // The neighbourhood: transfers from and to the centre activity.
  const ids = new Set<number>([center]);
  const order = c.timeOrder();
  for (let i = 0; i < order.rows.length && ids.size < GRAPH_MAX_COLUMNS; i++) {
    const s = c.files[order.files[i]].store, r = order.rows[i];
    const a = s.activity[r], rel = s.related[r];
    if (rel === 0 || a === rel) continue;
    if (a === center && !ids.has(rel)) ids.add(rel);
    else if (rel === center && a !== 0 && !ids.has(a)) ids.add(a);
  }
  // Events of those activities, in time order.
  type Ev = { file: number; row: number; act: number; pid: number; proc: number };
  const evs: Ev[] = [];
  let truncated = false;
  // At most GRAPH_MAX_COLUMNS (activity, process) columns: events of further pairs are left out.
  const seenCols = new Set<string>();
  for (let i = 0; i < order.rows.length; i++) {
    const f = order.files[i], r = order.rows[i];
    const s = c.files[f].store;
    if (!ids.has(s.activity[r])) continue;
    if (evs.length >= GRAPH_MAX_EVENTS) { truncated = true; break; }
    const key = `${s.activity[r]}|${s.processId[r]}`;
    if (!seenCols.has(key)) {
      if (seenCols.size >= GRAPH_MAX_COLUMNS) { truncated = true; continue; }
      seenCols.add(key);
    }
    evs.push({ file: f, row: r, act: s.activity[r], pid: s.processId[r], proc: s.process[r] });
  }
  // Columns: one per (activity, process) pair seen, grouped by process in order of first appearance.
  const colKey = (e: Ev): string => `${e.act}|${e.pid}`;
  const firstOfProcess = new Map<number, number>();
  const cols = new Map<string, { act: number; pid: number; proc: number; first: number }>();
  evs.forEach((e, k) => {
    if (!firstOfProcess.has(e.pid)) firstOfProcess.set(e.pid, k);
    if (!cols.has(colKey(e))) cols.set(colKey(e), { act: e.act, pid: e.pid, proc: e.proc, first: k });
  });
  const sorted = [...cols.entries()].sort((a, b) => (firstOfProcess.get(a[1].pid) ?? 0) - (firstOfProcess.get(b[1].pid) ?? 0) || a[1].first - b[1].first);
  const colIndex = new Map(sorted.map(([k], i) => [k, i]));
  const columns = sorted.map(([, v]) => {
    const id = pools.activity.get(v.act);
    return { activityId: id, label: label(id), process: `${pools.process.get(v.proc)} (${v.pid})`, processId: v.pid };
  });
  const events = evs.map((e) => {
    const row = c.row(e.file, e.row);
    return { column: colIndex.get(colKey(e)) ?? 0, file: e.file, row: e.row, time: row.time, level: row.level, message: row.message, relatedActivityId: row.relatedActivityId };
  });
  // Transfer arrows: from the Transfer event to the first event of the target activity at or after it.
  const arrows: GraphDto['arrows'][number][] = [];
  events.forEach((e, k) => {
    if (e.level !== 'Transfer' || !e.relatedActivityId) return;
    const target = pools.activity.find(e.relatedActivityId);
    if (!ids.has(target)) return;
    for (let j = k + 1; j < evs.length; j++) if (evs[j].act === target) { arrows.push({ from: k, to: j, kind: 'transfer' }); return; }
  });
  // Message arrows: a send and the receive of the same message id in another process.
  if (messageIds) {
    const sends = new Map<string, number>();
    events.forEach((e, k) => {
      const m = messageIds.get(`${e.file}:${e.row}`);
      const key = m && (m.messageId || m.relatesTo);
      if (m && key && m.direction === 'send') sends.set(key, k);
    });
    events.forEach((e, k) => {
      const m = messageIds.get(`${e.file}:${e.row}`);
      const key = m && (m.messageId || m.relatesTo);
      const from = key ? sends.get(key) : undefined;
      if (m && from !== undefined && m.direction === 'receive' && evs[from].pid !== evs[k].pid) arrows.push({ from, to: k, kind: 'message' });
    });
  }
  return { activityId, columns, events, arrows, truncated };
}
