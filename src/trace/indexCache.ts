// The decoded index of a file on disk, so reopening a big file is instant: the rows (narrowed columns), the strings they
// use, the damage and the decoder's resume state, checked on load against the file (path, size, modification time,
// its first 4 KiB and the 4 KiB before the end of the indexed part) and against its own CRC-32. Anything that does
// not match is ignored and decoded again; a file that only grew is decoded from where the index ends. Pure: the cache
// folder is behind IndexCacheStore (src/util/nodeFileAccess.ts keeps it in the extension's storage, bounded in size).

import * as zlib from 'node:zlib';
import { pump, type TraceCollection, type TraceFile } from './collection';
import type { ResumeState } from './decoder';
import { COLUMNS, POOL_NAMES, appendPart, decodeFileParallel, extractPart, type ColumnName, type IndexPart, type ParallelOpenOptions, type PoolName } from './parallel';
import { PackedStrings, pack, tableArray } from './packedStrings';
import type { DamageRange, FileAccess } from './types';

/** A folder of cache entries, one per trace file path (the store names the files and bounds their total size). */
export interface IndexCacheStore {
  read(path: string): Promise<Uint8Array | undefined>;
  /** Replaces the entry for `path` with these bytes in order (atomically: a reader sees the old entry or the new one). */
  write(path: string, parts: readonly Uint8Array[]): Promise<void>;
  remove(path: string): Promise<void>;
}

/** What identifies a file's content for the cache. */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

export interface CachedIndex {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** The file's first bytes (up to 4 KiB) when it was indexed. */
  readonly head: Uint8Array;
  /** CRC-32 of the bytes [checkStart, resume.offset) of the file (the end of the indexed part). */
  readonly checkStart: number;
  readonly checkCrc: number;
  readonly resume: ResumeState;
  readonly part: IndexPart;
}

const MAGIC = Buffer.from('ERSTIDX1', 'latin1');
const END = 0x21444e45; // 'END!'
const VERSION = 1;
const CHECK_BYTES = 4096;

