// ViewerSession: the host side of one trace viewer, answering the protocol (protocol.ts) over the trace engine.
// Pure: no vscode import; files are reached only through a FileAccess, messages leave only through `post`.
//
// Wiring in the custom editor (the host owns the data; the webview asks for windows of rows):
//
//   const session = new ViewerSession({
//     files: [uri.fsPath],                 // several paths = one merged view ordered by time, with a file column
//     access,                              // FileAccess (size + read at offset), e.g. over node:fs or workspace.fs
//     post: (m) => void panel.webview.postMessage(m),
//     restored: workspaceState.get(key),   // SavedState kept per file, applied before the first rows are sent
//     strings: { 'Cancel': l10n.t('Cancel'), … },
//     hooks: {
//       saveState: (s) => workspaceState.update(key, s),
//       export: async (format) => { const target = await showSaveDialog(…); write each chunk of session.exportRows(format) },
//       copyEvent: async (index, as) => env.clipboard.writeText(as === 'xml' ? await session.eventXml(index) : await session.eventJson(index)),
//       reopenAsText: () => commands.executeCommand('vscode.openWith', uri, 'default'),
//     },
//   });
//   panel.webview.onDidReceiveMessage((m) => void session.handle(m));
//   void session.start();                  // decodes with progress; 'ready' from the webview may come before or after
//   watcher.onDidChange(() => void session.fileChanged());   // follow: decodes only the appended tail
//   panel.onDidDispose(() => session.dispose());
//
// Messages handled by handle(): ready → init; every Request → one Response; cancelDecoding; setFollow (polls every
// followIntervalMs while on, and on fileChanged()); saveState/export/copyEvent/reopenAsText → the hooks.
// Notifications posted: progress (throttled), viewChanged (rows added, filter changed, tail grew), damage, error.
//
// Damaged byte ranges appear as marked rows (RowDto.damage) after the last event of their file that precedes them,
// when FilterDto.showDamage is set and the filter does not narrow events (no level, source, process, thread, activity,
// time or text restriction): a damaged range is not an event and has none of those fields.

import {
  TraceCancelledError, TraceCollection, buildActivities, compileFilter, csvHeader, exportRecord, followFile, formatRecord,
  parseTime,
  type ActivityGraph, type CancelSignal, type DamageRange, type FileAccess, type TraceFilter, type TraceRow, type TraceView,
} from '../trace';
import {
  activityDtos, damageDetailsDto, damageDto, damageRowDto, detailsDto, detailsJson, rowDto,
} from './dto';
import type {
  ActivityDto, DamageDto, DetailsDto, FacetCount, FacetName, FacetsDto, FileDto, FilterDto, FromWebview, InitDto, Method, ProgressDto,
  Request, RequestMap, RowDto, SavedState, ToWebview, ViewDto,
} from './protocol';
import { MESSAGE_LIMITS } from './protocol';

export interface ViewerSessionHooks {
  /** The webview's filter/scroll/selection state, to keep per file (give it back as `restored` next time). */
  saveState?(state: SavedState): void | Promise<void>;
  /** The user asked to export the filtered events; write `session.exportRows(format)` somewhere. */
  export?(format: 'csv' | 'json'): void | Promise<void>;
  /** Copy one event (view index) to the clipboard, using `session.eventXml(index)` / `session.eventJson(index)`. */
  copyEvent?(index: number, as: 'xml' | 'json'): void | Promise<void>;
  /** The file is not a trace (or the user wants its text): reopen it in the text editor. */
  reopenAsText?(): void | Promise<void>;
}

