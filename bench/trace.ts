// Trace engine benchmark: the boundary-scan floor (Buffer.indexOf), saxes, txml and the engine, side by side on the
// same generated file, each in its own child process (so peak RSS is per contender), then queries over ≥ 1M events.
// Size: BENCH_TRACE_MB (default 500); seed: BENCH_TRACE_SEED (default 4242). The file is cached in os.tmpdir().
// BENCH_TRACE_CONTENDERS=floor,engine runs a subset (default: all four).

import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as engine from '../src/trace/index';
import { layoutGraph } from '../src/traceViewer/graph';
import { MessageIndex } from '../src/traceViewer/messageIndex';
import { openFileParallel } from '../src/trace/parallel';
import { decodeFileIndexed } from '../src/trace/indexCache';
import { nodeFileAccess, nodeIndexCacheStore } from '../src/util/nodeFileAccess';
import { workerRanges } from '../src/util/traceWorkers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { availableParallelism, loadavg } from 'node:os';
import { ensureTraceFile } from './traceGen';
import {
  CHUNK, MiB, cpuSecondsSinceStart, cpuStart, eachChunk, floor, maxRssMb, now, saxesRun, timeIt, txmlRun, type ParseResult,
} from './traceContenders';

async function engineRun(path: string): Promise<ParseResult> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  const access = {
    async size() { return size; },
    async read(_p: string, offset: number, length: number) {
      const buf = Buffer.allocUnsafe(length);
      const n = readSync(fd, buf, 0, length, offset);
      return buf.subarray(0, n);
    },
    async readInto(_p: string, offset: number, target: Uint8Array) {
      return readSync(fd, target, 0, target.length, offset);
    },
  };
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
async function engineWorkersRun(path: string): Promise<ParseResult> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  const access = {
    async size() { return size; },
    async read(_p: string, offset: number, length: number) {
      const buf = Buffer.allocUnsafe(length);
      return buf.subarray(0, readSync(fd, buf, 0, length, offset));
    },
    async readInto(_p: string, offset: number, target: Uint8Array) { return readSync(fd, target, 0, target.length, offset); },
  };
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
    name: `engine on ${threads} workers`, events, seconds: cold.s, mbPerSec: size / MiB / cold.s, cpuSeconds: cold.cpu, mbPerCpuSec: size / MiB / cold.cpu,
    maxRssMb: rss,
    extra: {
      threads, warmMbPerSec: size / MiB / warm.s, warmMbPerCpuSec: size / MiB / warm.cpu, first1000Ms: cold.first1000,
      retainedBytesPerEvent: retained, accountedBytesPerEvent: accounted, damage,
    },
  };
}

