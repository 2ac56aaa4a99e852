// The engine's contenders of the trace benchmark (bench/trace.ts), each run in its own child process like those in
// traceContenders.ts: the engine on one thread (decode, index, then queries over the events), the engine with decode
// workers, and a decode from the index cache.

import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as engine from '../src/trace/index';
import { layoutGraph } from '../src/traceViewer/graph';
import { MessageIndex } from '../src/traceViewer/messageIndex';
import { openFileParallel } from '../src/trace/parallel';
import { decodeFileIndexed } from '../src/trace/indexCache';
import { nodeFileAccess, nodeIndexCacheStore } from '../src/util/nodeFileAccess';
import { workerRanges } from '../src/util/traceWorkers';
import { MiB, cpuSecondsSinceStart, cpuStart, eachChunk, maxRssMb, now, timeIt, type ParseResult } from './traceContenders';


/** The size of `path` and a FileAccess over one open descriptor of it (the caller closes `fd`): the engine runs read through it. */
function fdAccess(path: string): { size: number; fd: number; access: { size(): Promise<number>; read(p: string, offset: number, length: number): Promise<Buffer>; readInto(p: string, offset: number, target: Uint8Array): Promise<number> } } {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  return {
    size,
    fd,
    access: {
      async size() { return size; },
      async read(_p: string, offset: number, length: number) {
        const buf = Buffer.allocUnsafe(length);
        return buf.subarray(0, readSync(fd, buf, 0, length, offset));
      },
      async readInto(_p: string, offset: number, target: Uint8Array) { return readSync(fd, target, 0, target.length, offset); },
    },
  };
}

