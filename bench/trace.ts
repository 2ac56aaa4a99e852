// Trace engine benchmark: the boundary-scan floor (Buffer.indexOf), saxes, txml and the engine, side by side on the
// same generated file, each in its own child process (so peak RSS is per contender), then queries over ≥ 1M events.
// Size: BENCH_TRACE_MB (default 500); seed: BENCH_TRACE_SEED (default 4242). The file is cached in os.tmpdir().
// BENCH_TRACE_CONTENDERS=floor,engine runs a subset (default: all four).

import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import * as txml from 'txml';
import * as engine from '../src/trace/index';
import { ensureTraceFile } from './traceGen';

const CHUNK = 4 << 20;
const MiB = 1024 * 1024;

interface ParseResult {
  name: string;
  events: number;
  seconds: number;
  mbPerSec: number;
  /** CPU seconds (user + system) of the parse, and MiB per CPU second: steadier than wall time on a shared machine. */
  cpuSeconds?: number;
  mbPerCpuSec?: number;
  maxRssMb: number;
  extra?: Record<string, number | string>;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function eachChunk(path: string, fn: (chunk: Buffer) => void): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  let total = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n <= 0) break;
      fn(buf.subarray(0, n));
      total += n;
    }
  } finally {
    closeSync(fd);
  }
  return total;
}

// ---- contenders (run inside a child process) -----------------------------------------------------------------------

function floor(path: string): ParseResult {
  // Reads into one buffer, keeping the last (signature length − 1) bytes in front of the next read: no copies.
  const sig = Buffer.from('<E2ETraceEvent');
  const keep = sig.length - 1;
  cpuStart();
  const t0 = now();
  let events = 0;
  let bytes = 0;
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK + keep);
  let have = 0;
  for (;;) {
    const n = readSync(fd, buf, have, CHUNK, null);
    if (n <= 0) break;
    bytes += n;
    const end = have + n;
    const view = buf.subarray(0, end);
    let i = view.indexOf(sig);
    while (i >= 0) { events++; i = view.indexOf(sig, i + sig.length); }
    buf.copy(buf, 0, end - keep, end);
    have = keep;
  }
  closeSync(fd);
  const s = (now() - t0) / 1000;
  return withCpu({ name: 'floor (Buffer.indexOf)', events, seconds: s, mbPerSec: bytes / MiB / s, maxRssMb: maxRssMb() }, bytes);
}

/** Fields every contender extracts per event (not retained; a checksum keeps the work observable). */
interface Sink { events: number; check: number }
function sinkEvent(sink: Sink, time: string, level: string, source: string, activity: string, process: string, message: string): void {
  sink.events++;
  sink.check = (sink.check + time.length + level.length + source.length + activity.length + process.length + message.length) | 0;
}

async function saxesRun(path: string): Promise<ParseResult> {
  const parser = new SaxesParser({ fragment: true });
  const sink: Sink = { events: 0, check: 0 };
  let time = '', level = '', source = '', activity = '', proc = '', message = '';
  let capture = false;
  let inSystem = false;
  parser.on('opentag', (t) => {
    const name = t.name.slice(t.name.indexOf(':') + 1);
    const a = t.attributes as Record<string, string>;
    switch (name) {
      case 'E2ETraceEvent': time = level = source = activity = proc = message = ''; break;
      case 'System': inSystem = true; break;
      case 'SubType': level = a.Name ?? ''; break;
      case 'TimeCreated': time = a.SystemTime ?? ''; break;
      case 'Source': if (inSystem) source = a.Name ?? ''; break;
      case 'Correlation': activity = a.ActivityID ?? ''; break;
      case 'Execution': proc = a.ProcessName ?? ''; break;
      case 'Description': capture = true; break;
      default: break;
    }
  });
  parser.on('text', (t) => { if (capture) message += t; });
  parser.on('closetag', (t) => {
    const name = t.name.slice(t.name.indexOf(':') + 1);
    if (name === 'Description') capture = false;
    else if (name === 'System') inSystem = false;
    else if (name === 'E2ETraceEvent') sinkEvent(sink, time, level, source, activity, proc, message);
  });
  const dec = new TextDecoder('utf-8');
  cpuStart();
  const t0 = now();
  const bytes = eachChunk(path, (chunk) => { parser.write(dec.decode(chunk, { stream: true })); });
  parser.close();
  const s = (now() - t0) / 1000;
  return withCpu({ name: 'saxes 6 (SAX, fragment)', events: sink.events, seconds: s, mbPerSec: bytes / MiB / s, maxRssMb: maxRssMb() }, bytes);
}

