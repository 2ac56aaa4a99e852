// The webview's filter (FilterDto) as the trace engine takes it (TraceFilter): typed times read in the user's locale
// or as ISO with a zone, process and thread picks as `pid:value` keys, a regex validated first. Pure.

import { parseTime, splitKey, type TraceFilter } from '../trace';
import type { FilterDto } from './protocol';
import { readUserTime } from './userTime';

/** True when the filter shows every event (damage rows fit only such a view). */
export function narrowsNothing(f: FilterDto): boolean {
  return f.levels.length === 0 && f.sources.length === 0 && f.processes.length === 0 && f.threads.length === 0
    && !f.activityId && !f.from && !f.to && !f.text;
}

/**
 * A typed time → ms. A time with a zone (Z or an offset) is read by the engine's parser, exact to its 100 ns ticks (so
 * "to" an event's own time includes it); anything else by readUserTime (local time, the locale's date order).
 */
function timeMs(text: string | undefined, what: string, locale: string | undefined): number | undefined {
  if (!text) return undefined;
  const s = text.trim();
  if (/(?:Z|[+-]\d{2}:?\d{2})$/i.test(s) && /^\d{4}-/.test(s)) {
    const t = parseTime(s);
    const ms = t.ms + t.ticks / 10000;
    if (Number.isFinite(ms)) return ms;
  }
  try {
    return readUserTime(s, locale).ms;
  } catch (e) {
    throw new Error(`The ${what} time: ${(e as Error).message}`);
  }
}

/** How the filter's typed times were read (ISO with zone), for showing back to the user; undefined when unreadable. */
export function timesRead(f: FilterDto): { from?: string; to?: string } | undefined {
  if (!f.from && !f.to) return undefined;
  const one = (t: string | undefined): string | undefined => {
    if (!t) return undefined;
    try { return readUserTime(t, f.locale).readAs; } catch { return undefined; }
  };
  return { from: one(f.from), to: one(f.to) };
}

/** FilterDto → the engine's TraceFilter (throws on a bad regex or time). */
export function toEngineFilter(f: FilterDto): TraceFilter {
  if (f.text && f.regex) new RegExp(f.text); // eslint-disable-line no-new -- validate early, with the engine's message
  const procs = byKey(f.processes);
  const threads = byKey(f.threads);
  return {
    levels: f.levels.length ? f.levels : undefined,
    sources: f.sources.length ? f.sources : undefined,
    processes: procs.names,
    processKeys: procs.keys,
    threads: threads.names,
    threadKeys: threads.keys,
    activities: f.activityId ? [f.activityId] : undefined,
    fromMs: timeMs(f.from, 'from', f.locale),
    toMs: timeMs(f.to, 'to', f.locale),
    text: f.text || undefined,
    regex: f.regex || undefined,
  };
}

/**
 * Process and thread picks are `pid:value` keys (one run of a process, one thread of one run); a plain value (a saved
 * filter from before PIDs were told apart) picks every run. A mix is read as plain values.
 */
function byKey(values: readonly string[]): { keys?: string[]; names?: string[] } {
  if (values.length === 0) return {};
  const split = values.map((v) => splitKey(v));
  if (split.every((x) => x !== undefined)) return { keys: [...values] };
  return { names: values.map((v, i) => split[i]?.rest ?? v) };
}