export async function engineRun(path: string): Promise<ParseResult> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const { size, fd, access } = fdAccess(path);
  for (let i = 0; i < 2; i++) { gc(); await new Promise<void>((r) => setTimeout(r, 20)); }
  const mem0 = process.memoryUsage();
  const base = mem0.heapUsed + mem0.arrayBuffers;
  const c = new engine.TraceCollection();
  let first1000 = NaN;
  cpuStart();
  const t0 = now();
  await engine.openFile(c, access, path, {
    onProgress: (p) => { if (Number.isNaN(first1000) && p.events >= 1000) first1000 = now() - t0; },
  });
  const s = (now() - t0) / 1000;
  const cpuSeconds = cpuSecondsSinceStart();
  closeSync(fd);
  const rssAfterIndex = maxRssMb();
  // Several full collections with a pause, so freed array buffers are really released before measuring.
  for (let i = 0; i < 3; i++) { gc(); await new Promise<void>((r) => setTimeout(r, 20)); }
  const mem1 = process.memoryUsage();
  const events = c.count;
  const retained = (mem1.heapUsed + mem1.arrayBuffers - base) / events;
  const accounted = c.retainedBytes() / events;

  // Queries over ≥ 1M events: the decoded index tiled into one store (same pools, same value mix).
  const target = Math.max(1_000_000, events);
  const tiled = new engine.TraceCollection({}, c.pools);
  const tf = tiled.addFile('tiled');
  const src = c.files[0].store;
  const sc = {
    offset: 0, length: 0, ms: 0, ticks: 0, tz: 0, digits: 7, rawTime: '', level: 0, rawLevel: 0, eventId: 0, source: 0, activity: 0,
    related: 0, process: 0, processId: 0, thread: 0, computer: 0, message: 0, flags: 0, name: 0,
  };
  for (let i = 0; i < target; i++) {
    const r = i % events;
    const lap = Math.floor(i / events);
    sc.offset = src.offset[r]; sc.length = src.length[r]; sc.ms = src.ms[r] + lap * 86_400_000; sc.ticks = src.ticks[r]; sc.tz = src.tz[r];
    sc.digits = src.digits[r]; sc.level = src.level[r]; sc.rawLevel = src.rawLevel[r]; sc.eventId = src.eventId[r]; sc.source = src.source[r];
    sc.activity = src.activity[r]; sc.related = src.related[r]; sc.process = src.process[r]; sc.processId = src.processId[r];
    sc.thread = src.thread[r]; sc.computer = src.computer[r]; sc.message = src.message[r]; sc.flags = src.flags[r];
    tf.store.push(sc);
  }
  tf.store.trim();
  const n = tf.store.count;
  const tOrder = now();
  tiled.timeOrder();
  const orderMs = now() - tOrder;
  const q = {
    'time order (first build, cached after)': orderMs,
    'level (Error+Warning+Critical), time order': timeIt(() => tiled.query({ levels: ['Error', 'Warning', 'Critical'] }, 'time')),
    'level (Error+Warning+Critical), file order': timeIt(() => tiled.query({ levels: ['Error', 'Warning', 'Critical'] }, 'file')),
    'source (System.Net + SampleApp)': timeIt(() => tiled.query({ sources: ['System.Net', 'SampleApp'] }, 'time')),
    'level + source': timeIt(() => tiled.query({ levels: ['Information'], sources: ['System.ServiceModel.MessageLogging'] }, 'time')),
    'substring "timed out" (case-insensitive)': timeIt(() => tiled.query({ text: 'TIMED OUT' }, 'time')),
    'substring "exch02" (matches computer)': timeIt(() => tiled.query({ text: 'exch02' }, 'time')),
    'regex /quick sync.*\\d{3}/i': timeIt(() => tiled.query({ text: 'quick sync.*\\d{3}', regex: true }, 'time')),
    'facet counts (all rows)': timeIt(() => tiled.facets(tiled.query({}, 'time'))),
    'window of 100 rows at 50%': timeIt(() => { const v = tiled.query({ levels: ['Information'] }, 'time'); return v.window(v.length >> 1, 100); }, 3),
    'activities + transfer graph': timeIt(() => engine.buildActivities(tiled), 3),
  };
  // Full-text search over the whole file (the event XML, raw bytes): first hit and all hits, against one plain pass of
  // Buffer.indexOf over the same bytes (the floor for any raw search).
  const fd3 = openSync(path, 'r');
  const access3 = { ...access, async read(_p: string, offset: number, length: number) { const b = Buffer.allocUnsafe(length); return b.subarray(0, readSync(fd3, b, 0, length, offset)); } };
  const needle = 'timed out';
  const tRaw = now();
  let rawHits = 0;
  eachChunk(path, (chunk) => { for (let k = chunk.indexOf(needle); k >= 0; k = chunk.indexOf(needle, k + 1)) rawHits++; });
  const rawMs = now() - tRaw;
  const tFirst = now();
  await engine.searchFullText(c, access3, { text: needle }, { limit: 1 });
  const firstHitMs = now() - tFirst;
  const tAll = now();
  const all = await engine.searchFullText(c, access3, { text: needle.toUpperCase() });
  const allHitsMs = now() - tAll;
  const tRe = now();
  const reHits = await engine.searchFullText(c, access3, { text: 'quick sync.*\\d{3}', regex: true });
  const regexMs = now() - tRe;
  // Message view (read and pair every logged message) and graph view (one activity's neighbourhood) build times.
  const tMsg = now();
  const messageIndex = new MessageIndex(c, access3);
  const built = await messageIndex.build();
  const messagesMs = now() - tMsg;
  const graphAct = engine.buildActivities(c).activities.find((a) => !a.isRoot && a.transfersTo.length > 0);
  const tGraph = now();
  const graph = graphAct ? layoutGraph(c, graphAct.id, (id) => id, await messageIndex.ids()) : undefined;
  const graphMs = now() - tGraph;
  closeSync(fd3);
  // A second decode in the same process, JIT already warm: the steady-state speed without compile time.
  const fd2 = openSync(path, 'r');
  const access2 = { ...access, async readInto(_p: string, offset: number, target: Uint8Array) { return readSync(fd2, target, 0, target.length, offset); } };
  const cw = process.cpuUsage();
  const tw = now();
  await engine.openFile(new engine.TraceCollection(), access2, path);
  const warmSeconds = (now() - tw) / 1000;
  const cwu = process.cpuUsage(cw);
  closeSync(fd2);
  const extra: Record<string, number | string> = {
    warmMbPerSec: size / MiB / warmSeconds,
    warmMbPerCpuSec: size / MiB / ((cwu.user + cwu.system) / 1e6),
    first1000Ms: first1000,
    retainedBytesPerEvent: retained,
    accountedBytesPerEvent: accounted,
    rssAfterIndexMb: rssAfterIndex,
    queryEvents: n,
    damage: c.damage().length,
    ftRawMs: rawMs, ftRawHits: rawHits, ftFirstMs: firstHitMs, ftAllMs: allHitsMs, ftAllHits: all.count, ftRegexMs: regexMs, ftRegexHits: reHits.count,
    ftMb: size / MiB,
    msgMs: messagesMs, msgCount: built.records.length, msgPaired: built.pairs.partner.filter((p) => p >= 0).length, msgTruncated: String(built.truncated),
    graphMs, graphColumns: graph?.columns.length ?? 0, graphEvents: graph?.events.length ?? 0, graphArrows: graph?.arrows.length ?? 0,
  };
  for (const [k, v] of Object.entries(q)) extra[`q:${k}`] = v;
  return { name: 'engine on 1 thread (src/trace)', events, seconds: s, mbPerSec: size / MiB / s, cpuSeconds, mbPerCpuSec: size / MiB / cpuSeconds, maxRssMb: rssAfterIndex, extra };
}

