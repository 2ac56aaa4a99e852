// Benchmark (not a test): the trace viewer in the real VS Code (code-server and Chromium, the packaged extension) on
// a generated 500 MB E2ETraceEvent file, opened as a person would (Quick Open), then closed and opened again (from
// the index cache). Prints, per opening, the first rows painted and all rows decoded, in the webview's own clock from
// its ready post (the marks ers-ready and ers-first-rows the viewer sets), and the extension host's RSS before and
// after. Needs the packaged extension (node scripts/build.mjs --production && npm run package). TRACE_BENCH_MB picks
// the size (default 500). Run: node out/test/ui/firstRowsBench.js
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { benchFile } from '../webview/benchFile';
import { openWorkbench, quickOpen, runFromPalette, vsixPath } from './workbench';

const MB = 1024 * 1024;

/** RSS (MB) of the extension host processes of this code-server (their command line names the extension host). */
function hostRssMb(): number {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!/extensionHost/.test(cmd)) continue;
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch { /* gone */ }
  }
  return kb / 1024;
}


/** The viewer's frame once its first rows are painted: the marks, in the webview's clock. */
async function marks(page: Page, timeoutMs = 120_000): Promise<{ frame: Frame; ready: number; firstRows: number; readyEpoch: number }> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const frame of page.frames()) {
      const m = await frame.evaluate(() => {
        const get = (n: string): number | undefined => performance.getEntriesByName(n)[0]?.startTime;
        return { ready: get('ers-ready'), firstRows: get('ers-first-rows'), origin: performance.timeOrigin };
      }).catch(() => undefined);
      if (m?.ready !== undefined && m.firstRows !== undefined) return { frame, ready: m.ready, firstRows: m.firstRows, readyEpoch: m.origin + m.ready };
    }
    await page.waitForTimeout(50);
  }
  throw new Error('no trace viewer painted its first rows');
}

async function main(): Promise<void> {
  if (!existsSync(vsixPath)) throw new Error(`${vsixPath} is missing: node scripts/build.mjs --production && npm run package`);
  const mb = Number(process.env.TRACE_BENCH_MB ?? 500);
  const wb = await openWorkbench({});
  try {
    const name = 'bench.svclog';
    const path = join(wb.workspace, name);
    const { events } = await benchFile(path, mb * MB, false);
    console.log(`## trace viewer in the real VS Code (code-server, Chromium), ${mb} MB, ${events.toLocaleString('en-US')} events`);
    console.log('');
    console.log('| opening | Quick Open → webview ready | first rows painted after the webview\'s ready | all rows decoded, after ready | extension host RSS before → 2 s after (growth) |');
    console.log('|---|---:|---:|---:|---:|');
    for (const opening of ['first (decoded on every core, index stored)', 'again (from the index cache)', 'a third time (cache)']) {
      const rss0 = hostRssMb();
      await quickOpen(wb.page, name, 60_000);
      const opened = Date.now();
      const { frame, ready, firstRows, readyEpoch } = await marks(wb.page);
      let decoded = NaN;
      const end = Date.now() + 600_000;
      while (Date.now() < end) {
        const d = await frame.evaluate(() => {
          const body = (globalThis as unknown as { document: { body: { dataset: Record<string, string | undefined> } } }).document.body;
          return body.dataset.decoding === 'done' ? performance.now() : undefined;
        }).catch(() => undefined);
        if (d !== undefined) { decoded = d; break; }
        await wb.page.waitForTimeout(50);
      }
      await wb.page.waitForTimeout(2000);
      const rss1 = hostRssMb();
      console.log(`| ${opening} | ${(readyEpoch - opened).toFixed(0)} ms | ${(firstRows - ready).toFixed(0)} ms | ${((decoded - ready) / 1000).toFixed(2)} s (to within 50 ms) | ${rss0.toFixed(0)} → ${rss1.toFixed(0)} MB (+${(rss1 - rss0).toFixed(0)}) |`);
      await runFromPalette(wb.page, 'View: Close All Editors');
      await wb.page.waitForTimeout(3000);
    }
    rmSync(path, { force: true });
  } finally {
    await wb.close();
  }
}

main().catch((e: unknown) => { console.error(e instanceof Error ? e.stack : e); process.exit(1); });
