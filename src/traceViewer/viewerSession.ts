// ViewerSession: the host side of one trace viewer, answering the protocol (protocol.ts) over the trace engine.
// Pure: no vscode import; files are reached only through a FileAccess, messages leave only through `post`.
//
// Wiring (traceEditorProvider.ts does this): `new ViewerSession({ files, access, post, restored, strings, hooks })`;
// webview messages go to handle(); start() decodes with progress ('ready' may come before or after); the file
// watcher calls fileChanged() (follow decodes only the appended tail); dispose() when the panel closes.
// handle(): ready → init; every Request → one Response; cancelDecoding; setFollow; saveState/export/copyEvent/
// reopenAsText → the hooks. Posted: progress (throttled), viewChanged, damage, error.
//
// The parts: viewModel.ts (the filtered rows plus damage rows, find, locate, step), decodeLoop.ts (the first read
// with progress, cancel, follow), textSearch.ts (full-text hits), rowText.ts (Transfer targets, exceptions in rows),
// eventContent.ts (details, copy, export), collectionCache.ts (facets, activities, labels), messageIndex.ts and
// graph.ts (the message and graph views) and this dispatcher, which owns the state and answers the webview.

import { TraceCollection, type ActivityGraph, type DamageRange, type FileAccess } from '../trace';
import { CollectionCache } from './collectionCache';
import { DecodeLoop } from './decodeLoop';
import { damageMessage, damagePage, facetValuesPage } from './paging';
import { detailsAt, eventJsonAt, eventXmlAt, exportView, type ViewContext } from './eventContent';
import type {
  ActivityDto, DamageDto, DetailsDto, FacetCount, FacetName, FileDto, FilterDto, FromWebview, InitDto, Method, Request, RequestMap, RowDto,
  SavedState, ToWebview, ViewDto,
} from './protocol';
import { layoutGraph } from './graph';
import { MessageIndex } from './messageIndex';
import { RowText } from './rowText';
import type { ViewerSessionHooks, ViewerSessionOptions } from './sessionOptions';
import { TextSearch } from './textSearch';
import { EMPTY_FILTER, MAX_ROWS_PER_REQUEST, ViewModel, timesRead, toEngineFilter } from './viewModel';

export { MAX_ROWS_PER_REQUEST, toEngineFilter } from './viewModel';

export type { ViewerSessionHooks, ViewerSessionOptions } from './sessionOptions';

export class ViewerSession {
  readonly collection = new TraceCollection();
  private readonly access: FileAccess;
  private readonly post0: (message: ToWebview) => void;
  private readonly names: string[];
  private readonly pageSize: number;
  private readonly hooks: ViewerSessionHooks;
  private readonly loop: DecodeLoop;
  private filter: FilterDto;
  private saved: SavedState | undefined;
  private view: ViewModel;
  private readonly cache: CollectionCache;
  private readonly rowText: RowText;
  private readonly search: TextSearch;
  private readonly messages: MessageIndex;
  private readonly closedSignal = { aborted: false };
  private started: Promise<void> | undefined;
  private disposed = false;
  private followOn: boolean;
  private lastDamageCount = -1;
  private notATrace = false;
  private readySent = false;

  constructor(private readonly options: ViewerSessionOptions) {
    if (options.files.length === 0) throw new Error('ViewerSession needs at least one file');
    this.access = options.access;
    this.post0 = options.post;
    this.names = options.files.map((p, i) => options.names?.[i] ?? p.split(/[\\/]/).pop() ?? p);
    this.pageSize = Math.max(10, Math.min(MAX_ROWS_PER_REQUEST, options.pageSize ?? 200));
    this.hooks = options.hooks ?? {};
    this.saved = options.restored;
    this.filter = EMPTY_FILTER;
    if (options.restored?.filter) {
      const restored = { ...EMPTY_FILTER, ...options.restored.filter };
      try { toEngineFilter(restored); this.filter = restored; } catch { /* a saved filter that no longer parses: start unfiltered */ }
    }
    this.followOn = options.follow ?? false;
    for (const path of options.files) this.collection.addFile(path);
    this.cache = new CollectionCache(this.collection);
    this.rowText = new RowText(this.collection, this.access, this.cache.labels);
    this.search = new TextSearch(this.collection, this.access, this.closedSignal);
    this.messages = new MessageIndex(this.collection, this.access);
    this.view = ViewModel.of(this.collection, EMPTY_FILTER, [], 0);
    this.loop = new DecodeLoop({
      collection: this.collection, access: this.access, names: this.names,
      followIntervalMs: options.followIntervalMs, refreshIntervalMs: options.refreshIntervalMs,
      chunkSize: options.chunkSize, firstChunkSize: options.firstChunkSize, now: options.now ?? Date.now,
      indexCache: options.indexCache, decodeThreads: options.decodeThreads, onIndexed: options.onIndexed,
      events: {
        refresh: (notify) => this.refreshView(notify),
        progress: (progress) => this.post({ type: 'progress', progress }),
        error: (message) => this.post({ type: 'error', message }),
      },
    });
  }

