// Many files as one: a collection of decoded files sharing string pools, a cached merge by instant, filtered views,
// facet counts, and the async helpers that read files through a FileAccess (open with progress/cancel, follow).

import { TraceDecoder, type DecoderOptions, type ResumeState } from './decoder';
import { parseEventDetails, type TraceEventDetails } from './details';
import { FLAG_DAMAGED, TracePools, TraceStore } from './store';
import { parseTime } from './time';
import {
  LEVEL_COUNT, LEVEL_NAMES, TraceCancelledError, levelFromName,
  type CancelSignal, type DamageRange, type FileAccess, type TextEncodingName, type TraceLevelValue, type TraceRow,
} from './types';

export interface TraceFile {
  readonly index: number;
  /** Path or URI string as given to addFile (the engine never opens it itself). */
  readonly path: string;
  decoder: TraceDecoder;
  readonly store: TraceStore;
  /** First bytes seen (up to 4 KiB), to recognise rotation when following. */
  head: Uint8Array;
}

/** Which rows a view shows. Every field is optional; all given fields must match (AND). */
export interface TraceFilter {
  /** Level names or values. */
  readonly levels?: ReadonlyArray<string | TraceLevelValue>;
  readonly sources?: readonly string[];
  readonly processes?: readonly string[];
  readonly processIds?: readonly number[];
  readonly threads?: readonly string[];
  readonly computers?: readonly string[];
  /** Rows whose ActivityID or RelatedActivityID is one of these. */
  readonly activities?: readonly string[];
  readonly eventIds?: readonly number[];
  /** File indexes. */
  readonly files?: readonly number[];
  /** Instant range in ms since the epoch (inclusive; fractions compare the 100 ns ticks). */
  readonly fromMs?: number;
  readonly toMs?: number;
  /** The same range as ISO-8601 text (`Z` or an offset; used when fromMs/toMs are not given). */
  readonly from?: string;
  readonly to?: string;
  /**
   * Text searched (case-insensitive substring) in message, source, process, thread, computer and activity ids.
   * With `regex: true` it is a regular expression (flags `i` unless caseSensitive).
   */
  readonly text?: string;
  readonly regex?: boolean;
  readonly caseSensitive?: boolean;
  /**
   * Full-text hits of `text` (searchFullText), per file index: rows flagged 1 match the text even when no list field
   * does (a value only in the SOAP body, the exception, the XML).
   */
  readonly textHits?: ReadonlyArray<Uint8Array | undefined>;
  /** Processes as `pid:name` keys (processKey): one run of a process, told apart from other runs by its PID. */
  readonly processKeys?: readonly string[];
  /** Threads as `pid:threadId` keys (threadKey): a thread of one process, not every thread with that id. */
  readonly threadKeys?: readonly string[];
  readonly damagedOnly?: boolean;
}

/** The key of one process run: its PID and name (`1234:w3wp`). */
export function processKey(pid: number, name: string): string {
  return `${pid}:${name}`;
}

/** The key of one thread of one process: the process's PID and the thread id (`1234:7`). */
export function threadKey(pid: number, threadId: string): string {
  return `${pid}:${threadId}`;
}

/** Splits a `pid:rest` key (undefined when it is not one). */
export function splitKey(key: string): { pid: number; rest: string } | undefined {
  const m = /^(\d{1,10}):/.exec(key);
  return m ? { pid: Number(m[1]), rest: key.slice(m[0].length) } : undefined;
}

/** Row predicate for `pid:value` keys over a (processId, pooled value) column pair, or undefined if none can match. */
function keyPredicate(keys: readonly string[], pool: { find(s: string): number }, pidCol: Uint32Array, valCol: Uint32Array): Pred {
  const want = new Map<number, Set<number>>();
  for (const k of keys) {
    const p = splitKey(k);
    if (!p) continue;
    const id = pool.find(p.rest);
    if (id < 0) continue;
    let set = want.get(p.pid);
    if (!set) want.set(p.pid, (set = new Set()));
    set.add(id);
  }
  return (r) => want.get(pidCol[r])?.has(valCol[r]) === true;
}

export type TraceOrder = 'time' | 'file';

/** All rows merged by instant: parallel (file, row) arrays, and per file the merged position of each row. */
export interface TimeOrder {
  readonly version: number;
  readonly files: Uint16Array;
  readonly rows: Uint32Array;
  readonly positions: readonly Uint32Array[];
}

export interface FacetCount {
  readonly value: string;
  readonly count: number;
}

export interface TraceFacets {
  readonly total: number;
  readonly levels: readonly FacetCount[];
  readonly sources: readonly FacetCount[];
  readonly processes: readonly FacetCount[];
  readonly threads: readonly FacetCount[];
  readonly computers: readonly FacetCount[];
  readonly files: readonly FacetCount[];
  /** Runs of a process: value processKey(pid, name). */
  readonly processRuns: readonly FacetCount[];
  /** Threads of a process run: value threadKey(pid, threadId). */
  readonly processThreads: readonly FacetCount[];
}