export interface ViewerSessionOptions {
  readonly files: readonly string[];
  readonly access: FileAccess;
  readonly post: (message: ToWebview) => void;
  /** Display names of the files (default: last path segment). */
  readonly names?: readonly string[];
  /** Rows per getRows page the webview should ask for (default 200, at most 1000 are answered per request). */
  readonly pageSize?: number;
  readonly restored?: SavedState;
  readonly strings?: Readonly<Record<string, string>>;
  readonly hooks?: ViewerSessionHooks;
  /** Start with follow on (default false). */
  readonly follow?: boolean;
  /** Poll interval while following (default 1000 ms; 0 = only on fileChanged()). */
  readonly followIntervalMs?: number;
  /** Minimum time between view refreshes while decoding (default 250 ms). */
  readonly refreshIntervalMs?: number;
  /** Engine read sizes (tests use small chunks to see rows arrive while decoding). */
  readonly chunkSize?: number;
  readonly firstChunkSize?: number;
  /** Clock, injectable for tests (default Date.now). */
  readonly now?: () => number;
}

export const MAX_ROWS_PER_REQUEST = 1000;

const EMPTY_FILTER: FilterDto = { levels: [], sources: [], processes: [], threads: [], showDamage: true };

/** The current view: the engine's filtered rows plus damage rows inserted before given engine positions. */
class ViewModel {
  /** Composite position of each damage row (strictly increasing). */
  private readonly damagePos: number[];

  constructor(
    readonly engine: TraceView,
    /** Damage ranges with the engine position they are inserted before, ordered by that position. */
    readonly damage: ReadonlyArray<{ readonly before: number; readonly range: DamageRange }>,
  ) {
    this.damagePos = damage.map((d, k) => d.before + k);
  }

  get total(): number {
    return this.engine.length + this.damage.length;
  }

  /** What sits at composite position i. */
  at(i: number): { damage: DamageRange } | { event: number } | undefined {
    if (i < 0 || i >= this.total) return undefined;
    const pos = this.damagePos;
    let lo = 0, hi = pos.length; // number of damage rows at positions < i
    while (lo < hi) { const mid = (lo + hi) >> 1; if (pos[mid] < i) lo = mid + 1; else hi = mid; }
    if (lo < pos.length && pos[lo] === i) return { damage: this.damage[lo].range };
    return { event: i - lo };
  }

  /** Composite position of engine position e. */
  compositeOf(e: number): number {
    const d = this.damage;
    let lo = 0, hi = d.length; // damage rows with before <= e
    while (lo < hi) { const mid = (lo + hi) >> 1; if (d[mid].before <= e) lo = mid + 1; else hi = mid; }
    return e + lo;
  }
}

export class ViewerSession {
  readonly collection = new TraceCollection();
  private readonly access: FileAccess;
  private readonly post0: (message: ToWebview) => void;
  private readonly names: string[];
  private readonly pageSize: number;
  private readonly hooks: ViewerSessionHooks;
  private readonly now: () => number;
  private filter: FilterDto;
  private saved: SavedState | undefined;
  private view: ViewModel;
  private version = 0;
  private facetsCache: { version: number; facets: FacetsDto } | undefined;
  /** The uncapped facet lists behind facetsCache (served a page at a time by getFacet). */
  private fullFacets: { readonly [F in FacetName]: readonly FacetCount[] } | undefined;
  private activitiesCache: { version: number; graph: ActivityGraph; dtos: ActivityDto[] } | undefined;
  private progress: ProgressDto;
  /** Stops the first decoding (Cancel, or dispose). */
  private readonly abort: { aborted: boolean } = { aborted: false };
  /** Stops following (dispose only: following after a cancelled decoding still works). */
  private readonly closed: { aborted: boolean } = { aborted: false };
  private started: Promise<void> | undefined;
  private decoding = false;
  private disposed = false;
  private followOn: boolean;
  private followTimer: ReturnType<typeof setInterval> | undefined;
  private followBusy: Promise<void> | undefined;
  private lastDamageCount = -1;
  private notATrace = false;
  private readonly ready = { sent: false };