/** The engine on every core: worker threads decode ranges, this thread merges them (CPU time counts every thread). */
export async function engineWorkersRun(path: string): Promise<ParseResult> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const { size, fd, access } = fdAccess(path);
  for (let i = 0; i < 2; i++) { gc(); await new Promise<void>((r) => setTimeout(r, 20)); }
  const mem0 = process.memoryUsage();
  const threads = availableParallelism();
  const run = async (): Promise<{ s: number; cpu: number; c: engine.TraceCollection; first1000: number }> => {
    const ranges = workerRanges(threads);
    const c = new engine.TraceCollection();
    let first1000 = NaN;
    const c0 = process.cpuUsage();
    const t0 = now();
    await openFileParallel(c, access, path, {
      ranges, yieldBetweenChunks: false,
      onProgress: (p) => { if (Number.isNaN(first1000) && p.events >= 1000) first1000 = now() - t0; },
    });
    const s = (now() - t0) / 1000;
    const cu = process.cpuUsage(c0);
    await ranges.close();
    return { s, cpu: (cu.user + cu.system) / 1e6, c, first1000 };
  };
  const cold = await run();
  const rss = maxRssMb();
  for (let i = 0; i < 3; i++) { gc(); await new Promise<void>((r) => setTimeout(r, 20)); }
  const mem1 = process.memoryUsage();
  const events = cold.c.count;
  const retained = (mem1.heapUsed + mem1.arrayBuffers - mem0.heapUsed - mem0.arrayBuffers) / events;
  const accounted = cold.c.retainedBytes() / events;
  const damage = cold.c.damage().length;
  cold.c = undefined as never;
  const warm = await run();
  closeSync(fd);
  return {
    name: `engine on ${threads} threads (this one and ${Math.max(1, threads - 1)} worker${threads > 2 ? 's' : ''})`, events, seconds: cold.s, mbPerSec: size / MiB / cold.s, cpuSeconds: cold.cpu, mbPerCpuSec: size / MiB / cold.cpu,
    maxRssMb: rss,
    extra: {
      threads, warmMbPerSec: size / MiB / warm.s, warmMbPerCpuSec: size / MiB / warm.cpu, first1000Ms: cold.first1000,
      retainedBytesPerEvent: retained, accountedBytesPerEvent: accounted, damage,
    },
  };
}

/** One cold decode + index of the whole file on this thread, nothing else (the ceiling runs two of these at once). */
export async function decodeOnlyRun(path: string): Promise<ParseResult> {
  const { size, fd, access } = fdAccess(path);
  const c = new engine.TraceCollection();
  cpuStart();
  const t0 = now();
  await engine.openFile(c, access, path, {});
  const s = (now() - t0) / 1000;
  const cpuSeconds = cpuSecondsSinceStart();
  closeSync(fd);
  return { name: 'decode alone', events: c.count, seconds: s, mbPerSec: size / MiB / s, cpuSeconds, mbPerCpuSec: size / MiB / cpuSeconds, maxRssMb: maxRssMb() };
}

/** The index cache: a cold open (decode on every core + write the entry), then a reopen from it in a fresh collection. */
export async function cacheRun(path: string): Promise<ParseResult> {
  const size = statSync(path).size;
  const dir = mkdtempSync(join(tmpdir(), 'trace-bench-cache-'));
  try {
    const cache = nodeIndexCacheStore(dir, 4096 * MiB);
    const open = async (): Promise<{ ms: number; source: string; events: number }> => {
      const ranges = workerRanges();
      const c = new engine.TraceCollection();
      const f = c.addFile(path);
      const t0 = now();
      const source = await decodeFileIndexed(c, f, nodeFileAccess, { cache, ranges, yieldBetweenChunks: false });
      const ms = now() - t0;
      await ranges.close();
      return { ms, source, events: c.count };
    };
    const cold = await open();
    const entry = readdirSync(dir).filter((n) => n.endsWith('.idx')).reduce((a, n) => a + statSync(join(dir, n)).size, 0);
    const warm = await open();
    const warm2 = await open();
    return {
      name: 'index cache', events: warm.events, seconds: cold.ms / 1000, mbPerSec: size / MiB / (cold.ms / 1000), maxRssMb: maxRssMb(),
      extra: { coldMs: cold.ms, coldSource: cold.source, warmMs: warm.ms, warmSource: warm.source, warm2Ms: warm2.ms, entryMb: entry / MiB, coldEvents: cold.events },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
