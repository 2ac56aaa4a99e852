// Runs the built webview (dist/webview/traceViewer.js + .css) in headless Chromium inside the same CSP shell as the
// extension (renderShell), with an acquireVsCodeApi stand-in whose postMessage reaches a REAL ViewerSession in Node,
// and whose session posts come back as window 'message' events — the VS Code webview bridge, without VS Code.
import { createServer, type Server } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { FileAccess } from '../../src/trace';
import { makeNonce, renderShell } from '../../src/traceViewer/html';
import type { FromWebview, SavedState, ToWebview } from '../../src/traceViewer/protocol';
import { ViewerSession, type ViewerSessionOptions } from '../../src/traceViewer/viewerSession';
import { nodeAccess } from './nodeAccess';
import { THEMES, type ThemeName } from './themes';

// Page-side code (init script, evaluate) runs in the browser; the Node type check has no DOM lib.
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const ROOT = join(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist', 'webview');

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** Serves the shell and the built webview files on 127.0.0.1 (the webview's cspSource). */
export class WebviewServer {
  private server: Server | undefined;
  base = '';
  nonce = makeNonce(randomBytes);

  async start(): Promise<void> {
    if (!existsSync(join(DIST, 'traceViewer.js'))) throw new Error('dist/webview/traceViewer.js is missing: run node scripts/build.mjs');
    this.server = createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0];
      if (url === '/' || url === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(renderShell({
          cspSource: this.base, scriptUri: `${this.base}/traceViewer.js`, styleUri: `${this.base}/traceViewer.css`,
          nonce: this.nonce, title: 'Trace viewer', lang: 'en',
        }));
        return;
      }
      const name = url.slice(1);
      if (!/^[A-Za-z0-9_.-]+\.(js|css|map)$/.test(name) || !existsSync(join(DIST, name))) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'content-type': name.endsWith('.css') ? 'text/css' : 'text/javascript' });
      res.end(readFileSync(join(DIST, name)));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export interface OpenOptions {
  readonly theme?: ThemeName;
  readonly access?: FileAccess;
  /** Turn the page's CSP off, to prove the rendering itself (not only the CSP) keeps file text inert. */
  readonly bypassCSP?: boolean;
  readonly viewport?: { width: number; height: number };
  readonly session?: Partial<ViewerSessionOptions>;
  /** vscode.getState() of a webview that was hidden and shown again. */
  readonly webviewState?: SavedState;
  /** Called with the page before it loads (e.g. to open a CDP session), and when the webview says ready. */
  readonly onPage?: (page: Page) => Promise<void>;
  readonly onReady?: () => void;
  /** Start decoding when the viewer opens, as VS Code does, not when the webview says ready (the default: the worst case). */
  readonly startAtOpen?: boolean;
}

/** What the page itself saw, in its own performance.now() ms (no Playwright hop in between). */
export interface PageTimes {
  /** The webview posted ready. */
  readonly ready: number;
  /** Each message in and out of the page: direction, type, request method, rows carried (in). */
  readonly messages: ReadonlyArray<{ readonly t: number; readonly dir: 'in' | 'out'; readonly type: string; readonly method?: string; readonly rows?: number; readonly total?: number }>;
  /** The first table row with an event's cells in the DOM, and the end of the frame that painted it. */
  readonly firstRow?: number;
  readonly firstRowPainted?: number;
}

export interface Viewer {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly session: ViewerSession;
  /** Every message from the webview, in order. */
  readonly fromWebview: FromWebview[];
  readonly toWebview: ToWebview[];
  readonly dialogs: string[];
  readonly hooks: { exports: string[]; copies: Array<{ index: number; as: string }>; reopened: number; saved: SavedState[] };
  /** Date.now() of each message in toWebview (delivered) and fromWebview (received). */
  readonly times: { readonly to: number[]; readonly from: number[] };
  /** Date.now() when the webview said ready (decoding starts then). */
  readonly readyAt: () => number;
  /** The page's own timestamps (see PageTimes). */
  pageTimes(): Promise<PageTimes>;
  close(): Promise<void>;
}

/** Opens files in the webview with a real ViewerSession behind it. Decoding starts when the webview says ready. */
export async function openViewer(browser: Browser, server: WebviewServer, files: string[], o: OpenOptions = {}): Promise<Viewer> {
  const context = await browser.newContext({ viewport: o.viewport ?? { width: 1280, height: 800 }, bypassCSP: o.bypassCSP ?? false });
  const page = await context.newPage();
  const fromWebview: FromWebview[] = [];
  const toWebview: ToWebview[] = [];
  const dialogs: string[] = [];
  const hooks = { exports: [] as string[], copies: [] as Array<{ index: number; as: string }>, reopened: 0, saved: [] as SavedState[] };
  page.on('dialog', (d) => { dialogs.push(`${d.type()}: ${d.message()}`); void d.dismiss(); });
  let ready = false;
  let readyAt = 0;
  const queue: ToWebview[] = [];
  const times = { to: [] as number[], from: [] as number[] };
  const deliver = (m: ToWebview): void => {
    toWebview.push(m);
    times.to.push(Date.now());
    page.evaluate((msg) => window.postMessage(msg, '*'), m as unknown).catch(() => { /* page closed */ });
  };
  const session = new ViewerSession({
    files,
    access: o.access ?? nodeAccess,
    post: (m) => { if (ready) deliver(m); else queue.push(m); },
    hooks: {
      export: (format) => { hooks.exports.push(format); },
      copyEvent: (index, as) => { hooks.copies.push({ index, as }); },
      reopenAsText: () => { hooks.reopened++; },
      saveState: (s) => { hooks.saved.push(s); },
    },
    ...o.session,
  });
  if (o.startAtOpen) void session.start();
  await page.exposeFunction('__hostPost', (message: FromWebview) => {
    fromWebview.push(message);
    times.from.push(Date.now());
    if (message.type === 'ready' && !ready) {
      ready = true;
      readyAt = Date.now();
      o.onReady?.();
      for (const m of queue.splice(0)) deliver(m);
      void session.start();
    }
    void session.handle(message);
  });
  const theme = THEMES[o.theme ?? 'dark'];
  await page.addInitScript(({ vars, bodyClass, kind, state }) => {
    const w = window as unknown as Record<string, unknown>;
    w.__violations = [];
    // Timestamps taken in the page (the benchmark reads them): messages both ways, and the first row painted.
    const times = { ready: NaN, messages: [] as unknown[], firstRow: undefined as number | undefined, firstRowPainted: undefined as number | undefined };
    w.__times = times;
    type WithRows = { rows?: unknown[] };
    const rowsIn = (d: { result?: WithRows; view?: { rows?: WithRows }; init?: { view: { rows?: WithRows } } }): number | undefined =>
      d?.result?.rows?.length ?? d?.view?.rows?.rows?.length ?? d?.init?.view?.rows?.rows?.length;
    const totalIn = (d: { view?: { total: number }; init?: { view: { total: number } } }): number | undefined => d?.view?.total ?? d?.init?.view?.total;
    window.addEventListener('message', (e: { data: { type: string } }) => times.messages.push({ t: performance.now(), dir: 'in', type: e.data?.type, rows: rowsIn(e.data as never), total: totalIn(e.data as never) }));
    const watch = new (window.MutationObserver as new (f: () => void) => { observe(n: unknown, o: unknown): void; disconnect(): void })(() => {
      if (times.firstRow !== undefined || !document.querySelector('.vt-row:not(.loading)')) return;
      times.firstRow = performance.now();
      watch.disconnect();
      // The frame that shows the row: its animation frame callback, then a task after that frame was produced.
      window.requestAnimationFrame(() => setTimeout(() => { times.firstRowPainted = performance.now(); }, 0));
    });
    watch.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
    document.addEventListener('securitypolicyviolation', (e: { violatedDirective: string; blockedURI: string }) => (w.__violations as string[]).push(`${e.violatedDirective} ${e.blockedURI}`));
    let saved: unknown = state ?? undefined;
    w.acquireVsCodeApi = () => ({
      postMessage: (m: { type: string; method?: string }) => {
        const t = performance.now();
        if (m.type === 'ready' && Number.isNaN(times.ready)) times.ready = t;
        times.messages.push({ t, dir: 'out', type: m.type, method: m.method });
        (w.__hostPost as (m: unknown) => void)(JSON.parse(JSON.stringify(m)));
      },
      getState: () => saved,
      setState: (s: unknown) => { saved = s; w.__webviewState = s; },
    });
    // What VS Code does to a webview: theme variables on <html>, theme classes on <body>.
    const apply = (): void => {
      if (document.documentElement) for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.body?.classList.add(bodyClass);
      document.body?.setAttribute('data-vscode-theme-kind', kind);
    };
    apply();
    document.addEventListener('DOMContentLoaded', apply);
  }, { vars: theme.vars, bodyClass: theme.bodyClass, kind: theme.kind, state: o.webviewState ?? null });
  await o.onPage?.(page);
  await page.goto(`${server.base}/index.html`);
  return {
    page, context, session, fromWebview, toWebview, times, dialogs, hooks, readyAt: () => readyAt,
    pageTimes: () => page.evaluate(() => window.__times as PageTimes),
    async close() { session.dispose(); await context.close(); },
  };
}