  constructor(private readonly options: ViewerSessionOptions) {
    if (options.files.length === 0) throw new Error('ViewerSession needs at least one file');
    this.access = options.access;
    this.post0 = options.post;
    this.names = options.files.map((p, i) => options.names?.[i] ?? p.split(/[\\/]/).pop() ?? p);
    this.pageSize = Math.max(10, Math.min(MAX_ROWS_PER_REQUEST, options.pageSize ?? 200));
    this.hooks = options.hooks ?? {};
    this.now = options.now ?? Date.now;
    this.saved = options.restored;
    this.filter = EMPTY_FILTER;
    if (options.restored?.filter) {
      const restored = { ...EMPTY_FILTER, ...options.restored.filter };
      try { toEngineFilter(restored); this.filter = restored; } catch { /* a saved filter that no longer parses: start unfiltered */ }
    }
    this.followOn = options.follow ?? false;
    for (const path of options.files) this.collection.addFile(path);
    this.view = new ViewModel(this.collection.query({}, 'time'), []);
    this.progress = { bytesDone: 0, bytesTotal: 0, events: 0, done: false, cancelled: false };
  }

  // ---- Lifecycle ----------------------------------------------------------------------------------------------

  /** Decodes every file (once; later calls return the same promise). Rows are served while it runs. */
  start(): Promise<void> {
    this.started ??= this.decodeAll();
    return this.started;
  }

  /** Stops decoding and following; nothing is posted afterwards. */
  dispose(): void {
    this.disposed = true;
    this.abort.aborted = true;
    this.closed.aborted = true;
    this.stopFollowTimer();
  }

  /** Cancels decoding: the events read so far stay. */
  cancel(): void {
    this.abort.aborted = true;
  }

  get following(): boolean {
    return this.followOn;
  }

  /** The host saw a file change: with follow on, decode the appended tail (or start over after truncation/rotation). */
  fileChanged(): Promise<void> {
    if (!this.followOn || this.decoding || this.disposed) return Promise.resolve();
    return this.pollFollow();
  }

  setFollow(on: boolean): void {
    this.followOn = on;
    if (on && !this.decoding && this.started) this.startFollowTimer();
    if (!on) this.stopFollowTimer();
  }

  // ---- Messages ------------------------------------------------------------------------------------------------

  /** Handles one message from the webview (requests get exactly one response). */
  async handle(message: FromWebview): Promise<void> {
    if (this.disposed) return;
    switch (message.type) {
      case 'ready':
        this.postInit();
        return;
      case 'request':
        await this.answer(message);
        return;
      case 'saveState':
        this.saved = message.state;
        await this.hook(() => this.hooks.saveState?.(message.state));
        return;
      case 'cancelDecoding':
        this.cancel();
        return;
      case 'setFollow':
        this.setFollow(message.follow);
        return;
      case 'export':
        await this.hook(() => this.hooks.export?.(message.format));
        return;
      case 'copyEvent':
        await this.hook(() => this.hooks.copyEvent?.(message.index, message.as));
        return;
      case 'reopenAsText':
        await this.hook(() => this.hooks.reopenAsText?.());
        return;
      default: {
        const never: never = message;
        void never;
      }
    }
  }

  /** Answers one request directly (what handle() posts as the response's result). */
  async request<M extends Method>(method: M, params: RequestMap[M]['params']): Promise<RequestMap[M]['result']> {
    const r = await this.dispatch({ type: 'request', requestId: 0, method, params } as Request);
    return r as RequestMap[M]['result'];
  }