/** A filtered, ordered list of rows: (file, row) pairs. */
export class TraceView {
  constructor(
    private readonly collection: TraceCollection,
    readonly files: Uint16Array,
    readonly rows: Uint32Array,
    /** Collection version the view was computed at. */
    readonly version: number,
  ) {}

  get length(): number {
    return this.rows.length;
  }

  /** Row objects for view positions [start, start + count). */
  window(start: number, count: number): TraceRow[] {
    const out: TraceRow[] = [];
    const end = Math.min(this.rows.length, Math.max(0, start) + Math.max(0, count));
    for (let i = Math.max(0, start); i < end; i++) out.push(this.collection.row(this.files[i], this.rows[i], i));
    return out;
  }

  row(i: number): TraceRow | undefined {
    if (i < 0 || i >= this.rows.length) return undefined;
    return this.collection.row(this.files[i], this.rows[i], i);
  }

  /** View position of (file, row), or -1. */
  indexOf(file: number, row: number): number {
    for (let i = 0; i < this.rows.length; i++) if (this.rows[i] === row && this.files[i] === file) return i;
    return -1;
  }
}

export class TraceCollection {
  readonly pools: TracePools;
  readonly files: TraceFile[] = [];
  private orderCache: TimeOrder | undefined;
  private removedVersion = 0;

  /** `pools` lets several collections share string ids (default: a new set). */
  constructor(readonly decoderOptions: Omit<DecoderOptions, 'store' | 'pools' | 'file'> = {}, pools?: TracePools) {
    this.pools = pools ?? new TracePools();
  }

  /** Registers a file and returns it; feed it with feed()/end() or openFile(). */
  addFile(path: string): TraceFile {
    const index = this.files.length;
    const store = new TraceStore(this.pools);
    const decoder = new TraceDecoder({ ...this.decoderOptions, store, file: index });
    const f: TraceFile = { index, path, decoder, store, head: new Uint8Array(0) };
    this.files.push(f);
    return f;
  }

  /** Starts a file over (truncated or rotated): its events and damage are dropped. */
  resetFile(file: number): void {
    const f = this.files[file];
    f.store.clear();
    f.decoder = new TraceDecoder({ ...this.decoderOptions, store: f.store, file });
    f.head = new Uint8Array(0);
    this.removedVersion++;
  }

  /**
   * Lets an ended file continue (it grew): a new decoder resumes after the last complete event. `state` resumes from
   * elsewhere instead (an index read from the cache, or ranges decoded in parallel and merged into the store).
   */
  reopenFile(file: number, state?: ResumeState): void {
    const f = this.files[file];
    f.decoder = new TraceDecoder({ ...this.decoderOptions, store: f.store, file, resume: state ?? f.decoder.resumeState() });
  }

  /** Sum of all store versions: changes whenever any event is added or a file is reset. */
  get version(): number {
    let v = this.removedVersion * 1_000_000_007;
    for (const f of this.files) v += f.store.version;
    return v;
  }

  get count(): number {
    let n = 0;
    for (const f of this.files) n += f.store.count;
    return n;
  }

  damage(): DamageRange[] {
    return this.files.flatMap((f) => f.decoder.damage.map((d) => ({ ...d, file: f.index })));
  }

  /**
   * Damaged ranges of every file that are final: without the provisional `truncated` range a decoder reports for an
   * event still arriving (a file being read or followed, or one whose reading was cancelled: its tail was not read).
   */
  settledDamage(): DamageRange[] {
    const out: DamageRange[] = [];
    for (const f of this.files) {
      const fed = f.decoder.bytesFed;
      for (const d of f.decoder.damage) {
        if (!f.decoder.done && d.reason === 'truncated' && d.end >= fed) continue;
        out.push({ ...d, file: f.index });
      }
    }
    return out;
  }

  /** How far a file has been read: bytes given to its decoder, and whether its end was reached. */
  fileProgress(file: number): { readonly bytesRead: number; readonly done: boolean } {
    const d = this.files[file].decoder;
    return { bytesRead: d.bytesFed, done: d.done };
  }

  row(file: number, row: number, index = row): TraceRow {
    return this.files[file].store.row(row, file, index);
  }

  encoding(file: number): TextEncodingName {
    return this.files[file].decoder.encoding ?? 'utf-8';
  }