async function txmlRun(path: string): Promise<ParseResult> {
  type N = { tagName: string; attributes: Record<string, string | null>; children: Array<N | string> };
  const sink: Sink = { events: 0, check: 0 };
  const dec = new TextDecoder('utf-8');
  const endTag = '</E2ETraceEvent>';
  let carry = '';
  const local = (n: string): string => n.slice(n.indexOf(':') + 1);
  const visit = (ev: N): void => {
    let time = '', level = '', source = '', activity = '', proc = '', message = '';
    for (const c of ev.children) {
      if (typeof c === 'string') continue;
      if (local(c.tagName) === 'System') {
        for (const s of c.children) {
          if (typeof s === 'string') continue;
          const a = s.attributes;
          switch (local(s.tagName)) {
            case 'SubType': level = a.Name ?? ''; break;
            case 'TimeCreated': time = a.SystemTime ?? ''; break;
            case 'Source': source = a.Name ?? ''; break;
            case 'Correlation': activity = a.ActivityID ?? ''; break;
            case 'Execution': proc = a.ProcessName ?? ''; break;
            default: break;
          }
        }
      } else if (local(c.tagName) === 'ApplicationData') {
        const stack: Array<N | string> = [...c.children];
        while (stack.length) {
          const x = stack.pop()!;
          if (typeof x === 'string') continue;
          if (local(x.tagName) === 'Description') { message = x.children.filter((y) => typeof y === 'string').join(''); break; }
          stack.push(...x.children);
        }
      }
    }
    sinkEvent(sink, time, level, source, activity, proc, message);
  };
  cpuStart();
  const t0 = now();
  const bytes = eachChunk(path, (chunk) => {
    const text = carry + dec.decode(chunk, { stream: true });
    const cut = text.lastIndexOf(endTag);
    if (cut < 0) { carry = text; return; }
    carry = text.slice(cut + endTag.length);
    const nodes = txml.parse(text.slice(0, cut + endTag.length), { keepWhitespace: true }) as Array<N | string>;
    for (const n of nodes) if (typeof n !== 'string' && local(n.tagName) === 'E2ETraceEvent') visit(n);
  });
  const s = (now() - t0) / 1000;
  return withCpu({ name: 'txml 6 (DOM per chunk)', events: sink.events, seconds: s, mbPerSec: bytes / MiB / s, maxRssMb: maxRssMb() }, bytes);
}

function withCpu(r: ParseResult, bytes: number): ParseResult {
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { ...r, cpuSeconds, mbPerCpuSec: bytes / MiB / cpuSeconds };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeIt(fn: () => unknown, runs = 7): number {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) { const t = now(); fn(); xs.push(now() - t); }
  return median(xs);
}

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
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
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
  };
  for (const [k, v] of Object.entries(q)) extra[`q:${k}`] = v;
  return { name: 'engine (src/trace)', events, seconds: s, mbPerSec: size / MiB / s, cpuSeconds, mbPerCpuSec: size / MiB / cpuSeconds, maxRssMb: rssAfterIndex, extra };
}

let cpuAtStart: NodeJS.CpuUsage | undefined;
/** Marks the start of a timed parse for CPU accounting (each contender calls it right before its clock starts). */
function cpuStart(): void {
  cpuAtStart = process.cpuUsage();
}

async function child(name: string, path: string): Promise<void> {
  const r = name === 'floor' ? floor(path) : name === 'saxes' ? await saxesRun(path) : name === 'txml' ? await txmlRun(path) : await engineRun(path);
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
  const contenders = (process.env.BENCH_TRACE_CONTENDERS ?? 'floor,saxes,txml,engine').split(',').map((x) => x.trim());
  for (const name of contenders) {
    const p = spawnSync(process.execPath, ['--expose-gc', __filename, '--trace-bench-child', name, path], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const line = p.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) { log(`${name}: failed (${p.status}) ${p.stderr.slice(0, 2000)}`); continue; }
    const r = JSON.parse(line.slice(7)) as ParseResult;
    results.push(r);
    log(`  ${r.name}: ${r.events} events, ${fmt(r.seconds, 2)} s, ${fmt(r.mbPerSec, 0)} MiB/s, peak RSS ${fmt(r.maxRssMb, 0)} MiB`);
  }
  const get = (prefix: string): ParseResult | undefined => results.find((r) => r.name.startsWith(prefix));
  const fl = get('floor'), sx = get('saxes'), tx = get('txml'), en = get('engine');
  log('');
  log('| contender | events | wall (s) | MiB/s (wall) | CPU (s) | MiB/s (CPU) | engine vs this (wall / CPU) | peak RSS (MiB) |');
  log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const cpuRatio = (a?: number, b?: number): string => (a && b ? fmt(a / b, 2) : '?');
    const ratio = en && r !== en
      ? (r === fl ? `floor is ${fmt(r.mbPerSec / en.mbPerSec, 2)}× / ${cpuRatio(r.mbPerCpuSec, en.mbPerCpuSec)}× the engine` : `${fmt(en.mbPerSec / r.mbPerSec, 2)}× / ${cpuRatio(en.mbPerCpuSec, r.mbPerCpuSec)}×`)
      : '—';
    log(`| ${r.name} | ${r.events} | ${fmt(r.seconds, 2)} | ${fmt(r.mbPerSec, 0)} | ${fmt(r.cpuSeconds ?? NaN, 2)} | ${fmt(r.mbPerCpuSec ?? NaN, 0)} | ${ratio} | ${fmt(r.maxRssMb, 0)} |`);
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
