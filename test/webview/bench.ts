// Benchmark (not a test): a generated E2ETraceEvent file of TRACE_BENCH_MB megabytes (default 500) opened in the real
// webview (headless Chromium, CSP shell) over a real ViewerSession. Prints time to the first rows painted, time to the
// end of decoding, host memory, webview JS heap and DOM size, and checks the webview holds only the visible rows plus
// a bounded page cache while jumping around the file.
// Run: node scripts/build.mjs && TRACE_BENCH_MB=500 node out/test/webview/bench.js
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebviewServer, launch, openViewer } from './harness';
import { traceEvent } from './nodeAccess';

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

async function main(): Promise<void> {
  const mb = Number(process.env.TRACE_BENCH_MB ?? 500);
  const dir = mkdtempSync(join(tmpdir(), 'viewer-bench-'));
  const path = join(dir, 'bench.svclog');
  const server = new WebviewServer();
  try {
    const g0 = Date.now();
    const events = await generate(path, mb * 1024 * 1024);
    console.log(`generated ${(statSync(path).size / 1048576).toFixed(0)} MB, ${events.toLocaleString('en-US')} events in ${((Date.now() - g0) / 1000).toFixed(1)} s`);
    await server.start();
    const browser = await launch();
    const rss0 = process.memoryUsage().rss;
    const t0 = Date.now();
    const v = await openViewer(browser, server, [path], { theme: 'dark' });
    await v.page.waitForSelector('.vt-row:not(.loading)', { timeout: 600_000 });
    const painted = Date.now();
    const firstRows = painted - t0;
    const firstRowsFromReady = painted - v.readyAt();
    await v.page.waitForSelector('body[data-decoding="done"]', { timeout: 3_600_000 });
    const decoded = Date.now() - t0;
    const cdp = await v.context.newCDPSession(v.page);
    await cdp.send('Performance.enable');
    const heap = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    };
    const heapAfterLoad = await heap();
    // Jump around: End, Home, thumb drags, page downs.
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
    const mem = process.memoryUsage();
    const rows: Array<[string, string]> = [
      ['file', `${mb} MB, ${events.toLocaleString('en-US')} events`],
      ['first rows painted (from opening the page / from webview ready)', `${firstRows} ms / ${firstRowsFromReady} ms`],
      ['decoding done', `${(decoded / 1000).toFixed(1)} s`],
      ['Error filter applied and painted', `${filterMs} ms`],
      ['host RSS (Node: session + engine + driver)', `${(mem.rss / 1048576).toFixed(0)} MB (was ${(rss0 / 1048576).toFixed(0)} MB before opening)`],
      ['host heap used', `${(mem.heapUsed / 1048576).toFixed(0)} MB`],
      ['webview JS heap after load / after scrolling', `${(heapAfterLoad / 1048576).toFixed(1)} MB / ${(heapAfterScroll / 1048576).toFixed(1)} MB`],
      ['webview DOM elements', String(domNodes)],
      ['most table rows in the DOM / pages cached', `${maxRows} / ${maxPages}`],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    for (const [k, val] of rows) console.log(`${k.padEnd(w)}  ${val}`);
    await v.close();
    await browser.close();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
