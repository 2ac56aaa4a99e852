// Decoding one file on every core: the file is cut at event starts into byte ranges; each range is decoded by its own
// decoder (a worker thread, through a RangeDecoder) into an IndexPart with its own string tables; the parts are
// appended to the file's store in file order, their string ids mapped into the collection's shared pools. Pure: the
// threads are behind RangeDecoder (src/util/traceWorkers.ts runs them on worker_threads), bytes behind FileAccess.
//
// Why a cut at an event start changes nothing: the decoder treats every start signature (`<E2ETraceEvent` followed by
// whitespace, `>` or `/`, aligned for UTF-16) as the start of an event. An unfinished event before it is `truncated` up
// to it, a gap before it is checked for garbage up to it. So the state at a start signature is always the same, and a
// decoder that begins there (with the encoding, BOM and element name of the file) reads exactly what the single decoder
// reads from there. The last range's unfinished tail is decoded again on this thread from the end of the last complete
// event, so the file's decoder ends in the same state as the single decoder (follow goes on from there).

import { pump, type OpenOptions, type TraceCollection, type TraceFile } from './collection';
import { TraceDecoder, sniffTrace } from './decoder';
import { PackedStrings, tableArray, type StringTable } from './packedStrings';
import { TracePools, TraceStore } from './store';
import { checkWellFormed } from './xml';
import { TraceCancelledError, type DamageRange, type FileAccess, type TextEncodingName } from './types';

export type PoolName = 'source' | 'activity' | 'process' | 'thread' | 'computer' | 'message' | 'names';
export const POOL_NAMES: readonly PoolName[] = ['source', 'activity', 'process', 'thread', 'computer', 'message', 'names'];

type Column = Float64Array | Uint32Array | Uint16Array | Int16Array | Uint8Array;
export type ColumnName =
  | 'offset' | 'length' | 'ms' | 'ticks' | 'tz' | 'digits' | 'level' | 'rawLevel' | 'eventId' | 'source' | 'activity' | 'related'
  | 'process' | 'processId' | 'thread' | 'computer' | 'message' | 'flags';

/** Every column of a TraceStore, with its array type and the pool its values index (if any). */
export const COLUMNS: ReadonlyArray<{ readonly name: ColumnName; readonly make: (n: number) => Column; readonly pool?: PoolName }> = [
  { name: 'offset', make: (n) => new Float64Array(n) },
  { name: 'length', make: (n) => new Uint32Array(n) },
  { name: 'ms', make: (n) => new Float64Array(n) },
  { name: 'ticks', make: (n) => new Uint16Array(n) },
  { name: 'tz', make: (n) => new Int16Array(n) },
  { name: 'digits', make: (n) => new Uint8Array(n) },
  { name: 'level', make: (n) => new Uint8Array(n) },
  { name: 'rawLevel', make: (n) => new Int16Array(n) },
  { name: 'eventId', make: (n) => new Uint32Array(n) },
  { name: 'source', make: (n) => new Uint32Array(n), pool: 'source' },
  { name: 'activity', make: (n) => new Uint32Array(n), pool: 'activity' },
  { name: 'related', make: (n) => new Uint32Array(n), pool: 'activity' },
  { name: 'process', make: (n) => new Uint32Array(n), pool: 'process' },
  { name: 'processId', make: (n) => new Uint32Array(n) },
  { name: 'thread', make: (n) => new Uint32Array(n), pool: 'thread' },
  { name: 'computer', make: (n) => new Uint32Array(n), pool: 'computer' },
  { name: 'message', make: (n) => new Uint32Array(n), pool: 'message' },
  { name: 'flags', make: (n) => new Uint8Array(n) },
];

/**
 * Rows of one byte range of a file, self-contained: columns of at least `count` rows, string ids into the part's own tables
 * (`pools[name][id]`, id 0 = ''), rows numbered from 0. What a worker sends back and what the index cache stores.
 */
export interface IndexPart {
  readonly start: number;
  readonly end: number;
  readonly count: number;
  readonly columns: Record<ColumnName, Column>;
  readonly pools: Record<PoolName, StringTable>;
  /** Part row → TimeCreated text that is not in canonical form. */
  readonly rawTimes: ReadonlyArray<readonly [number, string]>;
  /** Part activity id → part names id (first Start event naming it). */
  readonly activityNames: ReadonlyArray<readonly [number, number]>;
  readonly damage: readonly DamageRange[];
}

