// Shared by the webview tests: one browser and one page server per suite, viewers closed after each test, a temp
// folder, the fixtures they read and the page-side waits. Page-side code in page.evaluate/waitForFunction runs in
// the browser; the Node type check has no DOM lib.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { TraceCollection, readWholeFile } from '../../src/trace';
import { ROOT, WebviewServer, launch, openViewer, type Viewer } from './harness';
import { fixture, nodeAccess } from './nodeAccess';

declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const SHOTS = join(ROOT, 'test-output', 'webview');
export const TRACELOG = fixture('faiteo__Client__web_tracelog.svclog');
export const MESSAGES = fixture('ali-bytes__psi__web_messages.svclog');

/** The same files decoded by the engine directly: what the viewer must show. */
export async function engine(paths: string[]): Promise<TraceCollection> {
  const c = new TraceCollection();
  for (const p of paths) c.addFile(p);
  for (let i = 0; i < paths.length; i++) await readWholeFile(c, nodeAccess, i);
  return c;
}

export async function ready(page: Page): Promise<void> {
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
  await page.waitForSelector('.vt-row:not(.loading)', { timeout: 30_000 });
}

export async function totalShown(page: Page): Promise<number> {
  return Number(await page.getAttribute('body', 'data-total'));
}

export async function waitTotal(page: Page, n: number): Promise<void> {
  await page.waitForFunction((want) => document.body.dataset.total === String(want), n, { timeout: 30_000 });
}

export async function domRows(page: Page): Promise<number> {
  return page.locator('.vt-row').count();
}

export interface ViewerSuite {
  /** A temp folder for generated trace files (removed after the suite). */
  readonly dir: string;
  /** Opens the viewer on files; it is closed after the test. */
  view(files: string[], o?: Parameters<typeof openViewer>[3]): Promise<Viewer>;
  /** A viewer the test closed itself. */
  forget(v: Viewer): void;
}

/** Registers the suite's hooks (call it inside `describe`). */
export function viewerSuite(): ViewerSuite {
  let browser: Browser;
  const server = new WebviewServer();
  let open: Viewer[] = [];
  let dir = '';

  before(async () => {
    await server.start();
    browser = await launch();
    dir = mkdtempSync(join(tmpdir(), 'viewer-webview-'));
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const v of open) await v.close();
    open = [];
  });
  return {
    get dir() { return dir; },
    view: async (files, o = {}) => {
      const v = await openViewer(browser, server, files, o);
      open.push(v);
      return v;
    },
    forget: (v) => { open = open.filter((x) => x !== v); },
  };
}