  /** All rows merged by instant (stable: equal instants keep file then file order; unparseable times keep their place). */
  timeOrder(): TimeOrder {
    const version = this.version;
    if (this.orderCache && this.orderCache.version === version) return this.orderCache;
    if (this.files.length === 1) {
      const fast = this.inFileOrder(version);
      if (fast) { this.orderCache = fast; return fast; }
    }
    let merged: { files: Uint16Array; rows: Uint32Array; ms: Float64Array; ticks: Uint16Array } | undefined;
    for (const f of this.files) {
      const one = sortedFile(f.store, f.index);
      merged = merged ? mergeRuns(merged, one) : one;
    }
    const files = merged ? merged.files : new Uint16Array(0);
    const rows = merged ? merged.rows : new Uint32Array(0);
    // Merged position of every (file, row), for multi-file filtering (not needed for one file).
    const positions: Uint32Array[] = [];
    if (this.files.length > 1) {
      for (const f of this.files) positions.push(new Uint32Array(f.store.count));
      for (let i = 0; i < rows.length; i++) positions[files[i]][rows[i]] = i;
    }
    const result: TimeOrder = { version, files, rows, positions };
    this.orderCache = result;
    return result;
  }

  /**
   * One file whose instants never decrease (the usual case): time order is file order. Checked only over the rows
   * added since the last call, so refreshing a view while a file is read costs no sort and no new arrays.
   */
  private inFileOrder(version: number): TimeOrder | undefined {
    const s = this.files[0].store;
    let o = this.fileOrder;
    if (!o || o.store !== s || o.removed !== this.removedVersion || s.count < o.count) {
      o = this.fileOrder = { store: s, removed: this.removedVersion, count: 0, lastMs: -8.64e15, lastTicks: 0, ordered: true, rows: new Uint32Array(0), zeros: new Uint16Array(0) };
    }
    if (!o.ordered) return undefined;
    const n = s.count;
    const ms = s.ms, ticks = s.ticks;
    let lastMs = o.lastMs, lastTicks = o.lastTicks;
    for (let r = o.count; r < n; r++) {
      const t = ms[r];
      if (!Number.isFinite(t)) continue; // unparseable times keep their place
      const k = ticks[r];
      if (t < lastMs || (t === lastMs && k < lastTicks)) { o.ordered = false; return undefined; }
      lastMs = t; lastTicks = k;
    }
    if (o.rows.length < n) {
      const rows = new Uint32Array(Math.max(n, Math.ceil(o.rows.length * 1.5)));
      for (let r = 0; r < rows.length; r++) rows[r] = r;
      o.rows = rows;
      o.zeros = new Uint16Array(rows.length);
    }
    o.count = n; o.lastMs = lastMs; o.lastTicks = lastTicks;
    return { version, files: o.zeros.subarray(0, n), rows: o.rows.subarray(0, n), positions: [] };
  }

  private fileOrder: {
    store: TraceStore; removed: number; count: number; lastMs: number; lastTicks: number; ordered: boolean; rows: Uint32Array; zeros: Uint16Array;
  } | undefined;

  /** Rows matching the filter, in time order (merged) or file order. */
  query(filter: TraceFilter = {}, order: TraceOrder = 'time'): TraceView {
    const version = this.version;
    if (order === 'file') {
      const parts = this.files.map((f) => filterRows(f.store, filter, f.index, null));
      let total = 0;
      for (const p of parts) total += p ? p.length : 0;
      const files = new Uint16Array(total);
      const rows = new Uint32Array(total);
      let n = 0;
      parts.forEach((p, fi) => { if (p) { rows.set(p, n); files.fill(fi, n, n + p.length); n += p.length; } });
      return new TraceView(this, files, rows, version);
    }
    const ord = this.timeOrder();
    if (this.files.length === 1) {
      const rows = filterRows(this.files[0].store, filter, 0, ord.rows) ?? new Uint32Array(0);
      return new TraceView(this, new Uint16Array(rows.length), rows, version);
    }
    // Several files: filter each file in file order, mark the matches' merged positions, read them back in order.
    const total = ord.rows.length;
    const mark = new Uint8Array(total);
    let n = 0;
    for (const f of this.files) {
      const m = filterRows(f.store, filter, f.index, null);
      if (!m) continue;
      const pos = ord.positions[f.index];
      for (let i = 0; i < m.length; i++) mark[pos[m[i]]] = 1;
      n += m.length;
    }
    const files = new Uint16Array(n);
    const rows = new Uint32Array(n);
    let k = 0;
    for (let i = 0; i < total; i++) if (mark[i] === 1) { files[k] = ord.files[i]; rows[k] = ord.rows[i]; k++; }
    return new TraceView(this, files, rows, version);
  }