  // ---- Lifecycle ----------------------------------------------------------------------------------------------

  /** Decodes every file (once; later calls return the same promise). Rows are served while it runs. */
  start(): Promise<void> {
    this.started ??= this.loop.readAll().then(() => {
      if (this.disposed) return;
      this.notATrace = this.collection.count === 0 && this.collection.damage().some((d) => d.reason === 'not-a-trace');
      if (this.notATrace && this.readySent) this.postInit();
      if (this.followOn) this.loop.startFollowing();
    });
    return this.started;
  }

  /** Stops decoding and following; nothing is posted afterwards. */
  dispose(): void {
    this.disposed = true;
    this.closedSignal.aborted = true;
    this.loop.dispose();
  }

  /** Cancels decoding: the events read so far stay. */
  cancel(): void {
    this.loop.cancel();
  }

  get following(): boolean {
    return this.followOn;
  }

  /** The host saw a file change: with follow on, decode the appended tail (or start over after truncation/rotation). */
  fileChanged(): Promise<void> {
    if (!this.followOn || this.loop.decoding || this.disposed) return Promise.resolve();
    return this.loop.follow();
  }

  setFollow(on: boolean): void {
    this.followOn = on;
    if (on && !this.loop.decoding && this.started) this.loop.startFollowing();
    if (!on) this.loop.stopFollowing();
  }

  // ---- Messages ------------------------------------------------------------------------------------------------

  /** Handles one message from the webview (requests get exactly one response). */
  async handle(message: FromWebview): Promise<void> {
    if (this.disposed) return;
    switch (message.type) {
      case 'ready': this.postInit(); return;
      case 'request': await this.answer(message); return;
      case 'saveState':
        this.saved = message.state;
        await this.hook(() => this.hooks.saveState?.(message.state));
        return;
      case 'cancelDecoding': this.cancel(); return;
      case 'setFollow': this.setFollow(message.follow); return;
      case 'export': await this.hook(() => this.hooks.export?.(message.format)); return;
      case 'copyEvent': await this.hook(() => this.hooks.copyEvent?.(message.index, message.as)); return;
      case 'reopenAsText': await this.hook(() => this.hooks.reopenAsText?.()); return;
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
      case 'find': return this.findWithCount(req.params.text, req.params.regex, req.params.from, req.params.direction);
      case 'getDetails': return this.getDetails(req.params.index);
      case 'getActivities': return { activities: this.activities().dtos };
      case 'locateActivity': return { index: this.view.locateActivity(this.collection, req.params.activityId) };
      case 'getDamage': return this.getDamage(req.params.start, req.params.count);
      case 'getFacet': return this.getFacet(req.params.facet, req.params.start, req.params.count, req.params.contains);
      case 'getGraph': return layoutGraph(this.collection, req.params.activityId, (id) => this.cache.labels.label(id), await this.messages.ids());
      case 'getMessages': return this.messages.page(req.params.start, req.params.count);
      case 'locateEvent': return { index: this.view.locateEvent(req.params.file, req.params.row) };
      case 'stepActivity': return { index: this.view.stepInActivity(this.collection, req.params.from, req.params.direction) };
      default: {
        const never: never = req;
        throw new Error(`Unknown request ${(never as { method: string }).method}`);
      }
    }
  }

  // ---- Requests ------------------------------------------------------------------------------------------------

  /** Rows of the view; Transfer rows name their target, rows with an exception show it (read from the event). */
  async getRows(start: number, count: number): Promise<{ version: number; start: number; rows: RowDto[] }> {
    await this.rowText.load(this.view.eventRows(start, count));
    const labels = this.cache.labels;
    return { version: this.view.version, ...this.view.rows(start, count, (id) => labels.label(id), (row, dto) => this.rowText.decorate(row, dto)) };
  }

  /** Applies a filter; a search text is looked for in the whole event (the file is searched once, then incrementally). */
  async setFilter(filter: FilterDto): Promise<ViewDto> {
    const next = { ...EMPTY_FILTER, ...filter };
    toEngineFilter(next); // throws on a bad regex or time before anything changes
    if (next.text) await this.search.search(next.text, !!next.regex);
    this.filter = next;
    this.refreshView(false);
    return this.viewDto();
  }

  get currentFilter(): FilterDto {
    return this.filter;
  }

  /** Events in the current view (damage rows not counted): what an export writes. */
  get eventsShown(): number {
    return this.view.engine.length;
  }

  /** A readable label for an activity: its name, or its first event's message. */
  activityLabel(activityId: string): string {
    return this.cache.labels.label(activityId);
  }