/**
 * Rows [from, to) of a store as a part with compact string tables (only the strings those rows use). `pause` is awaited
 * between columns, so a host thread stays responsive while a big index is prepared for the cache.
 */
export async function extractPart(
  store: TraceStore, from: number, to: number, start: number, end: number, damage: readonly DamageRange[], pause: () => Promise<void> = async () => undefined,
): Promise<IndexPart> {
  const count = Math.max(0, to - from);
  const pools = store.pools;
  const maps = new Map<PoolName, { map: Int32Array; strings: string[] }>();
  const table = (name: PoolName): { map: Int32Array; strings: string[] } => {
    let t = maps.get(name);
    if (!t) {
      const map = new Int32Array(pools[name].size).fill(-1);
      map[0] = 0;
      t = { map, strings: [''] };
      maps.set(name, t);
    }
    return t;
  };
  const local = (name: PoolName, id: number): number => {
    const t = table(name);
    let v = t.map[id];
    if (v < 0) { v = t.map[id] = t.strings.length; t.strings.push(pools[name].get(id)); }
    return v;
  };
  const columns = {} as Record<ColumnName, Column>;
  for (const c of COLUMNS) {
    const src = store[c.name] as Column;
    const out = c.make(count);
    if (!c.pool) out.set(src.subarray(from, from + count) as never);
    else {
      const t = table(c.pool);
      const pool = pools[c.pool];
      const map = t.map;
      for (let i = 0; i < count; i++) {
        const id = src[from + i];
        let v = map[id];
        if (v < 0) { v = map[id] = t.strings.length; t.strings.push(pool.get(id)); }
        out[i] = v;
      }
    }
    columns[c.name] = out;
    await pause();
  }
  const rawTimes: Array<[number, string]> = [];
  for (const [row, text] of store.rawTimes) if (row >= from && row < to) rawTimes.push([row - from, text]);
  const activityNames: Array<[number, number]> = [];
  const acts = table('activity').map;
  for (const [act, name] of store.activityNames) if (act < acts.length && acts[act] >= 0) activityNames.push([acts[act], local('names', name)]);
  const strings = {} as Record<PoolName, readonly string[]>;
  for (const name of POOL_NAMES) strings[name] = table(name).strings;
  return { start, end, count, columns, pools: strings, rawTimes, activityNames, damage: [...damage] };
}

