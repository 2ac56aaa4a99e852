// Trace engine benchmark: the boundary-scan floor (Buffer.indexOf), saxes, txml and the engine, side by side on the
// same generated file, each in its own child process (so peak RSS is per contender), then queries over ≥ 1M events.
// Size: BENCH_TRACE_MB (default 500); seed: BENCH_TRACE_SEED (default 4242). The file is cached in os.tmpdir().
// BENCH_TRACE_CONTENDERS=floor,engine runs a subset (default: all four).

import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as engine from '../src/trace/index';
import { availableParallelism, loadavg } from 'node:os';
import { ensureTraceFile } from './traceGen';
import { CHUNK, MiB, eachChunk, floor, now, saxesRun, txmlRun, type ParseResult } from './traceContenders';

import { cacheRun, decodeOnlyRun, engineRun, engineWorkersRun } from './traceEngineRuns';

async function child(name: string, path: string): Promise<void> {
  const r = name === 'floor' ? floor(path) : name === 'saxes' ? await saxesRun(path) : name === 'txml' ? await txmlRun(path)
    : name === 'workers' ? await engineWorkersRun(path) : name === 'decode' ? await decodeOnlyRun(path) : name === 'cache' ? await cacheRun(path) : await engineRun(path);
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

/** One child process of the benchmark, asynchronously (so two can run at once). */
function childRun(name: string, path: string): Promise<ParseResult | undefined> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--expose-gc', __filename, '--trace-bench-child', name, path], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    p.on('close', () => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      resolve(line ? JSON.parse(line.slice(7)) as ParseResult : undefined);
    });
  });
}

/**
 * What two cores give two decoders that share nothing: the single-thread decode alone, then two of it at once in two
 * processes, each over the whole file. Their combined speed over one alone is the most any split of one file into two
 * threads could gain here (it has no cutting, no merging, no thread start-up).
 */
async function ceiling(path: string, log: (s: string) => void): Promise<void> {
  const size = statSync(path).size / MiB;
  const alone: number[] = [], pair: number[] = [];
  for (let k = 0; k < 2; k++) {
    const one = await childRun('decode', path);
    if (one) alone.push(one.seconds);
    const two = await Promise.all([childRun('decode', path), childRun('decode', path)]);
    if (two[0] && two[1]) pair.push(Math.max(two[0].seconds, two[1].seconds));
  }
  if (alone.length === 0 || pair.length === 0) { log('ceiling: a decode child failed'); return; }
  const a = Math.min(...alone), p = Math.min(...pair);
  log('');
  log(`| the machine's ceiling for two threads (load ${loadNote()}; best of 2) | value |`);
  log('|---|---:|');
  log(`| one single-thread decode alone (a process of its own) | ${fmt(a, 2)} s, ${fmt(size / a, 0)} MiB/s |`);
  log(`| two of them at once (two processes, each the whole file): the slower | ${fmt(p, 2)} s, ${fmt((2 * size) / p, 0)} MiB/s together |`);
  log(`| together vs one alone: the most a two-way split can gain here | **${fmt((2 * a) / p, 2)}×** |`);
}

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
  const contenders = (process.env.BENCH_TRACE_CONTENDERS ?? 'floor,saxes,txml,engine,workers,cache,ceiling').split(',').map((x) => x.trim());
  for (const name of contenders.filter((n) => n !== 'ceiling')) {
    const p = spawnSync(process.execPath, ['--expose-gc', __filename, '--trace-bench-child', name, path], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const line = p.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) { log(`${name}: failed (${p.status}) ${p.stderr.slice(0, 2000)}`); continue; }
    const r = JSON.parse(line.slice(7)) as ParseResult;
    results.push(r);
    log(`  ${r.name}: ${r.events} events, ${fmt(r.seconds, 2)} s, ${fmt(r.mbPerSec, 0)} MiB/s, peak RSS ${fmt(r.maxRssMb, 0)} MiB`);
  }
  const get = (prefix: string): ParseResult | undefined => results.find((r) => r.name.startsWith(prefix));
  const fl = get('floor'), sx = get('saxes'), tx = get('txml'), en = get('engine on 1 thread'), wk = results.find((r) => /^engine on \d+ threads/.test(r.name));
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
  if (contenders.includes('ceiling')) await ceiling(path, log);
  if (wk?.extra) {
    const x = wk.extra;
    const ratio = (a?: number, b?: number): string => (a && b ? fmt(a / b, 2) : '?');
    log('');
    log(`| engine on ${x.threads} threads (load ${loadNote()}) | value | target |`);
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