  /** Next (direction 1) or previous (-1) view position after/before `from` whose event holds the text, wrapping; -1 if none. */
  async find(text: string, regex: boolean, from: number, direction: 1 | -1): Promise<number> {
    return (await this.findWithCount(text, regex, from, direction)).index;
  }

  /** find() with the number of matching rows in the view and the rank of the one found. */
  async findWithCount(text: string, regex: boolean, from: number, direction: 1 | -1): Promise<{ index: number; count: number; ordinal: number }> {
    if (!text) return { index: -1, count: 0, ordinal: 0 };
    if (regex) new RegExp(text); // eslint-disable-line no-new -- a bad pattern is the caller's error
    const hits = await this.search.search(text, regex);
    return this.view.findWithCount(this.collection, text, regex, from, direction, hits);
  }

  getDetails(index: number): Promise<DetailsDto> {
    return detailsAt(this.context(), index);
  }

  /** First view position of an event of this activity (its ActivityID), or -1. */
  locateActivity(activityId: string): number {
    return this.view.locateActivity(this.collection, activityId);
  }

  activities(): { graph: ActivityGraph; dtos: ActivityDto[] } {
    return this.cache.activities();
  }

  // ---- Host hooks: export and copy -----------------------------------------------------------------------------

  /** The filtered events (damage rows left out) as CSV (with header) or a JSON array, in chunks of text. */
  exportRows(format: 'csv' | 'json', chunkRows = 2000): AsyncIterable<string> {
    return exportView(this.context(), format, chunkRows);
  }

  /** The event at a view position exactly as in its file (or the damaged bytes), as text. */
  eventXml(index: number): Promise<string> {
    return eventXmlAt(this.context(), index);
  }

  /** The event at a view position as JSON (System, TraceRecord, exceptions, message…). */
  eventJson(index: number): Promise<string> {
    return eventJsonAt(this.context(), index);
  }

  /** The state last saved by the webview (or restored), for the host to keep per file. */
  get savedState(): SavedState | undefined {
    return this.saved;
  }

  /** The name of an activity (from its Start event in any file), or ''. */
  activityName(activityId: string): string {
    return this.cache.activityName(activityId);
  }

  /** A page of the damaged ranges (issue 10: the `damage` notification carries only the first). */
  getDamage(start: number, count: number): { total: number; start: number; ranges: DamageDto[] } {
    return damagePage(this.damageRanges(), start, count);
  }

  /** A page of one facet's values (issue 10: a ViewDto carries only the most frequent). */
  getFacet(facet: FacetName, start: number, count: number, contains?: string): { total: number; start: number; values: FacetCount[] } {
    if (facet !== 'sources' && facet !== 'processes' && facet !== 'threads') throw new Error(`Unknown facet ${String(facet)}`);
    return facetValuesPage(this.cache.facetValues(facet), start, count, contains);
  }

  /** Settled damaged ranges of every file (see TraceCollection.settledDamage). */
  damageRanges(): DamageRange[] {
    return this.collection.settledDamage();
  }

  // ---- Internals -----------------------------------------------------------------------------------------------

  private context(): ViewContext {
    return { collection: this.collection, access: this.access, view: this.view, paths: this.options.files };
  }

  private post(message: ToWebview): void {
    if (this.disposed) return;
    try { this.post0(message); } catch { /* a closed webview */ }
  }

  private async hook(f: () => void | Promise<void>): Promise<void> {
    try { await f(); } catch (e) { this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) }); }
  }

  private files(): FileDto[] {
    return this.options.files.map((path, i) => ({ name: this.names[i], path, byteLength: this.loop.sizes[i] ?? 0 }));
  }

  private postInit(): void {
    this.readySent = true;
    const restored: SavedState | undefined = this.saved ? { ...this.saved, filter: this.filter } : undefined;
    const init: InitDto = {
      files: this.files(),
      pageSize: this.pageSize,
      view: this.viewDto(),
      progress: this.loop.progress,
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
    return { version: this.view.version, total: this.view.total, damageRows: this.view.damage.length, totalEvents: this.collection.count, facets: this.cache.facets(), timeRead: timesRead(this.filter) };
  }

  /** Recomputes the view for the current filter and collection; posts viewChanged (and damage when it changed). */
  private refreshView(notify: boolean): void {
    const ranges = this.damageRanges();
    this.view = ViewModel.of(this.collection, this.filter, ranges, this.view.version + 1, this.search.forFilter(this.filter));
    // New events (decoding, follow) are searched in the background; the view is refreshed again when that is done.
    this.search.catchUp(this.filter, () => { if (!this.disposed) this.refreshView(true); });
    if (notify) this.post({ type: 'viewChanged', view: this.viewDto() });
    if (ranges.length !== this.lastDamageCount) {
      this.lastDamageCount = ranges.length;
      if (notify || ranges.length > 0) this.post(damageMessage(ranges));
    }
  }
}