/** Appends a part's rows to a store, mapping its string ids into the store's pools (strings seen before keep their id). */
export function appendPart(store: TraceStore, part: IndexPart): void {
  const pools = store.pools;
  const maps = {} as Record<PoolName, Uint32Array>;
  const same = new Set<PoolName>();
  for (const name of POOL_NAMES) {
    const strings = part.pools[name];
    const pool = pools[name];
    const m = new Uint32Array(strings.length);
    // Into an empty pool (a reopened index): the part's table becomes the pool, ids unchanged, no lookups.
    if (pool.adopt(strings) || (pool.size === 1 && strings.length <= 1)) same.add(name);
    else if (name === 'message') {
      // Messages are never looked up by text: the part's table is appended as it is (no lookup per string).
      const base = pool.appendAll(strings) - 1;
      for (let i = 1; i < strings.length; i++) m[i] = base + i;
    } else if (strings instanceof PackedStrings && strings.latin1) {
      // A worker's packed table: values looked up by their bytes, a string made only for a value new here.
      const bytes = strings.latin1, ends = strings.ends;
      for (let i = 1; i < ends.length; i++) m[i] = pool.internLatin1(bytes, ends[i - 1], ends[i]);
    } else {
      const list = tableArray(strings);
      for (let i = 1; i < list.length; i++) m[i] = pool.intern(list[i]);
    }
    maps[name] = m;
  }
  const n = part.count;
  const base = store.count;
  if (base === 0 && COLUMNS.every((c) => (!c.pool || same.has(c.pool)) && part.columns[c.name].length === n)) {
    // An empty store takes the part's columns as they are (a reopened index: no copy at all).
    for (const c of COLUMNS) (store as unknown as Record<ColumnName, Column>)[c.name] = part.columns[c.name];
  } else store.reserve(Math.max(n, store.capacity)); // doubling: parts arrive one by one, each must not copy them all
  for (const c of COLUMNS) {
    if (base === 0 && store[c.name] === part.columns[c.name]) continue;
    const src = part.columns[c.name];
    if (src.length < n) throw new Error(`index part column ${c.name} has ${src.length} rows, not ${n}`);
    const dst = store[c.name] as Column;
    // Ids into an adopted table stay as they are (decodeIndex and the workers only make ids their tables have).
    if (!c.pool || same.has(c.pool)) { dst.set(src.subarray(0, n) as never, base); continue; }
    const m = maps[c.pool];
    for (let i = 0; i < n; i++) {
      const id = src[i];
      if (id >= m.length) throw new Error(`index part column ${c.name} names string ${id} of ${m.length}`);
      dst[base + i] = m[id];
    }
  }
  for (const [row, text] of part.rawTimes) store.rawTimes.set(base + row, text);
  for (const [act, name] of part.activityNames) {
    const a = same.has('activity') ? act : maps.activity[act], nm = same.has('names') ? name : maps.names[name];
    if (a !== undefined && nm !== undefined && !store.activityNames.has(a)) store.activityNames.set(a, nm);
  }
  store.count = base + n;
  store.version += n + 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Ranges and the threads that decode them.

/** One range for a worker: decode bytes [start, end) of `path` as the continuation of a file at an event start. */
export interface RangeTask {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly encoding: TextEncodingName;
  readonly bom: number;
  readonly qname: string;
  readonly maxEventBytes?: number;
  /** Check every event fully (checkWellFormed), as `trace stats --validate` does. */
  readonly validate?: boolean;
  readonly chunkSize?: number;
}

/** Runs RangeTasks, `threads` at a time (worker threads in the host and CLI; this thread in tests). */
export interface RangeDecoder {
  readonly threads: number;
  /** Smallest file worth cutting for these threads (default 16 MiB: below it, starting threads costs more than it saves). */
  readonly minFileBytes?: number;
  /** Starts the threads now (a file is being cut): they boot while this thread finds the cuts. */
  prepare?(): void;
  decode(task: RangeTask): Promise<IndexPart>;
}

/** Decodes one range (what a worker thread runs). */
export async function decodeRange(access: FileAccess, task: RangeTask): Promise<IndexPart> {
  const store = new TraceStore(new TracePools(), Math.max(1024, Math.ceil((task.end - task.start) / 1024)));
  const d = new TraceDecoder({
    store, maxEventBytes: task.maxEventBytes, validate: task.validate ? checkWellFormed : undefined,
    resume: { offset: task.start, encoding: task.encoding, bom: task.bom, qname: task.qname, damage: [] },
  });
  const chunk = task.chunkSize ?? 4 << 20;
  const buf = new Uint8Array(Math.min(chunk, Math.max(1, task.end - task.start)));
  for (let pos = task.start; pos < task.end;) {
    const want = Math.min(buf.length, task.end - pos);
    const bytes = access.readInto
      ? buf.subarray(0, await access.readInto(task.path, pos, buf.subarray(0, want)))
      : await access.read(task.path, pos, want);
    if (bytes.length === 0) break;
    d.push(bytes);
    pos += bytes.length;
    store.reserveAtDensity(pos - task.start, task.end - task.start);
  }
  d.endRange();
  // The store's own pools hold exactly this range's strings: the part is the store itself, no copy, no remapping.
  const columns = {} as Record<ColumnName, Column>;
  for (const c of COLUMNS) columns[c.name] = store[c.name] as Column;
  const strings = {} as Record<PoolName, readonly string[]>;
  for (const name of POOL_NAMES) strings[name] = store.pools[name].strings;
  return {
    start: task.start, end: task.end, count: store.count, columns, pools: strings,
    rawTimes: [...store.rawTimes], activityNames: [...store.activityNames], damage: [...d.damage],
  };
}

/** A RangeDecoder on this thread (tests; and a fallback where worker threads cannot start). */
export function inThreadRanges(access: FileAccess, threads = 2, minFileBytes?: number): RangeDecoder {
  return { threads, minFileBytes, decode: (task) => decodeRange(access, task) };
}

/**
 * Cut points for a file: for each target offset, the first event start at or after it (strictly increasing, inside
 * the file). `sniffed` is what sniffTrace found in the file's head.
 */
export async function findSplits(
  access: FileAccess, path: string, size: number, sniffed: { encoding: TextEncodingName; bom: number; qname: string }, targets: readonly number[],
): Promise<number[]> {
  const probe = new TraceDecoder({ resume: { offset: 0, ...sniffed, damage: [] } });
  const window = 256 << 10;
  const overlap = 2 * (sniffed.qname.length + 4);
  const out: number[] = [];
  for (const t of [...targets].sort((a, b) => a - b)) {
    let pos = Math.max(Math.floor(t), sniffed.bom + 1, out.length ? out[out.length - 1] + 1 : 0);
    while (pos < size) {
      const len = Math.min(window, size - pos);
      const raw = await access.read(path, pos, len);
      const b = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      const i = b.length > 0 ? probe.nextEventStart(b, pos, 0) : -1;
      if (i >= 0) { out.push(pos + i); break; }
      if (b.length < len || pos + len >= size) { pos = size; break; }
      pos += len - overlap;
    }
    if (pos >= size) break;
  }
  return out;
}

export interface ParallelOpenOptions extends OpenOptions {
  /** The threads (default: one, i.e. the single decoder on this thread). */
  readonly ranges?: RangeDecoder;
  /** Cut targets (file offsets) instead of the automatic plan; tests use them to put cuts in hard places. */
  readonly splitTargets?: readonly number[];
  /** Smallest file decoded in parallel (default: the RangeDecoder's minFileBytes, else 16 MiB). */
  readonly minParallelBytes?: number;
}

/**
 * The automatic plan for `threads` threads in all: this thread decodes the first range itself, a little under its
 * share (it also serves the viewer and merges the parts), and `threads − 1` workers take the rest, one range each (at
 * most 512 MiB, so no single part holds this thread long while it is merged). Measured on two cores: this thread plus
 * one worker decodes the viewer's 500 MB file 1.24–1.33× faster than one thread, against 1.14–1.2× for a short first
 * range and two workers (three busy threads on two cores, two workers' memory, two parts to merge); and every extra
 * range costs a fresh set of string tables, a message and a merge (eight ranges for two threads cost 1.3× the CPU).
 */
export function planTargets(size: number, threads: number): number[] {
  const first = Math.max(64 << 10, Math.floor((size / Math.max(1, threads)) * 0.94));
  const rest = size - first;
  const workers = Math.max(1, threads - 1);
  const rounds = Math.max(1, Math.ceil(rest / (workers * (512 << 20))));
  const n = rounds * workers;
  const out = [first];
  for (let k = 1; k < n; k++) out.push(first + Math.floor((rest * k) / n));
  return out;
}

/**
 * openFile on every core: adds the file and decodes it with `options.ranges` (falls back to the single decoder for one
 * thread, small files, a custom validate function, or a file whose head names no event). Same rows, strings, damage
 * and final decoder state as openFile; rows of the first range are queryable while the rest is decoded.
 */
export async function openFileParallel(collection: TraceCollection, access: FileAccess, path: string, options: ParallelOpenOptions = {}): Promise<TraceFile> {
  const f = collection.addFile(path);
  await decodeFileParallel(collection, f, access, options);
  return f;
}

/** Decodes a registered, still empty file (see openFileParallel). */
export async function decodeFileParallel(collection: TraceCollection, f: TraceFile, access: FileAccess, options: ParallelOpenOptions = {}): Promise<void> {
  const size = await access.size(f.path);
  const single = async (): Promise<void> => {
    await pump(f, access, 0, size, options);
    if (!options.keepOpen) f.decoder.end();
  };
  const ranges = options.ranges;
  const validate = collection.decoderOptions.validate;
  if (!ranges || ranges.threads <= 1 || (validate !== undefined && validate !== checkWellFormed)
    || (!options.splitTargets && size < (options.minParallelBytes ?? ranges.minFileBytes ?? 16 << 20))) return single();
  const head = await access.read(f.path, 0, Math.min(size, 1 << 20));
  const sniffed = sniffTrace(head);
  if (!sniffed.qname) return single();
  const qname = sniffed.qname;
  // The first cut now (it ends the range decoded here); the others once the first rows are out.
  const targets = [...(options.splitTargets ?? planTargets(size, ranges.threads))].sort((a, b) => a - b);
  const plan = { ...sniffed, qname };
  const first = await findSplits(access, f.path, size, plan, targets.slice(0, 1));
  if (first.length === 0) return single();
  const cuts = [first[0]];
  const base: Omit<RangeTask, 'start' | 'end'> = {
    path: f.path, encoding: sniffed.encoding, bom: sniffed.bom, qname,
    maxEventBytes: collection.decoderOptions.maxEventBytes, validate: validate === checkWellFormed,
  };
  // The other ranges are cut and queued once the first chunk is decoded here (the workers would otherwise compete
  // with the first rows for the cores); the RangeDecoder runs them on its workers. Failures come in order.
  let queuedAll: Promise<Array<Promise<{ part: IndexPart } | { error: unknown }>>> | undefined;
  const startThreads = (): void => {
    // The threads boot while the cuts are found (not before the first chunk: they would slow the first rows).
    if (!queuedAll) ranges.prepare?.();
    queuedAll ??= (async () => {
      const rest = await findSplits(access, f.path, size, plan, targets.slice(1).map((t) => Math.max(t, cuts[0] + 1)));
      cuts.push(...rest);
      const bounds = [...cuts, size];
      return cuts.map((start, k) => ranges.decode({ ...base, start, end: bounds[k + 1] }).then(
        (part) => ({ part }), (error: unknown) => ({ error }),
      ));
    })();
    // Awaited after this thread's range; should that range be cancelled first, a failed cut must not go unhandled.
    queuedAll.catch(() => undefined);
  };
  const progress = options.onProgress;
  f.head = head.slice(0, 4096);
  await pump(f, access, 0, cuts[0], { ...options, densityTotal: size, onProgress: (p) => { progress?.({ ...p, size }); startThreads(); } });
  startThreads();
  f.decoder.endRange();
  const parts = await (queuedAll as NonNullable<typeof queuedAll>);
  const bounds = [...cuts, size];
  if (f.decoder.eventQName !== qname || f.decoder.encoding !== sniffed.encoding) {
    // The first range read the head differently than the plan assumed: decode it all on this thread.
    collection.resetFile(f.index);
    return single();
  }
  const queued = parts;
  for (let k = 0; k < queued.length; k++) {
    if (options.signal?.aborted) throw new TraceCancelledError();
    const r = await queued[k];
    if ('error' in r) {
      // A thread failed (it could not start, or read the file): the rest is decoded here, from this range on.
      collection.reopenFile(f.index, resumeAt(f, cuts[k]));
      await pump(f, access, cuts[k], size, options);
      if (!options.keepOpen) f.decoder.end();
      return;
    }
    appendPart(f.store, r.part);
    f.decoder.appendDamage(r.part.damage);
    progress?.({ bytes: bounds[k + 1], size, events: f.store.count });
    if (options.yieldBetweenChunks !== false) await new Promise<void>((done) => setImmediate(done));
  }
  // The unfinished tail again on this thread, from the end of the last complete event: the decoder ends as openFile's.
  const s = f.store;
  const last = s.count > 0 ? s.offset[s.count - 1] + s.length[s.count - 1] : sniffed.bom;
  collection.reopenFile(f.index, resumeAt(f, last));
  await pump(f, access, last, size, options);
  if (!options.keepOpen) f.decoder.end();
}

/** Resume state for a file whose rows and damage before `offset` are settled. */
function resumeAt(f: TraceFile, offset: number): { offset: number; encoding: TextEncodingName; bom: number; qname: string; damage: DamageRange[] } {
  const d = f.decoder;
  return {
    offset, encoding: d.encoding ?? 'utf-8', bom: d.bom, qname: d.eventQName,
    damage: d.damage.filter((r) => r.end <= offset),
  };
}