/** The index cache: a cold open (decode on every core + write the entry), then a reopen from it in a fresh collection. */
async function cacheRun(path: string): Promise<ParseResult> {
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

async function child(name: string, path: string): Promise<void> {
  const r = name === 'floor' ? floor(path) : name === 'saxes' ? await saxesRun(path) : name === 'txml' ? await txmlRun(path)
    : name === 'workers' ? await engineWorkersRun(path) : name === 'cache' ? await cacheRun(path) : await engineRun(path);
  process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
}

/**
 * Real files: the shared fixtures concatenated in memory to ~60 MiB, decoded 5 times in this process (JIT warm after
 * the first); best CPU time for the engine and the floor. The files are the repository's test/fixtures/svclog.
 */
function realMix(log: (s: string) => void): void {
  const dir = join(__dirname, '../../test/fixtures/svclog');
  const one = Buffer.concat(readdirSync(dir).filter((f) => /\.(svclog|xml)$/.test(f)).sort().map((f) => readFileSync(join(dir, f))));
  const parts: Buffer[] = [];
  for (let n = 0; n < 60 * MiB; n += one.length) parts.push(one);
  const buf = Buffer.concat(parts);
  const best = (fn: () => void): number => {
    let b = Infinity;
    for (let k = 0; k < 5; k++) { const c0 = process.cpuUsage(); fn(); const c = process.cpuUsage(c0); b = Math.min(b, (c.user + c.system) / 1e6); }
    return b;
  };
  const sig = Buffer.from('<E2ETraceEvent');
  let events = 0;
  const tf = best(() => { events = 0; let i = buf.indexOf(sig); while (i >= 0) { events++; i = buf.indexOf(sig, i + sig.length); } });
  const te = best(() => { engine.decodeBuffer(buf, { chunkSize: CHUNK }); });
  const mb = buf.length / MiB;
  log('');
  log(`| real fixtures concatenated (${fmt(mb, 0)} MiB, ${events} events, in memory, best of 5) | MiB/s (CPU) |`);
  log('|---|---:|');
  log(`| floor (Buffer.indexOf) | ${fmt(mb / tf, 0)} |`);
  log(`| engine decode + index | ${fmt(mb / te, 0)} (floor is ${fmt(te / tf, 2)}×) |`);
}

// ---- orchestration ------------------------------------------------------------------------------------------------

/** The machine's load averages and cores, for the tables (timings on a shared machine are only as good as this). */
export function loadNote(): string {
  const l = loadavg();
  return `${l.map((x) => x.toFixed(2)).join(' / ')} on ${availableParallelism()} cores`;
}

function fmt(n: number, d = 1): string {
  return Number.isFinite(n) ? n.toFixed(d) : 'n/a';
}

export async function run(log: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<void> {
  const mb = Number(process.env.BENCH_TRACE_MB ?? 500);
  const seed = Number(process.env.BENCH_TRACE_SEED ?? 4242);
  log(`## trace engine benchmark (${mb} MiB synthetic file, seed ${seed})`);
  const tg = now();
  const { path, generated } = ensureTraceFile(mb, seed, log);
  const size = statSync(path).size;
  log(`${generated ? 'generated' : 'reusing'} ${path} (${(size / MiB).toFixed(1)} MiB${generated ? `, ${fmt((now() - tg) / 1000)} s` : ''})`);
  // Warm the page cache so every contender reads from memory.
  eachChunk(path, () => undefined);
  const results: ParseResult[] = [];
  const contenders = (process.env.BENCH_TRACE_CONTENDERS ?? 'floor,saxes,txml,engine,workers,cache').split(',').map((x) => x.trim());
  for (const name of contenders) {
    const p = spawnSync(process.execPath, ['--expose-gc', __filename, '--trace-bench-child', name, path], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const line = p.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) { log(`${name}: failed (${p.status}) ${p.stderr.slice(0, 2000)}`); continue; }
    const r = JSON.parse(line.slice(7)) as ParseResult;
    results.push(r);
    log(`  ${r.name}: ${r.events} events, ${fmt(r.seconds, 2)} s, ${fmt(r.mbPerSec, 0)} MiB/s, peak RSS ${fmt(r.maxRssMb, 0)} MiB`);
  }
  const get = (prefix: string): ParseResult | undefined => results.find((r) => r.name.startsWith(prefix));
  const fl = get('floor'), sx = get('saxes'), tx = get('txml'), en = get('engine on 1 thread'), wk = results.find((r) => / workers$/.test(r.name));
  const ic = get('index cache');
  const table = results.filter((r) => r !== ic);
  log('');
  log('| contender | events | wall (s) | MiB/s (wall) | CPU (s) | MiB/s (CPU) | engine vs this (wall / CPU) | peak RSS (MiB) |');
  log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of table) {
    const cpuRatio = (a?: number, b?: number): string => (a && b ? fmt(a / b, 2) : '?');
    const ratio = en && r !== en
      ? (r === fl ? `floor is ${fmt(r.mbPerSec / en.mbPerSec, 2)}× / ${cpuRatio(r.mbPerCpuSec, en.mbPerCpuSec)}× the engine` : `${fmt(en.mbPerSec / r.mbPerSec, 2)}× / ${cpuRatio(en.mbPerCpuSec, r.mbPerCpuSec)}×`)
      : '—';
    log(`| ${r.name} | ${r.events} | ${fmt(r.seconds, 2)} | ${fmt(r.mbPerSec, 0)} | ${fmt(r.cpuSeconds ?? NaN, 2)} | ${fmt(r.mbPerCpuSec ?? NaN, 0)} | ${ratio} | ${fmt(r.maxRssMb, 0)} |`);
  }
  if (wk?.extra) {
    const x = wk.extra;
    const ratio = (a?: number, b?: number): string => (a && b ? fmt(a / b, 2) : '?');
    log('');
    log(`| engine on ${x.threads} workers (load ${loadNote()}) | value | target |`);
    log('|---|---:|---|');
    log(`| decode + index, wall | ${fmt(wk.mbPerSec, 0)} MiB/s | ≥ 1.7× one thread (${ratio(wk.mbPerSec, en?.mbPerSec)}×); floor within 2.5× (${ratio(fl?.mbPerSec, wk.mbPerSec)}×); ≥ 4× saxes (${ratio(wk.mbPerSec, sx?.mbPerSec)}×) |`);
    log(`| decode + index, CPU time of all threads | ${fmt(wk.mbPerCpuSec ?? NaN, 0)} MiB/s | (one thread: ${fmt(en?.mbPerCpuSec ?? NaN, 0)} MiB/s; the cost of cutting and merging) |`);
    log(`| second run in the same process (wall / CPU) | ${fmt(Number(x.warmMbPerSec), 0)} / ${fmt(Number(x.warmMbPerCpuSec), 0)} MiB/s | ${ratio(Number(x.warmMbPerSec), Number(en?.extra?.warmMbPerSec))}× one thread warm |`);
    log(`| first 1,000 events | ${fmt(Number(x.first1000Ms), 1)} ms | ≤ 100 ms |`);
    log(`| retained per event (heap + array buffers after GC / engine accounting) | ${fmt(Number(x.retainedBytesPerEvent), 0)} / ${fmt(Number(x.accountedBytesPerEvent), 0)} B | ≤ 300 B |`);
    log(`| peak RSS (this thread + workers) | ${fmt(wk.maxRssMb, 0)} MiB | |`);
    log(`| damaged ranges | ${x.damage} | 0 |`);
  }
  if (ic?.extra) {
    const x = ic.extra;
    log('');
    log(`| index cache (${x.coldEvents} events) | value | target |`);
    log('|---|---:|---|');
    log(`| cold open: decode on every core + write the entry (${x.coldSource}) | ${fmt(Number(x.coldMs), 0)} ms | |`);
    log(`| reopen from the cache, all rows with counts (${x.warmSource}) | ${fmt(Number(x.warmMs), 0)} ms (again: ${fmt(Number(x.warm2Ms), 0)} ms) | ≤ 300 ms |`);
    log(`| cache entry on disk | ${fmt(Number(x.entryMb), 1)} MiB | |`);
  }
  if (en?.extra) {
    const x = en.extra;
    log('');
    log('| engine measure | value | target |');
    log('|---|---:|---|');
    const r = (a?: ParseResult, b?: ParseResult, cpu = false): string => (a && b ? fmt(cpu ? (a.mbPerCpuSec ?? NaN) / (b.mbPerCpuSec ?? NaN) : a.mbPerSec / b.mbPerSec, 2) : '?');
    log(`| full decode + index (wall) | ${fmt(en.mbPerSec, 0)} MiB/s | ≥ 4× saxes (${r(en, sx)}×) and txml (${r(en, tx)}×); floor within 3× (${r(fl, en)}×) |`);
    log(`| full decode + index (CPU time) | ${fmt(en.mbPerCpuSec ?? NaN, 0)} MiB/s | ≥ 4× saxes (${r(en, sx, true)}×) and txml (${r(en, tx, true)}×); floor within 3× (${r(fl, en, true)}×) |`);
    log(`| full decode + index, second run in the same process (JIT warm; wall / CPU) | ${fmt(Number(x.warmMbPerSec), 0)} / ${fmt(Number(x.warmMbPerCpuSec), 0)} MiB/s | floor within 3× (${fl ? fmt(fl.mbPerSec / Number(x.warmMbPerSec), 2) : '?'}× wall) |`);
    log(`| first 1,000 events after open | ${fmt(Number(x.first1000Ms), 1)} ms | ≤ 100 ms |`);
    log(`| retained memory per event (heap + array buffers after GC) | ${fmt(Number(x.retainedBytesPerEvent), 0)} B | ≤ 300 B |`);
    log(`| retained memory per event (engine's own accounting) | ${fmt(Number(x.accountedBytesPerEvent), 0)} B | ≤ 300 B |`);
    log(`| peak RSS while indexing | ${fmt(Number(x.rssAfterIndexMb), 0)} MiB | ≤ 250 MiB |`);
    log(`| damaged ranges in the generated file | ${x.damage} | 0 |`);
    log('');
    log(`| full-text search over the whole file (${fmt(Number(x.ftMb), 0)} MiB, event XML) | ms | MiB/s | vs one Buffer.indexOf pass (${fmt(Number(x.ftRawMs), 0)} ms, ${x.ftRawHits} raw hits) |`);
    log('|---|---:|---:|---:|');
    log(`| first hit of "timed out" | ${fmt(Number(x.ftFirstMs), 1)} | | ${fmt(Number(x.ftFirstMs) / Number(x.ftRawMs), 3)}× |`);
    log(`| all hits of "TIMED OUT" (case-insensitive; ${x.ftAllHits} events) | ${fmt(Number(x.ftAllMs), 0)} | ${fmt(Number(x.ftMb) / (Number(x.ftAllMs) / 1000), 0)} | ${fmt(Number(x.ftAllMs) / Number(x.ftRawMs), 2)}× |`);
    log(`| all hits of /quick sync.*\\d{3}/i (${x.ftRegexHits} events) | ${fmt(Number(x.ftRegexMs), 0)} | ${fmt(Number(x.ftMb) / (Number(x.ftRegexMs) / 1000), 0)} | ${fmt(Number(x.ftRegexMs) / Number(x.ftRawMs), 2)}× |`);
    log('');
    log('| view build | ms | what | vs one Buffer.indexOf pass |');
    log('|---|---:|---|---:|');
    log(`| message view: read + pair every logged message | ${fmt(Number(x.msgMs), 0)} | ${x.msgCount} messages, ${x.msgPaired} paired${x.msgTruncated === 'true' ? ' (cut at the limit)' : ''} | ${fmt(Number(x.msgMs) / Number(x.ftRawMs), 2)}× |`);
    log(`| graph view: one activity's neighbourhood | ${fmt(Number(x.graphMs), 1)} | ${x.graphColumns} columns, ${x.graphEvents} events, ${x.graphArrows} arrows (incl. reading message ids: cached from the message view) | ${fmt(Number(x.graphMs) / Number(x.ftRawMs), 3)}× |`);
    log('');
    log(`| query over ${x.queryEvents} events (median) | ms | target |`);
    log('|---|---:|---|');
    for (const [k, v] of Object.entries(x)) {
      if (!k.startsWith('q:')) continue;
      const name = k.slice(2);
      const target = name.startsWith('level') || name.startsWith('source') ? '≤ 10 ms' : name.startsWith('substring') ? '≤ 100 ms' : '';
      log(`| ${name} | ${fmt(Number(v), 1)} | ${target} |`);
    }
  }
  realMix(log);
}

if (require.main === module) {
  const i = process.argv.indexOf('--trace-bench-child');
  if (i >= 0) {
    child(process.argv[i + 1], process.argv[i + 2]).catch((e: unknown) => { process.stderr.write(String((e as Error).stack ?? e)); process.exit(3); });
  } else {
    run().catch((e: unknown) => { process.stderr.write(String((e as Error).stack ?? e)); process.exit(3); });
  }
}
