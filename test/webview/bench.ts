// Benchmark (not a test): a generated E2ETraceEvent file of TRACE_BENCH_MB megabytes (default 500) opened in the real
// webview (headless Chromium, CSP shell) over a real ViewerSession, one child process per scenario (so memory is per
// scenario): one decoding thread without a cache (as before), worker threads with a cold index cache, the reopen from
// that cache, and a big file (TRACE_BENCH_BIG_MB, default 2048; 0 skips it) on worker threads. Prints, per scenario, the
// first rows painted after the webview is ready (and where that time goes), decoding done, host growth next to the
// engine's own accounting, and (once) webview heap, DOM size and the bounded page cache while jumping around the file.
// The first rows are timed twice: as Node sees them (every message one Playwright hop into the page, which VS Code
// does not have, and Node busy decoding) and by the page's own clock (performance.now() from its ready post to the
// frame that painted the first row), with the page's and the host's CPU time over the same span.
// Generated files live in os.tmpdir() and are deleted afterwards (TRACE_BENCH_FILE=path keeps one for the next run).
// TRACE_BENCH_START=open starts decoding when the viewer opens, as VS Code does (default: when the webview is ready).
// Run: node scripts/build.mjs && TRACE_BENCH_MB=500 [TRACE_BENCH_SCENARIOS=single,workers] node --expose-gc out/test/webview/bench.js
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CDPSession } from 'playwright-core';
import { nodeFileAccess, nodeIndexCacheStore } from '../../src/util/nodeFileAccess';
import { workerRanges } from '../../src/util/traceWorkers';
import { WebviewServer, launch, openViewer, type PageTimes } from './harness';
import { benchFile, generate } from './benchFile';
import { peakRssMb } from '../unit/helpers/peakRss';

// Page-side code runs in the browser; the Node type check has no DOM lib.
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

type Scenario = 'single' | 'workers' | 'reopen' | 'big';

/** Page-side ms after the page posted ready: init in, first view with rows in, getRows out, rows in, row in the DOM, painted. */
interface InPage { init: number; view: number; request: number; rows: number; dom: number; painted: number }

function inPage(t: PageTimes): InPage {
  const first = (p: (m: PageTimes['messages'][number]) => boolean): number => (t.messages.find(p)?.t ?? NaN) - t.ready;
  return {
    init: first((m) => m.dir === 'in' && m.type === 'init'),
    view: first((m) => m.dir === 'in' && (m.total ?? 0) > 0),
    request: first((m) => m.dir === 'out' && m.method === 'getRows'),
    rows: first((m) => m.dir === 'in' && (m.rows ?? 0) > 0),
    dom: (t.firstRow ?? NaN) - t.ready,
    painted: (t.firstRowPainted ?? NaN) - t.ready,
  };
}

/** The page's CDP counters in ms (TaskDuration, ScriptDuration, LayoutDuration, RecalcStyleDuration). */
async function metrics(cdp: CDPSession | undefined): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (!cdp) return out;
  for (const m of (await cdp.send('Performance.getMetrics')).metrics) out[m.name] = m.value * 1000;
  return out;
}

interface Result {
  scenario: Scenario;
  events: number;
  firstRowsFromReady: number;
  /** As Node saw it (each message one Playwright hop): ready → first host post with rows, → first getRows request, → its response posted, → painted. */
  breakdown: { hostRows: number; request: number; response: number; painted: number };
  /** As the page saw it (its own clock, from its ready post): see inPage(). */
  page: InPage;
  /** CPU while the first rows came: the page's main thread (CDP task/script/layout+style ms) and the host process. */
  cpu: { pageTask: number; pageScript: number; pageLayout: number; host: number };
  decodedMs: number;
  source: string;
  rssBeforeMb: number;
  rssAfterMb: number;
  peakRssMb: number;
  heapGrowthMb: number;
  engineMb: number;
  extra: Array<[string, string]>;
}

const MB = 1048576;
const gc = async (): Promise<void> => {
  const g = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) { g?.(); await new Promise((r) => setTimeout(r, 30)); }
};