  private async answer(req: Request): Promise<void> {
    try {
      const result = await this.dispatch(req);
      this.post({ type: 'response', requestId: req.requestId, ok: true, result });
    } catch (e) {
      this.post({ type: 'response', requestId: req.requestId, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async dispatch(req: Request): Promise<unknown> {
    switch (req.method) {
      case 'getRows': return this.getRows(req.params.start, req.params.count);
      case 'setFilter': return this.setFilter(req.params.filter);
      case 'find': return { index: this.find(req.params.text, req.params.regex, req.params.from, req.params.direction) };
      case 'getDetails': return this.getDetails(req.params.index);
      case 'getActivities': return { activities: this.activities().dtos };
      case 'locateActivity': return { index: this.locateActivity(req.params.activityId) };
      case 'getDamage': return this.getDamage(req.params.start, req.params.count);
      case 'getFacet': return this.getFacet(req.params.facet, req.params.start, req.params.count, req.params.contains);
      default: {
        const never: never = req;
        throw new Error(`Unknown request ${(never as { method: string }).method}`);
      }
    }
  }

  // ---- Requests ------------------------------------------------------------------------------------------------

  /** A page of the damaged ranges (issue 10: the `damage` notification carries only the first). */
  getDamage(start: number, count: number): { total: number; start: number; ranges: DamageDto[] } {
    const all = this.damageRanges();
    const from = clampInt(start, 0, all.length);
    return { total: all.length, start: from, ranges: all.slice(from, from + clampInt(count, 0, MESSAGE_LIMITS.damagePage)).map(damageDto) };
  }

  /** A page of one facet's values (issue 10: a ViewDto carries only the most frequent). */
  getFacet(facet: FacetName, start: number, count: number, contains?: string): { total: number; start: number; values: FacetCount[] } {
    if (facet !== 'sources' && facet !== 'processes' && facet !== 'threads') throw new Error(`Unknown facet ${String(facet)}`);
    this.facets();
    let list = this.fullFacets?.[facet] ?? [];
    if (typeof contains === 'string' && contains !== '') {
      const needle = contains.slice(0, 200).toLowerCase();
      list = list.filter((f) => f.value.toLowerCase().includes(needle));
    }
    const from = clampInt(start, 0, list.length);
    return { total: list.length, start: from, values: facetPage(list, from, clampInt(count, 0, MESSAGE_LIMITS.facetValues)) };
  }

  getRows(start: number, count: number): { version: number; start: number; rows: RowDto[] } {
    const from = Math.max(0, Math.floor(start));
    const end = Math.min(this.view.total, from + Math.max(0, Math.min(MAX_ROWS_PER_REQUEST, Math.floor(count))));
    const rows: RowDto[] = [];
    for (let i = from; i < end; i++) {
      const what = this.view.at(i);
      if (!what) break;
      if ('damage' in what) rows.push(damageRowDto(what.damage, i));
      else {
        const row = this.view.engine.row(what.event) as TraceRow;
        rows.push(rowDto(row, i, this.activityName(row.activityId)));
      }
    }
    return { version: this.version, start: from, rows };
  }

  setFilter(filter: FilterDto): ViewDto {
    const next = { ...EMPTY_FILTER, ...filter };
    toEngineFilter(next); // throws on a bad regex or time before anything changes
    this.filter = next;
    this.refreshView(false);
    return this.viewDto();
  }

  get currentFilter(): FilterDto {
    return this.filter;
  }

  /** Next (direction 1) or previous (-1) view position after/before `from` whose text matches, wrapping; -1 if none. */
  find(text: string, regex: boolean, from: number, direction: 1 | -1): number {
    if (!text) return -1;
    const c = this.collection;
    const preds = c.files.map((f) => compileFilter(f.store, { text, regex }, f.index));
    const e = this.view.engine;
    const n = e.length;
    if (n === 0) return -1;
    const single = c.files.length === 1;
    const test = (i: number): boolean => {
      const f = single ? 0 : e.files[i];
      const p = preds[f];
      return p !== undefined && p(e.rows[i]);
    };
    // Start from the engine position next to `from` in the search direction.
    const here = this.view.at(Math.max(0, Math.min(this.view.total - 1, from)));
    let start: number;
    if (from < 0) start = direction > 0 ? 0 : n - 1;
    else if (from >= this.view.total) start = direction > 0 ? 0 : n - 1;
    else if (here && 'event' in here) start = here.event + direction;
    else start = direction > 0 ? this.engineAfter(from) : this.engineAfter(from) - 1;
    for (let k = 0; k < n; k++) {
      const i = (((start + direction * k) % n) + n) % n;
      if (test(i)) return this.view.compositeOf(i);
    }
    return -1;
  }

  async getDetails(index: number): Promise<DetailsDto> {
    const what = this.view.at(index);
    if (!what) throw new Error(`No row ${index} in the current view`);
    if ('damage' in what) {
      const d = what.damage;
      const file = d.file ?? 0;
      const max = 64 * 1024;
      const bytes = await this.access.read(this.options.files[file], d.start, Math.min(max, d.end - d.start));
      const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      return damageDetailsDto(d, index, this.options.files[file], text, d.end - d.start > max);
    }
    const row = this.view.engine.row(what.event) as TraceRow;
    const details = await this.collection.details(this.access, row.file, row.row);
    return detailsDto(details, index, row, this.options.files[row.file]);
  }

  /** First view position of an event of this activity (its ActivityID), or -1. */
  locateActivity(activityId: string): number {
    const c = this.collection;
    const id = c.pools.activity.find(activityId);
    if (id < 0) return -1;
    const e = this.view.engine;
    const single = c.files.length === 1;
    for (let i = 0; i < e.length; i++) {
      const s = c.files[single ? 0 : e.files[i]].store;
      if (s.activity[e.rows[i]] === id) return this.view.compositeOf(i);
    }
    return -1;
  }

  activities(): { graph: ActivityGraph; dtos: ActivityDto[] } {
    const v = this.collection.version;
    if (!this.activitiesCache || this.activitiesCache.version !== v) {
      const graph = buildActivities(this.collection);
      this.activitiesCache = { version: v, graph, dtos: activityDtos(graph) };
    }
    return this.activitiesCache;
  }

  // ---- Host hooks: export and copy -----------------------------------------------------------------------------

  /** The filtered events (damage rows left out) as CSV (with header) or a JSON array, in chunks of text. */
  async *exportRows(format: 'csv' | 'json', chunkRows = 2000): AsyncIterable<string> {
    const e = this.view.engine;
    const n = e.length;
    if (format === 'csv') yield csvHeader();
    else yield '[\n';
    for (let i = 0; i < n; i += chunkRows) {
      const parts: string[] = [];
      for (const row of e.window(i, chunkRows)) {
        const rec = exportRecord(row, this.options.files[row.file]);
        if (format === 'csv') parts.push(formatRecord(rec, 'csv'));
        else parts.push(`${row.index > 0 ? ',\n' : ''}  ${JSON.stringify(rec)}`);
      }
      yield parts.join('');
      await new Promise<void>((r) => setImmediate(r));
    }
    if (format === 'json') yield n > 0 ? '\n]\n' : ']\n';
  }

  /** The event at a view position exactly as in its file (or the damaged bytes), as text. */
  async eventXml(index: number): Promise<string> {
    const what = this.view.at(index);
    if (!what) throw new Error(`No row ${index} in the current view`);
    if ('damage' in what) {
      const d = what.damage;
      const bytes = await this.access.read(this.options.files[d.file ?? 0], d.start, d.end - d.start);
      return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    }
    const row = this.view.engine.row(what.event) as TraceRow;
    return (await this.collection.details(this.access, row.file, row.row)).rawXml;
  }

  /** The event at a view position as JSON (System, TraceRecord, exceptions, message…). */
  async eventJson(index: number): Promise<string> {
    const what = this.view.at(index);
    if (!what) throw new Error(`No row ${index} in the current view`);
    if ('damage' in what) return JSON.stringify({ damage: damageDto(what.damage), file: this.options.files[what.damage.file ?? 0] }, null, 2);
    const row = this.view.engine.row(what.event) as TraceRow;
    const details = await this.collection.details(this.access, row.file, row.row);
    return detailsJson(details, row, this.options.files[row.file]);
  }

  /** The state last saved by the webview (or restored), for the host to keep per file. */
  get savedState(): SavedState | undefined {
    return this.saved;
  }

  // ---- Internals -----------------------------------------------------------------------------------------------

  private post(message: ToWebview): void {
    if (this.disposed) return;
    try { this.post0(message); } catch { /* a closed webview */ }
  }

  private async hook(f: () => void | Promise<void>): Promise<void> {
    try { await f(); } catch (e) { this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) }); }
  }

  private files(): FileDto[] {
    return this.options.files.map((path, i) => ({ name: this.names[i], path, byteLength: this.sizes[i] ?? 0 }));
  }

  private sizes: number[] = [];

  private postInit(): void {
    this.ready.sent = true;
    const restored: SavedState | undefined = this.saved ? { ...this.saved, filter: this.filter } : undefined;
    const init: InitDto = {
      files: this.files(),
      pageSize: this.pageSize,
      view: this.viewDto(),
      progress: this.progress,
      follow: this.followOn,
      restored,
      notATrace: this.notATrace || undefined,
      strings: this.options.strings ?? {},
    };
    this.post({ type: 'init', init });
    const damage = this.damageRanges();
    if (damage.length > 0) this.post(damageMessage(damage));
  }

  private viewDto(): ViewDto {
    return { version: this.version, total: this.view.total, totalEvents: this.collection.count, facets: this.facets() };
  }

  private facets(): FacetsDto {
    const v = this.collection.version;
    if (!this.facetsCache || this.facetsCache.version !== v) {
      const f = this.collection.facets();
      this.fullFacets = { sources: f.sources, processes: f.processes, threads: f.threads };
      this.facetsCache = {
        version: v,
        facets: {
          levels: f.levels, sources: facetPage(f.sources, 0), processes: facetPage(f.processes, 0), threads: facetPage(f.threads, 0),
          totals: { sources: f.sources.length, processes: f.processes.length, threads: f.threads.length },
        },
      };
    }
    return this.facetsCache.facets;
  }

  /** Recomputes the view for the current filter and collection; posts viewChanged (and damage when it changed). */
  private refreshView(notify: boolean): void {
    const filter = toEngineFilter(this.filter);
    const engine = this.collection.query(filter, 'time');
    const damage = this.filter.showDamage && narrowsNothing(this.filter) ? placeDamage(this.collection, engine, this.damageRanges()) : [];
    this.view = new ViewModel(engine, damage);
    this.version++;
    if (notify) this.post({ type: 'viewChanged', view: this.viewDto() });
    const ranges = this.damageRanges();
    if (ranges.length !== this.lastDamageCount) {
      this.lastDamageCount = ranges.length;
      if (notify || ranges.length > 0) this.post(damageMessage(ranges));
    }
  }

  private async decodeAll(): Promise<void> {
    this.decoding = true;
    const c = this.collection;
    const paths = this.options.files;
    try {
      this.sizes = await Promise.all(paths.map((p) => this.access.size(p)));
    } catch (e) {
      this.sizes = paths.map(() => 0);
      this.post({ type: 'error', message: `Cannot read ${paths.join(', ')}: ${e instanceof Error ? e.message : String(e)}` });
    }
    const bytesTotal = this.sizes.reduce((a, b) => a + b, 0);
    this.progress = { bytesDone: 0, bytesTotal, events: 0, done: false, cancelled: false };
    const refreshEvery = this.options.refreshIntervalMs ?? 250;
    let lastProgress = 0;
    let lastRefresh = 0;
    let refreshCost = 0;
    let refreshedEvents = 0;
    let before = 0;
    const signal: CancelSignal = this.abort;
    let cancelled = false;
    for (let i = 0; i < paths.length && !cancelled; i++) {
      const f = c.files[i];
      try {
        // The files were registered in the constructor; following from byte 0 decodes a file completely.
        await followFile(c, this.access, f.index, {
          signal,
          // 1 MiB reads keep the host's event loop free to answer the webview while a big file is decoded.
          chunkSize: this.options.chunkSize ?? 1 << 20,
          firstChunkSize: this.options.firstChunkSize,
          onProgress: (p) => {
            const t = this.now();
            this.progress = { bytesDone: before + p.bytes, bytesTotal, events: c.count, done: false, cancelled: false };
            // First rows as soon as there are any; then at most every refreshEvery ms (longer if refreshing is slow).
            if (c.count !== refreshedEvents && (refreshedEvents === 0 || t - lastRefresh >= Math.max(refreshEvery, refreshCost * 4))) {
              const t0 = this.now();
              this.refreshView(true);
              refreshCost = this.now() - t0;
              lastRefresh = this.now();
              refreshedEvents = c.count;
            }
            if (t - lastProgress >= 100) { lastProgress = t; this.post({ type: 'progress', progress: this.progress }); }
          },
        });
      } catch (e) {
        if (e instanceof TraceCancelledError || this.abort.aborted) cancelled = true;
        else this.post({ type: 'error', message: `${this.names[i]}: ${e instanceof Error ? e.message : String(e)}` });
      }
      before += this.sizes[i] ?? 0;
    }
    if (this.disposed) { this.decoding = false; return; }
    const bytesDone = cancelled ? this.progress.bytesDone : bytesTotal;
    this.progress = { bytesDone, bytesTotal, events: c.count, done: true, cancelled };
    this.notATrace = c.count === 0 && c.damage().some((d) => d.reason === 'not-a-trace');
    this.refreshView(true);
    this.post({ type: 'progress', progress: this.progress });
    this.decoding = false;
    if (this.notATrace && this.ready.sent) this.postInit();
    if (this.followOn) this.startFollowTimer();
  }

  private startFollowTimer(): void {
    const every = this.options.followIntervalMs ?? 1000;
    if (this.followTimer || every <= 0 || this.disposed) return;
    this.followTimer = setInterval(() => void this.pollFollow(), every);
    (this.followTimer as { unref?: () => void }).unref?.();
  }

  private stopFollowTimer(): void {
    if (this.followTimer) clearInterval(this.followTimer);
    this.followTimer = undefined;
  }

  private pollFollow(): Promise<void> {
    if (this.followBusy) return this.followBusy;
    this.followBusy = (async () => {
      let changed = false;
      for (const f of this.collection.files) {
        try {
          const r = await followFile(this.collection, this.access, f.index, { signal: this.closed, chunkSize: this.options.chunkSize ?? 1 << 20 });
          if (r.kind !== 'unchanged') changed = true;
          this.sizes[f.index] = await this.access.size(f.path);
        } catch (e) {
          if (!(e instanceof TraceCancelledError)) this.post({ type: 'error', message: `${this.names[f.index]}: ${e instanceof Error ? e.message : String(e)}` });
        }
      }
      if (changed && !this.disposed) {
        this.refreshView(true);
        const bytes = this.sizes.reduce((a, b) => a + b, 0);
        this.progress = { bytesDone: bytes, bytesTotal: bytes, events: this.collection.count, done: true, cancelled: false };
        this.post({ type: 'progress', progress: this.progress });
      }
    })().finally(() => { this.followBusy = undefined; });
    return this.followBusy;
  }

  /** The name of an activity (from its Start event in any file), or ''. */
  activityName(activityId: string): string {
    if (!activityId) return '';
    const c = this.collection;
    const id = c.pools.activity.find(activityId);
    if (id <= 0) return '';
    for (const f of c.files) {
      const name = f.store.activityNames.get(id);
      if (name !== undefined) return c.pools.names.get(name);
    }
    return '';
  }

  /**
   * Damaged ranges of every file, without the provisional `truncated` range the decoder reports for an event that is
   * still arriving (a file being decoded, or one whose decoding was cancelled: its tail was simply not read).
   */
  damageRanges(): DamageRange[] {
    const out: DamageRange[] = [];
    for (const f of this.collection.files) {
      const fed = f.decoder.bytesFed;
      for (const d of f.decoder.damage) {
        if (!f.decoder.done && d.reason === 'truncated' && d.end >= fed) continue;
        out.push({ ...d, file: f.index });
      }
    }
    return out;
  }

  /** Engine position of the first event after composite position `i` (which holds a damage row). */
  private engineAfter(i: number): number {
    for (let k = i + 1; k < this.view.total; k++) {
      const w = this.view.at(k);
      if (w && 'event' in w) return w.event;
    }
    return this.view.engine.length;
  }
}

/** True when the filter shows every event (damage rows fit only such a view). */
function narrowsNothing(f: FilterDto): boolean {
  return f.levels.length === 0 && f.sources.length === 0 && f.processes.length === 0 && f.threads.length === 0
    && !f.activityId && !f.from && !f.to && !f.text;
}

function timeMs(text: string | undefined, what: string): number | undefined {
  if (!text) return undefined;
  const t = parseTime(text.trim());
  // Fractions of a millisecond count (the engine compares 100 ns ticks), so "to" an event's own time includes it.
  let ms = t.ms + t.ticks / 10000;
  if (!Number.isFinite(ms)) ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new Error(`The ${what} time is not a date and time: ${text}`);
  return ms;
}

/** FilterDto → the engine's TraceFilter (throws on a bad regex or time). */
export function toEngineFilter(f: FilterDto): TraceFilter {
  if (f.text && f.regex) new RegExp(f.text); // eslint-disable-line no-new -- validate early, with the engine's message
  return {
    levels: f.levels.length ? f.levels : undefined,
    sources: f.sources.length ? f.sources : undefined,
    processes: f.processes.length ? f.processes : undefined,
    threads: f.threads.length ? f.threads : undefined,
    activities: f.activityId ? [f.activityId] : undefined,
    fromMs: timeMs(f.from, 'from'),
    toMs: timeMs(f.to, 'to'),
    text: f.text || undefined,
    regex: f.regex || undefined,
  };
}

/**
 * Where each damaged range goes in a view: before the engine position following the last event of the same file that
 * starts before the range (or at the start when none does).
 */
function placeDamage(c: TraceCollection, view: TraceView, ranges: readonly DamageRange[]): Array<{ before: number; range: DamageRange }> {
  if (ranges.length === 0) return [];
  // For each damage: the store row of the last event of its file with offset < start (-1 if none).
  const prevRow = ranges.map((d) => {
    const s = c.files[d.file ?? 0].store;
    let lo = 0, hi = s.count;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (s.offset[mid] < d.start) lo = mid + 1; else hi = mid; }
    return lo - 1;
  });
  const want = c.files.map(() => new Map<number, number[]>());
  const before = new Array<number>(ranges.length).fill(-1);
  ranges.forEach((d, k) => {
    if (prevRow[k] < 0) { before[k] = 0; return; }
    const m = want[d.file ?? 0];
    const list = m.get(prevRow[k]);
    if (list) list.push(k); else m.set(prevRow[k], [k]);
  });
  const single = c.files.length === 1;
  for (let i = 0; i < view.length; i++) {
    const ks = want[single ? 0 : view.files[i]].get(view.rows[i]);
    if (ks) for (const k of ks) before[k] = i + 1;
  }
  const out = ranges.map((range, k) => ({ before: before[k] < 0 ? view.length : before[k], range }));
  out.sort((a, b) => a.before - b.before || (a.range.file ?? 0) - (b.range.file ?? 0) || a.range.start - b.range.start);
  return out;
}

// ---- Paging helpers (issue 10) -------------------------------------------------------------------------------------

function clampInt(n: unknown, min: number, max: number): number {
  const v = typeof n === 'number' && Number.isFinite(n) ? Math.floor(n) : min;
  return Math.min(max, Math.max(min, v));
}

/** One page of facet values, each value cut to MESSAGE_LIMITS.facetValueLength. */
function facetPage(list: readonly FacetCount[], start: number, count: number = MESSAGE_LIMITS.facetValues): FacetCount[] {
  const max = MESSAGE_LIMITS.facetValueLength;
  return list.slice(start, start + count).map((f) => (f.value.length > max ? { value: `${f.value.slice(0, max - 1)}…`, count: f.count } : f));
}

/** The `damage` notification: the first page and the total. */
function damageMessage(ranges: readonly DamageRange[]): ToWebview {
  return { type: 'damage', total: ranges.length, ranges: ranges.slice(0, MESSAGE_LIMITS.damagePage).map(damageDto) };
}