  /** Counts per level, source, process, thread, computer and file over a view (or all events). */
  facets(view?: TraceView): TraceFacets {
    const pools = this.pools;
    const levels = new Float64Array(LEVEL_COUNT);
    const sources = new Float64Array(pools.source.size);
    const processes = new Float64Array(pools.process.size);
    const threads = new Float64Array(pools.thread.size);
    const computers = new Float64Array(pools.computer.size);
    const files = new Float64Array(this.files.length);
    const add = (s: TraceStore, r: number): void => {
      levels[s.level[r]]++; sources[s.source[r]]++; processes[s.process[r]]++; threads[s.thread[r]]++; computers[s.computer[r]]++;
    };
    let total = 0;
    if (view) {
      total = view.length;
      if (this.files.length === 1) {
        const s = this.files[0].store;
        const lv = s.level, so = s.source, pr = s.process, th = s.thread, co = s.computer, rows = view.rows;
        for (let i = 0; i < rows.length; i++) { const r = rows[i]; levels[lv[r]]++; sources[so[r]]++; processes[pr[r]]++; threads[th[r]]++; computers[co[r]]++; }
        files[0] = rows.length;
      } else {
        for (let i = 0; i < view.rows.length; i++) { const f = view.files[i]; add(this.files[f].store, view.rows[i]); files[f]++; }
      }
    } else {
      for (const f of this.files) {
        const s = f.store;
        for (let r = 0; r < s.count; r++) add(s, r);
        files[f.index] = s.count;
        total += s.count;
      }
    }
    // (PID, process) and (PID, thread) pairs, as pid * 2^21 + pool id.
    // Rows come in runs of the same pair (one thread logs many events in a row): a run is counted once into the map.
    const runs = new Map<number, number>(), thr = new Map<number, number>();
    let lastA = -1, lastB = -1, countA = 0, countB = 0;
    const pair = (s: TraceStore, r: number): void => {
      const pid = s.processId[r] * 2097152;
      const a = pid + s.process[r], b = pid + s.thread[r];
      if (a === lastA) countA++;
      else { if (countA > 0) runs.set(lastA, (runs.get(lastA) ?? 0) + countA); lastA = a; countA = 1; }
      if (b === lastB) countB++;
      else { if (countB > 0) thr.set(lastB, (thr.get(lastB) ?? 0) + countB); lastB = b; countB = 1; }
    };
    if (view) for (let i = 0; i < view.rows.length; i++) pair(this.files[this.files.length === 1 ? 0 : view.files[i]].store, view.rows[i]);
    else for (const f of this.files) for (let r = 0; r < f.store.count; r++) pair(f.store, r);
    if (countA > 0) runs.set(lastA, (runs.get(lastA) ?? 0) + countA);
    if (countB > 0) thr.set(lastB, (thr.get(lastB) ?? 0) + countB);
    const pairs = (m: Map<number, number>, pool: { get(i: number): string }): FacetCount[] => [...m]
      .map(([k, count]) => ({ value: `${Math.floor(k / 2097152)}:${pool.get(k % 2097152)}`, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    const list = (counts: Float64Array, name: (i: number) => string): FacetCount[] => {
      const out: FacetCount[] = [];
      for (let i = 0; i < counts.length; i++) if (counts[i] > 0) out.push({ value: name(i), count: counts[i] });
      return out.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    };
    return {
      total,
      levels: list(levels, (i) => LEVEL_NAMES[i]),
      sources: list(sources, (i) => pools.source.get(i)),
      processes: list(processes, (i) => pools.process.get(i)),
      threads: list(threads, (i) => pools.thread.get(i)),
      computers: list(computers, (i) => pools.computer.get(i)),
      files: list(files, (i) => this.files[i].path),
      processRuns: pairs(runs, pools.process),
      processThreads: pairs(thr, pools.thread),
    };
  }

  /** Reads one event's bytes through `access` and parses its details. */
  async details(access: FileAccess, file: number, row: number): Promise<TraceEventDetails> {
    const f = this.files[file];
    const bytes = await access.read(f.path, f.store.offset[row], f.store.length[row]);
    return parseEventDetails(bytes, this.encoding(file));
  }

  /** Approximate retained bytes: columns plus pools. */
  retainedBytes(): number {
    let n = this.pools.retainedBytes();
    for (const f of this.files) n += f.store.columnBytes();
    return n;
  }
}

type Pred = (row: number) => boolean;

function mask(size: number, ids: Iterable<number>): Uint8Array {
  const m = new Uint8Array(size);
  for (const id of ids) if (id >= 0 && id < size) m[id] = 1;
  return m;
}

/** Compiles a filter into a row predicate over one store, or undefined if no row can match. */
export function compileFilter(s: TraceStore, filter: TraceFilter, fileIndex: number): Pred | undefined {
  const pools = s.pools;
  if (filter.files && !filter.files.includes(fileIndex)) return undefined;
  // Facet conditions become byte masks indexed by pool id; the predicate reads the columns directly.
  let lm: Uint8Array | null = null;
  if (filter.levels && filter.levels.length) {
    lm = new Uint8Array(LEVEL_COUNT);
    for (const l of filter.levels) {
      const v = typeof l === 'number' ? l : levelFromName(l);
      if (v !== undefined) lm[v] = 1;
    }
  }
  const poolIds = (values: readonly string[] | undefined, pool: { size: number; find(s: string): number }): Uint8Array | null =>
    values ? mask(pool.size, values.map((v) => pool.find(v))) : null;
  const sm = poolIds(filter.sources, pools.source);
  const pm = poolIds(filter.processes, pools.process);
  const tm = poolIds(filter.threads, pools.thread);
  const cm = poolIds(filter.computers, pools.computer);
  const lv = s.level, so = s.source, pr = s.process, th = s.thread, co = s.computer;
  const facets: Pred | null = lm || sm || pm || tm || cm
    ? (lm && !sm && !pm && !tm && !cm ? (r) => lm[lv[r]] === 1
      : (r) => (lm === null || lm[lv[r]] === 1) && (sm === null || sm[so[r]] === 1) && (pm === null || pm[pr[r]] === 1)
        && (tm === null || tm[th[r]] === 1) && (cm === null || cm[co[r]] === 1))
    : null;
  const checks: Pred[] = [];
  if (filter.processIds) {
    const set = new Set(filter.processIds);
    const col = s.processId;
    checks.push((r) => set.has(col[r]));
  }
  if (filter.eventIds) {
    const set = new Set(filter.eventIds);
    const col = s.eventId;
    checks.push((r) => set.has(col[r]));
  }
  if (filter.activities) {
    const m = mask(pools.activity.size, filter.activities.map((v) => pools.activity.find(v)));
    m[0] = 0;
    const act = s.activity, rel = s.related;
    checks.push((r) => m[act[r]] === 1 || m[rel[r]] === 1);
  }
  if (filter.fromMs !== undefined || filter.toMs !== undefined) {
    const from = filter.fromMs ?? -Infinity;
    const to = filter.toMs ?? Infinity;
    const ms = s.ms, ticks = s.ticks;
    checks.push((r) => { const t = ms[r] + ticks[r] / 10000; return t >= from && t <= to; });
  }
  if (filter.damagedOnly) { const fl = s.flags; checks.push((r) => (fl[r] & FLAG_DAMAGED) !== 0); }
  if (filter.processKeys) checks.push(keyPredicate(filter.processKeys, pools.process, s.processId, s.process));
  if (filter.threadKeys) checks.push(keyPredicate(filter.threadKeys, pools.thread, s.processId, s.thread));
  if (filter.text !== undefined && filter.text !== '') {
    // The text is tested once per distinct string (pools), then rows only look up masks.
    const test = textTester(filter);
    const poolMask = (pool: TextPool): Uint8Array => textMask(pool, filter, test);
    const mm = poolMask(pools.message), xs = poolMask(pools.source), xp = poolMask(pools.process), xt = poolMask(pools.thread);
    const xc = poolMask(pools.computer), xa = poolMask(pools.activity);
    const msg = s.message, act = s.activity, rel = s.related;
    const anyOther = xs.includes(1) || xp.includes(1) || xt.includes(1) || xc.includes(1) || xa.includes(1);
    const hit = filter.textHits?.[fileIndex];
    const full: Pred = hit ? (r) => hit[r] === 1 : () => false;
    if (!anyOther) checks.push((r) => mm[msg[r]] === 1 || full(r));
    else {
      checks.push((r) => mm[msg[r]] === 1 || xs[so[r]] === 1 || xp[pr[r]] === 1 || xt[th[r]] === 1
        || xc[co[r]] === 1 || xa[act[r]] === 1 || xa[rel[r]] === 1 || full(r));
    }
  }
  if (facets) checks.unshift(facets);
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0];
  if (checks.length === 2) { const [c1, c2] = checks; return (r) => c1(r) && c2(r); }
  return (r) => { for (const c of checks) if (!c(r)) return false; return true; };
}

// ---------------------------------------------------------------------------------------------------------------
// Filtering as a pipeline of tight passes over typed arrays: each condition narrows the row list of the previous one.

function pass8(rows: Uint32Array, n: number, out: Uint32Array, col: Uint8Array, m: Uint8Array): number {
  let k = 0;
  for (let i = 0; i < n; i++) { const r = rows[i]; if (m[col[r]] === 1) out[k++] = r; }
  return k;
}

function pass32(rows: Uint32Array, n: number, out: Uint32Array, col: Uint32Array, m: Uint8Array): number {
  let k = 0;
  for (let i = 0; i < n; i++) { const r = rows[i]; if (m[col[r]] === 1) out[k++] = r; }
  return k;
}

function passEither32(rows: Uint32Array, n: number, out: Uint32Array, a: Uint32Array, b: Uint32Array, m: Uint8Array): number {
  let k = 0;
  for (let i = 0; i < n; i++) { const r = rows[i]; if (m[a[r]] === 1 || m[b[r]] === 1) out[k++] = r; }
  return k;
}

function passPred(rows: Uint32Array, n: number, out: Uint32Array, p: Pred): number {
  let k = 0;
  for (let i = 0; i < n; i++) { const r = rows[i]; if (p(r)) out[k++] = r; }
  return k;
}

/**
 * Rows of one store matching the filter, in the order of `input` (rows of that store; null = file order), or
 * undefined when the file is excluded.
 */
export function filterRows(s: TraceStore, filter: TraceFilter, fileIndex: number, input: Uint32Array | null): Uint32Array | undefined {
  if (filter.files && !filter.files.includes(fileIndex)) return undefined;
  if ((filter.from !== undefined && filter.fromMs === undefined) || (filter.to !== undefined && filter.toMs === undefined)) {
    const ms = (t: string | undefined): number | undefined => {
      if (t === undefined) return undefined;
      const p = parseTime(t.trim());
      return Number.isFinite(p.ms) ? p.ms + p.ticks / 10000 : Date.parse(t);
    };
    filter = { ...filter, fromMs: filter.fromMs ?? ms(filter.from), toMs: filter.toMs ?? ms(filter.to) };
  }
  const pools = s.pools;
  let rows: Uint32Array;
  if (input) rows = input;
  else { rows = new Uint32Array(s.count); for (let i = 0; i < rows.length; i++) rows[i] = i; }
  let n = rows.length;
  let out: Uint32Array | undefined;
  const step = (f: (src: Uint32Array, n: number, dst: Uint32Array) => number): void => {
    if (!out) out = new Uint32Array(n);
    n = f(rows, n, out);
    rows = out; // later passes narrow in place
  };
  if (filter.levels && filter.levels.length) {
    const m = new Uint8Array(LEVEL_COUNT);
    for (const l of filter.levels) { const v = typeof l === 'number' ? l : levelFromName(l); if (v !== undefined) m[v] = 1; }
    step((a, k, b) => pass8(a, k, b, s.level, m));
  }
  const byPool = (values: readonly string[] | undefined, pool: { size: number; find(x: string): number }, col: Uint32Array): void => {
    if (!values) return;
    const m = mask(pool.size, values.map((v) => pool.find(v)));
    step((a, k, b) => pass32(a, k, b, col, m));
  };
  byPool(filter.sources, pools.source, s.source);
  byPool(filter.processes, pools.process, s.process);
  byPool(filter.threads, pools.thread, s.thread);
  byPool(filter.computers, pools.computer, s.computer);
  if (filter.activities) {
    const m = mask(pools.activity.size, filter.activities.map((v) => pools.activity.find(v)));
    m[0] = 0;
    step((a, k, b) => passEither32(a, k, b, s.activity, s.related, m));
  }
  if (filter.text !== undefined && filter.text !== '') {
    const test = textTester(filter);
    const poolMask = (pool: TextPool): Uint8Array => textMask(pool, filter, test);
    const mm = poolMask(pools.message);
    const others: Array<[Uint32Array, Uint8Array]> = [];
    for (const [col, pool] of [[s.source, pools.source], [s.process, pools.process], [s.thread, pools.thread], [s.computer, pools.computer], [s.activity, pools.activity], [s.related, pools.activity]] as const) {
      const m = poolMask(pool);
      if (m.includes(1)) others.push([col, m]);
    }
    const hit = filter.textHits?.[fileIndex];
    if (others.length === 0 && !hit) step((a, k, b) => pass32(a, k, b, s.message, mm));
    else {
      const msg = s.message;
      step((a, k, b) => passPred(a, k, b, (r) => {
        if (mm[msg[r]] === 1 || (hit !== undefined && hit[r] === 1)) return true;
        for (const [col, m] of others) if (m[col[r]] === 1) return true;
        return false;
      }));
    }
  }
  const rest = compileFilter(s, {
    processIds: filter.processIds, eventIds: filter.eventIds, fromMs: filter.fromMs, toMs: filter.toMs, damagedOnly: filter.damagedOnly,
    processKeys: filter.processKeys, threadKeys: filter.threadKeys,
  }, fileIndex);
  const trivial = filter.processIds === undefined && filter.eventIds === undefined && filter.fromMs === undefined && filter.toMs === undefined && !filter.damagedOnly
    && filter.processKeys === undefined && filter.threadKeys === undefined;
  if (rest && !trivial) step((a, k, b) => passPred(a, k, b, rest));
  if (!out) return input ? input.slice() : rows;
  return (out as Uint32Array).slice(0, n);
}

type TextPool = { strings: readonly string[]; lowered(): readonly string[] };

/** One flag per distinct pooled string: does the search text match it (id 0, "no value", never matches). */
function textMask(pool: TextPool, filter: TraceFilter, test: (s: string) => boolean): Uint8Array {
  const src = filter.caseSensitive || filter.regex ? pool.strings : pool.lowered();
  const m = new Uint8Array(src.length);
  for (let i = 1; i < src.length; i++) if (test(src[i] as string)) m[i] = 1;
  return m;
}

function textTester(filter: TraceFilter): (s: string) => boolean {
  const text = filter.text ?? '';
  if (filter.regex) {
    const re = new RegExp(text, filter.caseSensitive ? '' : 'i');
    return (s) => re.test(s);
  }
  const needle = filter.caseSensitive ? text : text.toLowerCase();
  return (s) => s.includes(needle);
}

// ---------------------------------------------------------------------------------------------------------------
// Ordering: a natural merge sort per file (files are mostly in order; runs appended by later process runs are
// merged), then a stable merge across files.

interface Sorted { files: Uint16Array; rows: Uint32Array; ms: Float64Array; ticks: Uint16Array }

function sortedFile(s: TraceStore, fileIndex: number): Sorted {
  const n = s.count;
  const ms = new Float64Array(n);
  const ticks = new Uint16Array(n);
  // Unparseable times inherit the previous event's instant, so they stay where the file put them.
  let prevMs = -8.64e15, prevTicks = 0;
  for (let r = 0; r < n; r++) {
    const t = s.ms[r];
    if (Number.isFinite(t)) { prevMs = t; prevTicks = s.ticks[r]; }
    ms[r] = prevMs; ticks[r] = prevTicks;
  }
  let rows: Uint32Array = new Uint32Array(n);
  for (let r = 0; r < n; r++) rows[r] = r;
  // Runs of non-decreasing instants.
  const runs: number[] = [0];
  for (let r = 1; r < n; r++) if (ms[r] < ms[r - 1] || (ms[r] === ms[r - 1] && ticks[r] < ticks[r - 1])) runs.push(r);
  runs.push(n);
  let tmp: Uint32Array = new Uint32Array(runs.length > 2 ? n : 0);
  let bounds = runs;
  while (bounds.length > 2) {
    const next: number[] = [0];
    for (let k = 0; k + 1 < bounds.length; k += 2) {
      const a = bounds[k], m = bounds[k + 1], z = k + 2 < bounds.length ? bounds[k + 2] : m;
      let i = a, j = m, o = a;
      while (i < m && j < z) {
        const x = rows[i], y = rows[j];
        if (ms[y] < ms[x] || (ms[y] === ms[x] && ticks[y] < ticks[x])) { tmp[o++] = y; j++; } else { tmp[o++] = x; i++; }
      }
      while (i < m) tmp[o++] = rows[i++];
      while (j < z) tmp[o++] = rows[j++];
      next.push(z);
    }
    if (next[next.length - 1] !== n) next.push(n);
    const t = rows; rows = tmp; tmp = t;
    bounds = next;
  }
  const sms = new Float64Array(n);
  const sticks = new Uint16Array(n);
  for (let i = 0; i < n; i++) { sms[i] = ms[rows[i]]; sticks[i] = ticks[rows[i]]; }
  return { files: new Uint16Array(n).fill(fileIndex), rows, ms: sms, ticks: sticks };
}

function mergeRuns(a: Sorted, b: Sorted): Sorted {
  const n = a.rows.length + b.rows.length;
  const out: Sorted = { files: new Uint16Array(n), rows: new Uint32Array(n), ms: new Float64Array(n), ticks: new Uint16Array(n) };
  let i = 0, j = 0, o = 0;
  const take = (s: Sorted, k: number): void => {
    out.files[o] = s.files[k]; out.rows[o] = s.rows[k]; out.ms[o] = s.ms[k]; out.ticks[o] = s.ticks[k]; o++;
  };
  while (i < a.rows.length && j < b.rows.length) {
    if (b.ms[j] < a.ms[i] || (b.ms[j] === a.ms[i] && b.ticks[j] < a.ticks[i])) take(b, j++); else take(a, i++);
  }
  while (i < a.rows.length) take(a, i++);
  while (j < b.rows.length) take(b, j++);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading files through a FileAccess.

export interface OpenOptions {
  /** Bytes per read (default 4 MiB); reads start at `firstChunkSize` (default 128 KiB) and double, so the first rows come fast. */
  readonly chunkSize?: number;
  readonly firstChunkSize?: number;
  readonly signal?: CancelSignal;
  /** Called after every chunk with bytes decoded so far, file size and events so far. */
  readonly onProgress?: (p: { bytes: number; size: number; events: number }) => void;
  /** Yield to the event loop between chunks (default true), so a host stays responsive. */
  readonly yieldBetweenChunks?: boolean;
  /**
   * Keep the decoder open at end of file (for following): an unfinished last event stays a provisional `truncated`
   * range instead of being final. Default false.
   */
  readonly keepOpen?: boolean;
  /**
   * The bytes the file's rows will cover in all, when this read is only its first range (the others are decoded
   * elsewhere and appended): the columns are reserved for all of them from the start, not grown again at the end.
   */
  readonly densityTotal?: number;
}

/** Feeds bytes [from, size) of a file to its decoder in ramped reads (progress, cancellation, yields). */
export async function pump(f: TraceFile, access: FileAccess, from: number, size: number, options: OpenOptions): Promise<void> {
  const chunk = options.chunkSize ?? 4 << 20;
  // Ramp up from a small first read (the first rows show while the code is still cold), doubling to `chunk`.
  let next = Math.min(chunk, options.firstChunkSize ?? 128 << 10);
  let pos = from;
  // The decoder copies whatever it keeps, so one buffer can be reused when the FileAccess can read into it.
  const reuse = access.readInto ? new Uint8Array(Math.min(chunk, Math.max(size - from, 1))) : undefined;
  while (pos < size) {
    if (options.signal?.aborted) throw new TraceCancelledError();
    const want = Math.min(next, size - pos);
    next = Math.min(chunk, next * 2);
    const bytes = reuse && access.readInto
      ? reuse.subarray(0, await access.readInto(f.path, pos, reuse.subarray(0, want)))
      : await access.read(f.path, pos, want);
    if (bytes.length === 0) break;
    if (pos === 0 && f.head.length === 0) f.head = bytes.slice(0, 4096);
    f.decoder.push(bytes);
    pos += bytes.length;
    f.store.reserveAtDensity(pos, options.densityTotal ?? size);
    options.onProgress?.({ bytes: pos, size, events: f.store.count });
    if (options.yieldBetweenChunks !== false) await new Promise<void>((r) => setImmediate(r));
  }
}

/** Adds a file to the collection and decodes it completely (rows are queryable while it runs). */
export async function openFile(collection: TraceCollection, access: FileAccess, path: string, options: OpenOptions = {}): Promise<TraceFile> {
  const f = collection.addFile(path);
  const size = await access.size(path);
  await pump(f, access, 0, size, options);
  if (!options.keepOpen) f.decoder.end();
  return f;
}

/**
 * Reads a file registered with addFile() completely, from where its decoding stands (byte 0 for a new file); rows are
 * queryable while it runs. Unlike followFile it does not look for rotation: use it for the first, whole read.
 */
export async function readWholeFile(collection: TraceCollection, access: FileAccess, file: number, options: OpenOptions = {}): Promise<TraceFile> {
  const f = collection.files[file];
  if (f.decoder.done) collection.reopenFile(file);
  const size = await access.size(f.path);
  await pump(f, access, f.decoder.bytesFed, size, options);
  if (!options.keepOpen) f.decoder.end();
  return f;
}

export interface FollowResult {
  /** 'appended' (only the new tail was decoded), 'unchanged', or 'restarted' (truncated or rotated: decoded again). */
  readonly kind: 'appended' | 'unchanged' | 'restarted';
  readonly newEvents: number;
}

/**
 * Follows a growing file: decodes only the bytes appended since the last call. If the file got shorter or its first
 * bytes changed (rotation), the file's events are dropped and it is decoded again from the start. Do not call end()
 * on a followed file's decoder; an unfinished last event stays a provisional `truncated` damage range.
 */
export async function followFile(collection: TraceCollection, access: FileAccess, file: number, options: OpenOptions = {}): Promise<FollowResult> {
  const f = collection.files[file];
  const before = f.store.count;
  const size = await access.size(f.path);
  const fed = f.decoder.bytesFed;
  let rotated = size < fed;
  if (!rotated && f.head.length > 0) {
    const head = await access.read(f.path, 0, f.head.length);
    rotated = head.length < f.head.length || head.some((v, i) => v !== f.head[i]);
  }
  if (rotated) {
    collection.resetFile(file);
    await pump(f, access, 0, size, options);
    if (!options.keepOpen) f.decoder.end();
    return { kind: 'restarted', newEvents: f.store.count };
  }
  if (size === fed) return { kind: 'unchanged', newEvents: 0 };
  if (f.decoder.done) collection.reopenFile(file);
  await pump(f, access, f.decoder.bytesFed, size, options);
  if (!options.keepOpen) f.decoder.end();
  return { kind: 'appended', newEvents: f.store.count - before };
}