async function scenario(which: Scenario, path: string, cacheDir: string, events: number): Promise<Result> {
  const server = new WebviewServer();
  await server.start();
  const browser = await launch();
  try {
    await gc();
    const m0 = process.memoryUsage();
    const sources: string[] = [];
    const threads = which !== 'single';
    let cdp: CDPSession | undefined;
    let atReady: Promise<Record<string, number>> | undefined;
    let hostCpu0 = process.cpuUsage();
    const v = await openViewer(browser, server, [path], {
      theme: 'dark',
      access: nodeFileAccess,
      session: {
        decodeThreads: threads ? () => workerRanges() : undefined,
        indexCache: which === 'workers' || which === 'reopen' ? nodeIndexCacheStore(cacheDir, 4096 * MB) : undefined,
        onIndexed: (_i, src) => sources.push(src),
      },
      startAtOpen: process.env.TRACE_BENCH_START === 'open',
      onPage: async (page) => { cdp = await page.context().newCDPSession(page); await cdp.send('Performance.enable'); },
      // The page does nothing between its ready post and the host's first message: its CPU counters taken now are its CPU at ready.
      onReady: () => { hostCpu0 = process.cpuUsage(); atReady = metrics(cdp); },
    });
    // Timestamps of the protocol messages, to say where the time to the first rows goes.
    const at = (list: unknown[], pred: (m: never) => boolean): number => {
      const i = list.findIndex((m) => pred(m as never));
      return i;
    };
    await v.page.waitForSelector('.vt-row:not(.loading)', { timeout: 600_000 });
    const painted = Date.now();
    const hostCpu = process.cpuUsage(hostCpu0);
    await v.page.waitForFunction(() => (window as { __times: PageTimes }).__times.firstRowPainted !== undefined, undefined, { timeout: 60_000 });
    const times0 = await v.pageTimes();
    if (process.env.TRACE_BENCH_DEBUG) for (const m of times0.messages) console.error(`${(m.t - times0.ready).toFixed(1)} ${m.dir} ${m.type} ${m.method ?? ''} rows=${m.rows ?? ''} total=${m.total ?? ''}`);
    if (process.env.TRACE_BENCH_DEBUG) console.error(JSON.stringify(times0, ['ready', 'firstRow', 'firstRowPainted']));
    const m0p = await atReady!, m1p = await metrics(cdp);
    // The page's CPU up to the paint of the first rows is what the counters say now minus what it did after that paint.
    const page = inPage(times0);
    const cpu = {
      pageTask: m1p.TaskDuration - m0p.TaskDuration, pageScript: m1p.ScriptDuration - m0p.ScriptDuration,
      pageLayout: m1p.LayoutDuration + m1p.RecalcStyleDuration - m0p.LayoutDuration - m0p.RecalcStyleDuration, host: (hostCpu.user + hostCpu.system) / 1000,
    };
    const ready = v.readyAt();
    const tw = v.toWebview;
    const fw = v.fromWebview as Array<{ type: string; method?: string }>;
    const times = v.times;
    const iRows = at(tw, (m: { type: string; view?: { total: number }; init?: { view: { total: number } } }) => (m.type === 'viewChanged' && (m.view?.total ?? 0) > 0) || (m.type === 'init' && (m.init?.view.total ?? 0) > 0));
    const iReq = at(fw, (m: { type: string; method?: string }) => m.type === 'request' && m.method === 'getRows');
    // The first message carrying rows: the answer to a getRows, or rows the host pushed unasked.
    const iResp = at(tw, (m: { type: string; view?: { rows?: { rows: unknown[] } }; result?: { rows?: unknown[] } }) => (m.view?.rows?.rows.length ?? m.result?.rows?.length ?? 0) > 0);
    const rel = (t: number | undefined): number => (t === undefined ? NaN : t - ready);
    const breakdown = { hostRows: rel(times.to[iRows]), request: rel(times.from[iReq]), response: rel(times.to[iResp]), painted: painted - ready };
    await v.page.waitForSelector('body[data-decoding="done"]', { timeout: 3_600_000 });
    const decodedMs = Date.now() - ready;
    const total = Number(await v.page.getAttribute('body', 'data-total'));
    await gc();
    const m1 = process.memoryUsage();
    const engineMb = v.session.collection.retainedBytes() / MB;
    const extra: Array<[string, string]> = [];
    if (total !== events) extra.push(['rows shown', `${total} (expected ${events})`]);
    if (which === 'workers' || which === 'big') {
      // Every row reachable: End shows the file's last event.
      await v.page.focus('.vt-viewport');
      await v.page.keyboard.press('End');
      await v.page.waitForFunction(() => document.querySelectorAll('.vt-row.loading').length === 0, undefined, { timeout: 120_000 });
      const last = await v.page.evaluate(() => Math.max(...Array.from(document.querySelectorAll('.vt-row') as ArrayLike<{ dataset: { index: string } }>).map((r) => Number(r.dataset.index))));
      const lastRow = (await v.session.getRows(total - 1, 1)).rows[0];
      extra.push(['last row reachable (End)', `row ${last + 1} of ${total}: ${lastRow?.message.slice(0, 24) ?? '?'}`]);
      await v.page.keyboard.press('Home');
    }
    if (which === 'workers') extra.push(...await jumpAround(v));
    await v.close();
    return {
      scenario: which, events: total, firstRowsFromReady: painted - ready, breakdown, page, cpu, decodedMs, source: sources.join(','),
      rssBeforeMb: m0.rss / MB, rssAfterMb: m1.rss / MB, peakRssMb: peakRssMb(),
      heapGrowthMb: (m1.heapUsed + m1.arrayBuffers - m0.heapUsed - m0.arrayBuffers) / MB, engineMb, extra,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** End, Home, thumb drags, page downs: the webview keeps only the visible rows and a bounded page cache. */
async function jumpAround(v: Awaited<ReturnType<typeof openViewer>>): Promise<Array<[string, string]>> {
  const cdp = await v.context.newCDPSession(v.page);
  await cdp.send('Performance.enable');
  const heap = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  };
  const heapAfterLoad = await heap();
  await v.page.focus('.vt-viewport');
  let maxRows = 0;
  let maxPages = 0;
  const sample = async (): Promise<void> => {
    await v.page.waitForFunction(() => document.querySelectorAll('.vt-row.loading').length === 0, undefined, { timeout: 60_000 });
    maxRows = Math.max(maxRows, await v.page.locator('.vt-row').count());
    maxPages = Math.max(maxPages, Number(await v.page.getAttribute('.vt', 'data-cached-pages')));
  };
  for (const key of ['End', 'Home', 'PageDown', 'PageDown', 'End', 'PageUp']) { await v.page.keyboard.press(key); await sample(); }
  const track = await v.page.locator('.vt-scrollbar').boundingBox();
  if (track) {
    for (const f of [0.1, 0.5, 0.9, 0.3, 0.7]) {
      const thumb = await v.page.locator('.vt-thumb').boundingBox();
      if (!thumb) break;
      await v.page.mouse.move(thumb.x + thumb.width / 2, thumb.y + thumb.height / 2);
      await v.page.mouse.down();
      await v.page.mouse.move(thumb.x + thumb.width / 2, track.y + track.height * f, { steps: 3 });
      await v.page.mouse.up();
      await sample();
    }
  }
  const heapAfterScroll = await heap();
  const domNodes = await v.page.evaluate(() => document.getElementsByTagName('*').length);
  const filter0 = Date.now();
  await v.page.locator('.levels button[data-level="Error"]').click();
  await v.page.waitForFunction(() => Number(document.body.dataset.total) > 0 && document.querySelector('.levels button[data-level="Error"]').getAttribute('aria-pressed') === 'true' && document.querySelectorAll('.vt-row.loading').length === 0, undefined, { timeout: 120_000 });
  const filterMs = Date.now() - filter0;
  return [
    ['Error filter applied and painted', `${filterMs} ms`],
    ['webview JS heap after load / after scrolling', `${(heapAfterLoad / MB).toFixed(1)} MB / ${(heapAfterScroll / MB).toFixed(1)} MB`],
    ['webview DOM elements', String(domNodes)],
    ['most table rows in the DOM / pages cached', `${maxRows} / ${maxPages}`],
  ];
}

function runChild(which: Scenario, path: string, cacheDir: string, events: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', __filename, '--scenario', which, path, cacheDir, String(events)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)) as Result);
      else reject(new Error(`viewer benchmark scenario ${which} exited with ${String(code)}: ${out.slice(-2000)}`));
    });
  });
}