export function crc32(data: Uint8Array, value = 0): number {
  const native = (zlib as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;
  if (native) return native(data, value);
  let c = ~value >>> 0;
  for (let i = 0; i < data.length; i++) {
    c ^= data[i];
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

interface Header {
  v: number;
  path: string;
  size: number;
  mtimeMs: number;
  head: string;
  checkStart: number;
  checkCrc: number;
  resume: ResumeState;
  count: number;
  start: number;
  end: number;
  rawTimes: Array<readonly [number, string]>;
  activityNames: Array<readonly [number, number]>;
  damage: DamageRange[];
  pools: Array<{ name: PoolName; count: number; latin1: boolean; bytes: number }>;
  columns: Array<{ name: ColumnName; width: number; bytes: number }>;
}

const pad8 = (n: number): number => Math.ceil(n / 8) * 8;
const int0 = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;

/** Narrowest width (bytes per value) that holds an unsigned integer column. */
function widthOf(col: Uint32Array): 1 | 2 | 4 {
  let max = 0;
  for (let i = 0; i < col.length; i++) if (col[i] > max) max = col[i];
  return max < 256 ? 1 : max < 65536 ? 2 : 4;
}

/** Serializes a file's index (rows [0, count), the resume state, the file's check bytes) into one buffer. */
export async function encodeIndex(
  f: TraceFile, stamp: FileStamp, check: { start: number; crc: number }, pause: () => Promise<void> = async () => undefined,
): Promise<Uint8Array> {
  return Buffer.concat(await encodeIndexParts(f, stamp, check, pause));
}

/**
 * The same entry as the parts it is written in (header, sections with their padding, checksum and end mark): the
 * cache writes them one after another, so the whole entry (tens of MiB for a big file) is never copied once more.
 */
export async function encodeIndexParts(
  f: TraceFile, stamp: FileStamp, check: { start: number; crc: number }, pause: () => Promise<void> = async () => undefined,
): Promise<Uint8Array[]> {
  const resume = f.decoder.resumeState();
  const s = f.store;
  // Only rows that end at or before the resume offset (all of them: the offset is the end of the last event).
  const part = await extractPart(s, 0, s.count, 0, resume.offset, resume.damage, pause);
  const sections: Uint8Array[] = [];
  const pools: Header['pools'] = [];
  for (const name of POOL_NAMES) {
    const { bytes: blob, lengths, latin1 } = pack(tableArray(part.pools[name]));
    sections.push(new Uint8Array(lengths.buffer, lengths.byteOffset, lengths.byteLength), blob);
    pools.push({ name, count: lengths.length, latin1, bytes: blob.length });
    await pause();
  }
  const columns: Header['columns'] = [];
  for (const c of COLUMNS) {
    const col = part.columns[c.name];
    let out: Uint8Array;
    let width: number = col.BYTES_PER_ELEMENT;
    if (col instanceof Uint32Array) {
      width = widthOf(col);
      out = width === 4 ? new Uint8Array(col.buffer, col.byteOffset, col.byteLength)
        : new Uint8Array((width === 1 ? Uint8Array.from(col) : new Uint8Array(Uint16Array.from(col).buffer)).buffer);
    } else if (c.name === 'offset' && (col.length === 0 || (col as Float64Array)[col.length - 1] < 2 ** 32)) {
      width = 4;
      out = new Uint8Array(Uint32Array.from(col as Float64Array).buffer);
    } else {
      out = new Uint8Array(col.buffer, col.byteOffset, col.byteLength);
    }
    sections.push(out);
    columns.push({ name: c.name, width, bytes: out.length });
    await pause();
  }
  const header: Header = {
    v: VERSION, path: f.path, size: stamp.size, mtimeMs: stamp.mtimeMs, head: Buffer.from(f.head).toString('base64'),
    checkStart: check.start, checkCrc: check.crc, resume, count: part.count, start: part.start, end: part.end,
    rawTimes: [...part.rawTimes], activityNames: [...part.activityNames], damage: [...part.damage], pools, columns,
  };
  const hb = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(pad8(MAGIC.length + 4 + hb.length));
  MAGIC.copy(head, 0);
  head.writeUInt32LE(hb.length, MAGIC.length);
  hb.copy(head, MAGIC.length + 4);
  const parts: Uint8Array[] = [head];
  let crc = crc32(head);
  for (const sec of sections) {
    parts.push(sec);
    crc = crc32(sec, crc);
    const pad = pad8(sec.length) - sec.length;
    if (pad > 0) { const zeros = new Uint8Array(pad); parts.push(zeros); crc = crc32(zeros, crc); }
  }
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(crc, 0);
  tail.writeUInt32LE(END, 4);
  parts.push(tail);
  return parts;
}

class CacheFormatError extends Error {}

/** Reads a serialized index; throws when anything about it is damaged or from another version. */
export function decodeIndex(data: Uint8Array): CachedIndex {
  const b = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const bad = (why: string): never => { throw new CacheFormatError(`index cache entry is damaged: ${why}`); };
  if (b.length < MAGIC.length + 12 || !b.subarray(0, MAGIC.length).equals(MAGIC)) bad('no header');
  if (b.readUInt32LE(b.length - 4) !== END) bad('no end mark');
  if (crc32(b.subarray(0, b.length - 8)) !== b.readUInt32LE(b.length - 8)) bad('checksum');
  const hl = b.readUInt32LE(MAGIC.length);
  if (MAGIC.length + 4 + hl > b.length - 8) bad('header length');
  let h: Header;
  try { h = JSON.parse(b.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + hl)) as Header; } catch { return bad('header'); }
  if (!h || typeof h !== 'object' || h.v !== VERSION) bad(`version ${String(h?.v)}`);
  if (!int0(h.count) || !Array.isArray(h.pools) || !Array.isArray(h.columns)) bad('header fields');
  let pos = pad8(MAGIC.length + 4 + hl);
  const take = (n: number): Buffer => {
    if (!Number.isInteger(n) || n < 0 || pos + n > b.length - 8) bad('section length');
    const sec = b.subarray(pos, pos + n);
    pos += pad8(n);
    return sec;
  };
  // The strings stay packed (one text per pool): a reopened file makes a string only when it is asked for.
  const pools = {} as Record<PoolName, PackedStrings>;
  for (const name of POOL_NAMES) {
    const p = h.pools.find((x) => x.name === name) ?? bad(`pool ${name}`);
    const lengthBytes = take(p.count * 4);
    const lengths = new Uint32Array(Uint8Array.from(lengthBytes).buffer);
    const text = take(p.bytes).toString(p.latin1 ? 'latin1' : 'utf16le');
    pools[name] = PackedStrings.of(text, lengths) ?? bad(`pool ${name} text`);
  }
  const n = h.count;
  const columns = {} as Record<ColumnName, Float64Array | Uint32Array | Uint16Array | Int16Array | Uint8Array>;
  for (const c of COLUMNS) {
    const meta = h.columns.find((x) => x.name === c.name) ?? bad(`column ${c.name}`);
    if (meta.bytes !== n * meta.width) bad(`column ${c.name} size`);
    const raw = take(meta.bytes);
    const col = c.make(n);
    const aligned = raw.byteOffset % 8 === 0 ? raw.buffer : Uint8Array.from(raw).buffer;
    const off = raw.byteOffset % 8 === 0 ? raw.byteOffset : 0;
    if (meta.width === col.BYTES_PER_ELEMENT) col.set(new (col.constructor as Uint8ArrayConstructor)(aligned, off, n) as never);
    else if (meta.width === 1) col.set(new Uint8Array(aligned, off, n) as never);
    else if (meta.width === 2) col.set(new Uint16Array(aligned, off, n) as never);
    else if (meta.width === 4) col.set(new Uint32Array(aligned, off, n) as never);
    else bad(`column ${c.name} width`);
    // Ids must name strings of their table (a width that cannot hold a larger id needs no check).
    if (c.pool && pools[c.pool].length < 2 ** (8 * meta.width)) {
      const max = pools[c.pool].length;
      for (let i = 0; i < n; i++) if (col[i] >= max) bad(`column ${c.name} string id`);
    }
    columns[c.name] = col;
  }
  // The header is data too: every field has the shape and range the engine expects, or the entry is not used.
  const int = (v: unknown, max = Number.MAX_SAFE_INTEGER): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;
  const r = h.resume;
  if (!int(h.size) || typeof h.mtimeMs !== 'number' || typeof h.path !== 'string' || !int(h.checkStart) || !int(h.checkCrc, 0xffffffff)) bad('stamp');
  if (!r || !int(r.offset, h.size) || !['utf-8', 'utf-16le', 'utf-16be'].includes(r.encoding) || ![0, 2, 3].includes(r.bom)
    || typeof r.qname !== 'string' || !/^([A-Za-z_][\w.-]{0,63}:)?E2ETraceEvent$/.test(r.qname) || h.checkStart > r.offset) bad('resume state');
  const reasons = ['truncated', 'garbage', 'malformed', 'invalid-char', 'not-a-trace', 'too-large'];
  const okDamage = (list: unknown): boolean => Array.isArray(list) && list.every((d: DamageRange) => d && int(d.start) && int(d.end) && d.start <= d.end && reasons.includes(d.reason));
  if (!okDamage(r.damage) || !okDamage(h.damage)) bad('damage');
  if (!Array.isArray(h.rawTimes) || !h.rawTimes.every((x) => Array.isArray(x) && int(x[0], n - 1) && typeof x[1] === 'string' && x[1].length <= 4096)) bad('times');
  if (!Array.isArray(h.activityNames) || !h.activityNames.every((x) => Array.isArray(x) && int(x[0], pools.activity.length - 1) && int(x[1], pools.names.length - 1))) bad('activity names');
  if (typeof h.head !== 'string' || h.head.length > 8192) bad('head');
  const part: IndexPart = {
    start: h.start, end: h.end, count: n, columns, pools, rawTimes: h.rawTimes, activityNames: h.activityNames, damage: h.damage,
  };
  return {
    path: h.path, size: h.size, mtimeMs: h.mtimeMs, head: Buffer.from(h.head, 'base64'), checkStart: h.checkStart, checkCrc: h.checkCrc,
    resume: h.resume, part,
  };
}

/** How a file was opened: from the cache as it was, from the cache plus the bytes it grew by, or decoded. */
export type IndexSource = 'cache' | 'cache+appended' | 'decoded';

export interface IndexedOpenOptions extends ParallelOpenOptions {
  readonly cache?: IndexCacheStore;
  /** Called with a reason when a cache entry was found but not used (stale, damaged, another file). */
  readonly onCacheMiss?: (reason: string) => void;
}

/**
 * Decodes a registered, still empty file: from the index cache when its entry matches the file, else with
 * decodeFileParallel (and then writes the entry). Returns where the rows came from.
 */
export async function decodeFileIndexed(collection: TraceCollection, f: TraceFile, access: FileAccess, options: IndexedOpenOptions = {}): Promise<IndexSource> {
  const cache = options.cache;
  const stamp = cache && access.stat ? await access.stat(f.path) : undefined;
  if (cache && stamp) {
    const hit = await loadEntry(cache, access, f.path, stamp, options.onCacheMiss);
    if (hit) {
      appendPart(f.store, hit.part);
      f.head = Uint8Array.from(hit.head);
      collection.reopenFile(f.index, hit.resume);
      options.onProgress?.({ bytes: hit.resume.offset, size: stamp.size, events: f.store.count });
      // An unchanged file has nothing after the offset but an unfinished last event; a grown one has what was appended.
      await pump(f, access, hit.resume.offset, stamp.size, options);
      if (!options.keepOpen) f.decoder.end();
      const grown = stamp.size !== hit.size || stamp.mtimeMs !== hit.mtimeMs;
      if (grown) await saveEntry(cache, access, f, stamp);
      return grown ? 'cache+appended' : 'cache';
    }
  }
  await decodeFileParallel(collection, f, access, options);
  if (cache && stamp && !options.signal?.aborted) await saveEntry(cache, access, f, stamp);
  return 'decoded';
}

/** The entry for `path` when it matches the file (same or only appended to), else undefined. */
async function loadEntry(cache: IndexCacheStore, access: FileAccess, path: string, stamp: FileStamp, onMiss?: (reason: string) => void): Promise<CachedIndex | undefined> {
  let data: Uint8Array | undefined;
  try { data = await cache.read(path); } catch { data = undefined; }
  if (!data) return undefined;
  const miss = (reason: string): undefined => { onMiss?.(reason); return undefined; };
  let e: CachedIndex;
  try { e = decodeIndex(data); } catch (err) {
    await cache.remove(path).catch(() => undefined);
    return miss(err instanceof Error ? err.message : String(err));
  }
  if (e.path !== path) return miss('entry of another file');
  if (stamp.size < e.size || (stamp.size === e.size && stamp.mtimeMs !== e.mtimeMs)) return miss('file changed');
  if (e.resume.offset > stamp.size) return miss('file shorter than its index');
  // The same first bytes, and the same bytes just before the end of the indexed part: the file was only appended to.
  const head = await access.read(path, 0, e.head.length);
  if (head.length !== e.head.length || !Buffer.from(head).equals(Buffer.from(e.head))) return miss('file rewritten (first bytes differ)');
  const tail = await access.read(path, e.checkStart, e.resume.offset - e.checkStart);
  if (crc32(tail) !== e.checkCrc) return miss('file rewritten (bytes before the end of the index differ)');
  return e;
}

async function saveEntry(cache: IndexCacheStore, access: FileAccess, f: TraceFile, stamp: FileStamp): Promise<void> {
  const offset = f.decoder.resumeState().offset;
  const start = Math.max(0, offset - CHECK_BYTES);
  try {
    const bytes = await access.read(f.path, start, offset - start);
    // The file changed while it was read: do not store an index that might not match it.
    const now = access.stat ? await access.stat(f.path) : stamp;
    if (now.size < offset) return;
    // Prepared in steps with the event loop free in between: the host answers the viewer while a big index is stored.
    const entry = await encodeIndexParts(f, stamp, { start, crc: crc32(bytes) }, () => new Promise<void>((r) => setImmediate(r)));
    await cache.write(f.path, entry);
  } catch {
    // A cache that cannot be written costs speed next time, nothing else.
  }
}
