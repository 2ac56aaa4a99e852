// Benchmark (not a test): a generated E2ETraceEvent file of TRACE_BENCH_MB megabytes (default 500) opened in the real
// webview (headless Chromium, CSP shell) over a real ViewerSession, one child process per scenario (so memory is per
// scenario): one decoding thread without a cache (as before), worker threads with a cold index cache, the reopen from
// that cache, and a big file (TRACE_BENCH_BIG_MB, default 2048; 0 skips it) on worker threads. Prints, per scenario, the
// first rows painted after the webview is ready (and where that time goes), decoding done, host growth next to the
// engine's own accounting, and (once) webview heap, DOM size and the bounded page cache while jumping around the file.
// Generated files live in os.tmpdir() and are deleted afterwards.
// Run: node scripts/build.mjs && TRACE_BENCH_MB=500 node --expose-gc out/test/webview/bench.js
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileAccess, nodeIndexCacheStore } from '../../src/util/nodeFileAccess';
import { workerRanges } from '../../src/util/traceWorkers';
import { WebviewServer, launch, openViewer } from './harness';
import { traceEvent } from './nodeAccess';
import { peakRssMb } from '../unit/helpers/peakRss';

// Page-side code runs in the browser; the Node type check has no DOM lib.
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const LEVELS: Array<[string, number]> = [['Information', 8], ['Verbose', 16], ['Warning', 4], ['Error', 2], ['Start', 255], ['Stop', 255], ['Transfer', 255]];

async function generate(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  let n = 0;
  let seed = 42;
  const rnd = (k: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % k; };
  const t0 = Date.UTC(2024, 0, 1);
  while (written < bytes) {
    const parts: string[] = [];
    for (let i = 0; i < 2000; i++, n++) {
      const [subType, level] = LEVELS[rnd(20) < 14 ? 0 : rnd(LEVELS.length)];
      const act = `{${(n >> 4).toString(16).padStart(8, '0')}-0000-4000-8000-${(n % 7).toString(16).padStart(12, '0')}}`;
      parts.push(traceEvent({
        time: new Date(t0 + n * 3).toISOString().replace('Z', `${String(rnd(10000)).padStart(4, '0')}Z`),
        subType, level, source: ['System.ServiceModel', 'Microsoft.Exchange.Connector', 'System.IdentityModel'][rnd(3)],
        activity: act, related: subType === 'Transfer' ? `{${((n >> 4) + 1).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000}` : undefined,
        process: ['w3wp', 'ExchangeConnector', 'iisexpress'][rnd(3)], pid: 1000 + rnd(8), thread: String(rnd(40)),
        description: `Event ${n}: ${['Throwing an exception.', 'Sent message over HTTP', 'Activity boundary.', 'Opened channel', 'Processing action'][rnd(5)]}`,
        eventId: 131000 + rnd(100),
      }));
    }
    const chunk = parts.join('');
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
  return n;
}


type Scenario = 'single' | 'workers' | 'reopen' | 'big';

interface Result {
  scenario: Scenario;
  events: number;
  firstRowsFromReady: number;
  /** ready → first host post with rows, → first getRows request, → its response posted, → painted. */
  breakdown: { hostRows: number; request: number; response: number; painted: number };
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
    const v = await openViewer(browser, server, [path], {
      theme: 'dark',
      access: nodeFileAccess,
      session: {
        decodeThreads: threads ? () => workerRanges() : undefined,
        indexCache: which === 'workers' || which === 'reopen' ? nodeIndexCacheStore(cacheDir, 4096 * MB) : undefined,
        onIndexed: (_i, src) => sources.push(src),
      },
    });
    // Timestamps of the protocol messages, to say where the time to the first rows goes.
    const at = (list: unknown[], pred: (m: never) => boolean): number => {
      const i = list.findIndex((m) => pred(m as never));
      return i;
    };
    await v.page.waitForSelector('.vt-row:not(.loading)', { timeout: 600_000 });
    const painted = Date.now();
    const ready = v.readyAt();
    const tw = v.toWebview as Array<{ type: string; view?: { total: number }; init?: { view: { total: number } }; ok?: boolean; result?: { rows?: unknown[] } }>;
    const fw = v.fromWebview as Array<{ type: string; method?: string }>;
    const times = v.times;
    const iRows = at(tw, (m: { type: string; view?: { total: number }; init?: { view: { total: number } } }) => (m.type === 'viewChanged' && (m.view?.total ?? 0) > 0) || (m.type === 'init' && (m.init?.view.total ?? 0) > 0));
    const iReq = at(fw, (m: { type: string; method?: string }) => m.type === 'request' && m.method === 'getRows');
    const iResp = at(tw, (m: { type: string; result?: { rows?: unknown[] } }) => m.type === 'response' && (m.result?.rows?.length ?? 0) > 0);
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
      scenario: which, events: total, firstRowsFromReady: painted - ready, breakdown, decodedMs, source: sources.join(','),
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

async function main(): Promise<void> {
  const mb = Number(process.env.TRACE_BENCH_MB ?? 500);
  const bigMb = Number(process.env.TRACE_BENCH_BIG_MB ?? 2048);
  const dir = mkdtempSync(join(tmpdir(), 'viewer-bench-'));
  const path = join(dir, 'bench.svclog');
  const cacheDir = join(dir, 'index-cache');
  try {
    const g0 = Date.now();
    const events = await generate(path, mb * MB);
    console.log(`generated ${(statSync(path).size / MB).toFixed(0)} MB, ${events.toLocaleString('en-US')} events in ${((Date.now() - g0) / 1000).toFixed(1)} s; load before: ${load()}`);
    const results: Result[] = [];
    for (const which of ['single', 'workers', 'reopen'] as const) results.push(await runChild(which, path, cacheDir, events));
    rmSync(path, { force: true });
    if (bigMb > 0) {
      const big = join(dir, 'big.svclog');
      const bigEvents = await generate(big, bigMb * MB);
      console.log(`generated ${(statSync(big).size / MB).toFixed(0)} MB, ${bigEvents.toLocaleString('en-US')} events`);
      try { results.push(await runChild('big', big, cacheDir, bigEvents)); } finally { rmSync(big, { force: true }); }
    }
    const label: Record<Scenario, string> = {
      single: `${mb} MB, one thread, no cache`, workers: `${mb} MB, ${availableParallelism()} workers, cold cache`,
      reopen: `${mb} MB, reopened from the index cache`, big: `${bigMb} MB, ${availableParallelism()} workers`,
    };
    console.log('');
    console.log(`| viewer (load after: ${load()}) | first rows after ready | host: rows / getRows in / answered / painted | all rows (decoding done) | host growth (RSS / heap+buffers) | engine's retained index | growth ÷ engine | peak RSS |`);
    console.log('|---|---:|---|---:|---:|---:|---:|---:|');
    for (const r of results) {
      const b = r.breakdown;
      const growth = r.rssAfterMb - r.rssBeforeMb;
      console.log(`| ${label[r.scenario]} (${r.events.toLocaleString('en-US')} events; ${r.source}) | ${r.firstRowsFromReady} ms | ${b.hostRows} / ${b.request} / ${b.response} / ${b.painted} ms | ${(r.decodedMs / 1000).toFixed(2)} s | ${growth.toFixed(0)} MB / ${r.heapGrowthMb.toFixed(0)} MB | ${r.engineMb.toFixed(0)} MB | ${(growth / r.engineMb).toFixed(2)}× / ${(r.heapGrowthMb / r.engineMb).toFixed(2)}× | ${r.peakRssMb.toFixed(0)} MB |`);
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