const load = (): string => `${loadavg().map((x) => x.toFixed(2)).join(' / ')} on ${availableParallelism()} cores`;

/** TRACE_BENCH_SCENARIOS=single,workers runs only those (reopen reads the cache the workers scenario wrote before it). */
function chosen(): Scenario[] {
  const all: Scenario[] = ['single', 'workers', 'reopen', 'big'];
  const want = (process.env.TRACE_BENCH_SCENARIOS ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  for (const w of want) if (!all.includes(w as Scenario)) throw new Error(`TRACE_BENCH_SCENARIOS: unknown scenario ${w} (known: ${all.join(', ')})`);
  return want.length ? all.filter((x) => want.includes(x)) : all;
}

async function main(): Promise<void> {
  const mb = Number(process.env.TRACE_BENCH_MB ?? 500);
  const bigMb = Number(process.env.TRACE_BENCH_BIG_MB ?? 2048);
  const scenarios = chosen();
  const dir = mkdtempSync(join(tmpdir(), 'viewer-bench-'));
  // TRACE_BENCH_FILE keeps the generated file for the next run (its folder is made; it is not deleted).
  const kept = process.env.TRACE_BENCH_FILE;
  const path = kept || join(dir, 'bench.svclog');
  const cacheDir = join(dir, 'index-cache');
  try {
    const g0 = Date.now();
    if (kept) mkdirSync(dirname(kept), { recursive: true });
    const { events, reused } = await benchFile(path, mb * MB, !!kept);
    if (process.env.TRACE_BENCH_START === 'open') console.log('decoding starts when the viewer opens (as in VS Code), not when the webview is ready');
    console.log(`${reused ? 'reused' : 'generated'} ${(statSync(path).size / MB).toFixed(0)} MB, ${events.toLocaleString('en-US')} events in ${((Date.now() - g0) / 1000).toFixed(1)} s; load before: ${load()}`);
    const results: Result[] = [];
    for (const which of scenarios.filter((x) => x !== 'big')) results.push(await runChild(which, path, cacheDir, events));
    if (!kept) rmSync(path, { force: true });
    if (bigMb > 0 && scenarios.includes('big')) {
      const big = join(dir, 'big.svclog');
      const bigEvents = await generate(big, bigMb * MB);
      console.log(`generated ${(statSync(big).size / MB).toFixed(0)} MB, ${bigEvents.toLocaleString('en-US')} events`);
      try { results.push(await runChild('big', big, cacheDir, bigEvents)); } finally { rmSync(big, { force: true }); }
    }
    const label: Record<Scenario, string> = {
      single: `${mb} MB, one thread, no cache`, workers: `${mb} MB, ${availableParallelism()} threads (this one and workers), cold cache`,
      reopen: `${mb} MB, reopened from the index cache`, big: `${bigMb} MB, ${availableParallelism()} threads`,
    };
    console.log('');
    console.log(`| viewer (load after: ${load()}) | first rows after ready | host: rows / getRows in / answered / painted | all rows (decoding done) | host growth (RSS / heap+buffers) | engine's retained index | growth ÷ engine | peak RSS |`);
    console.log('|---|---:|---|---:|---:|---:|---:|---:|');
    for (const r of results) {
      const b = r.breakdown;
      const growth = r.rssAfterMb - r.rssBeforeMb;
      console.log(`| ${label[r.scenario]} (${r.events.toLocaleString('en-US')} events; ${r.source}) | ${r.firstRowsFromReady} ms | ${b.hostRows} / ${b.request} / ${b.response} / ${b.painted} ms | ${(r.decodedMs / 1000).toFixed(2)} s | ${growth.toFixed(0)} MB / ${r.heapGrowthMb.toFixed(0)} MB | ${r.engineMb.toFixed(0)} MB | ${(growth / r.engineMb).toFixed(2)}× / ${(r.heapGrowthMb / r.engineMb).toFixed(2)}× | ${r.peakRssMb.toFixed(0)} MB |`);
    }
    // The page's own clock: no Playwright hop between the host and what is measured (real VS Code has none either).
    const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : '–');
    console.log('\n| first rows, in the page (ms after its ready post) | init in | first view with rows in | getRows out | rows in | row in the DOM | **painted** | page CPU: tasks / script / layout+style | host CPU |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      const p = r.page, c = r.cpu;
      console.log(`| ${label[r.scenario]} | ${ms(p.init)} | ${ms(p.view)} | ${ms(p.request)} | ${ms(p.rows)} | ${ms(p.dom)} | **${ms(p.painted)}** | ${ms(c.pageTask)} / ${ms(c.pageScript)} / ${ms(c.pageLayout)} ms | ${ms(c.host)} ms |`);
    }
    const cold = results.find((r) => r.scenario === 'workers'), warm = results.find((r) => r.scenario === 'reopen');
    if (cold && warm) console.log(`\ncold open (all rows) ${(cold.decodedMs / 1000).toFixed(2)} s vs cached reopen ${warm.decodedMs} ms (${(cold.decodedMs / warm.decodedMs).toFixed(1)}× faster; target ≤ 300 ms)`);
    for (const r of results) for (const [k, val] of r.extra) console.log(`${label[r.scenario]}: ${k}: ${val}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const si = process.argv.indexOf('--scenario');
if (si >= 0) {
  const [which, path, cacheDir, events] = process.argv.slice(si + 1);
  scenario(which as Scenario, path, cacheDir, Number(events)).then(
    (r) => { process.stdout.write(`RESULT ${JSON.stringify(r)}\n`); process.exit(0); },
    (e: unknown) => { console.error(e); process.exit(1); },
  );
} else {
  main().catch((e) => { console.error(e); process.exit(1); });
}
