// ViewerSession: the host side of one trace viewer, answering the protocol (protocol.ts) over the trace engine.
// Pure: no vscode import; files are reached only through a FileAccess, messages leave only through `post`.
//
// Wiring (traceEditorProvider.ts does this): `new ViewerSession({ files, access, post, restored, strings, hooks })`;
// webview messages go to handle(); start() decodes with progress ('ready' may come before or after); the file
// watcher calls fileChanged() (follow decodes only the appended tail); dispose() when the panel closes.
// handle(): ready → init; every Request → one Response; cancelDecoding; setFollow; saveState/export/copyEvent/
// reopenAsText → the hooks. Posted: progress (throttled), viewChanged, damage, error.
//
// The parts: liveView.ts (the current filter and its view, and the answer to every request), viewModel.ts (the
// filtered rows plus damage rows, find, locate, step), engineFilter.ts (the filter as the engine takes it),
// decodeLoop.ts (the first read with progress, cancel, follow), textSearch.ts (full-text hits), rowText.ts (Transfer
// targets, exceptions in rows), eventContent.ts (details, copy, export), collectionCache.ts (facets, activities,
// labels), messageIndex.ts and graph.ts (the message and graph views) and this dispatcher, which owns the lifecycle
// and the channel to the webview.

import { TraceCollection, type DamageRange, type FileAccess } from '../trace';
import { DecodeLoop } from './decodeLoop';
import { LiveView } from './liveView';
import { damageMessage } from './paging';
import type { FileDto, FilterDto, FromWebview, InitDto, Method, Request, RequestMap, RowDto, SavedState, ToWebview, ViewDto } from './protocol';
import type { ViewerSessionHooks, ViewerSessionOptions } from './sessionOptions';
import { MAX_ROWS_PER_REQUEST } from './viewModel';
import { Outbox } from './outbox';

export type { ViewerSessionHooks, ViewerSessionOptions } from './sessionOptions';

export class ViewerSession {
  readonly collection = new TraceCollection();
  private readonly access: FileAccess;
  private readonly post0: (message: ToWebview) => void;
  private readonly names: string[];
  private readonly pageSize: number;
  private readonly hooks: ViewerSessionHooks;
  private readonly loop: DecodeLoop;
  private readonly live: LiveView;
  private saved: SavedState | undefined;
  private readonly closedSignal = { aborted: false };
  private started: Promise<void> | undefined;
  private disposed = false;
  private followOn: boolean;
  private notATrace = false;
  private readySent = false;
  private readonly outbox: Outbox;

  constructor(private readonly options: ViewerSessionOptions) {
    if (options.files.length === 0) throw new Error('ViewerSession needs at least one file');
    this.access = options.access;
    this.post0 = options.post;
    this.names = options.files.map((p, i) => options.names?.[i] ?? p.split(/[\\/]/).pop() ?? p);
    this.pageSize = Math.max(10, Math.min(MAX_ROWS_PER_REQUEST, options.pageSize ?? 200));
    this.hooks = options.hooks ?? {};
    this.saved = options.restored;
    this.followOn = options.follow ?? false;
    for (const path of options.files) this.collection.addFile(path);
    this.outbox = new Outbox((message) => this.send(message));
    this.live = new LiveView({
      collection: this.collection, access: this.access, paths: options.files, filter: options.restored?.filter,
      closed: this.closedSignal, post: (message) => this.post(message), pageSize: this.pageSize,
    });
    this.loop = new DecodeLoop({
      collection: this.collection, access: this.access, names: this.names,
      followIntervalMs: options.followIntervalMs, refreshIntervalMs: options.refreshIntervalMs,
      chunkSize: options.chunkSize, firstChunkSize: options.firstChunkSize, now: options.now ?? Date.now,
      indexCache: options.indexCache, decodeThreads: options.decodeThreads, onIndexed: options.onIndexed,
      events: {
        refresh: (notify) => this.live.refresh(notify),
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
    }).then(() => this.outbox.idle());
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
    return this.loop.follow().then(() => this.outbox.idle());
  }

  setFollow(on: boolean): void {
    this.followOn = on;
    if (on && !this.loop.decoding && this.started) this.loop.startFollowing();
    if (!on) this.loop.stopFollowing();
  }

  // ---- Messages ------------------------------------------------------------------------------------------------

  /** Handles one message from the webview (requests get exactly one response); resolves once what it caused is posted. */
  async handle(message: FromWebview): Promise<void> {
    await this.dispatch(message);
    await this.outbox.idle();
  }

  private async dispatch(message: FromWebview): Promise<void> {
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
    const r = await this.live.answer({ type: 'request', requestId: 0, method, params } as Request);
    return r as RequestMap[M]['result'];
  }

  private async answer(req: Request): Promise<void> {
    try {
      const result = await this.live.answer(req);
      this.post({ type: 'response', requestId: req.requestId, ok: true, result });
    } catch (e) {
      this.post({ type: 'response', requestId: req.requestId, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }

  // ---- What the host reads of the view (liveView.ts answers) ---------------------------------------------------

  getRows(start: number, count: number): Promise<{ version: number; start: number; rows: RowDto[] }> {
    return this.live.getRows(start, count);
  }

  setFilter(filter: FilterDto): Promise<ViewDto> {
    return this.live.setFilter(filter);
  }

  get currentFilter(): FilterDto {
    return this.live.currentFilter;
  }

  /** Events in the current view (damage rows not counted): what an export writes. */
  get eventsShown(): number {
    return this.live.eventsShown;
  }

  /** A readable label for an activity: its name, or its first event's message. */
  activityLabel(activityId: string): string {
    return this.live.activityLabel(activityId);
  }

  /** Next (direction 1) or previous (-1) view position after/before `from` whose event holds the text, wrapping; -1 if none. */
  async find(text: string, regex: boolean, from: number, direction: 1 | -1): Promise<number> {
    return (await this.live.findWithCount(text, regex, from, direction)).index;
  }

  /** Settled damaged ranges of every file (see TraceCollection.settledDamage). */
  damageRanges(): DamageRange[] {
    return this.live.damageRanges();
  }

  /** The filtered events (damage rows left out) as CSV (with header) or a JSON array, in chunks of text. */
  exportRows(format: 'csv' | 'json', chunkRows = 2000): AsyncIterable<string> {
    return this.live.exportRows(format, chunkRows);
  }

  /** The event at a view position exactly as in its file (or the damaged bytes), as text. */
  eventXml(index: number): Promise<string> {
    return this.live.eventXml(index);
  }

  /** The event at a view position as JSON (System, TraceRecord, exceptions, message…). */
  eventJson(index: number): Promise<string> {
    return this.live.eventJson(index);
  }

  /** The state last saved by the webview (or restored), for the host to keep per file. */
  get savedState(): SavedState | undefined {
    return this.saved;
  }

  // ---- Internals -----------------------------------------------------------------------------------------------

  /** Every message leaves in the order it was made (outbox.ts): a view still reading its rows holds back later ones. */
  private post(message: ToWebview | Promise<ToWebview>): void {
    if (!this.disposed) this.outbox.put(message);
  }

  private send(message: ToWebview): void {
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
    const restored: SavedState | undefined = this.saved ? { ...this.saved, filter: this.live.currentFilter } : undefined;
    const progress = this.loop.progress, notATrace = this.notATrace || undefined;
    // The first rows come with the view when there are any (decoding started before the webview was ready).
    this.post(this.live.viewWithRows().then((view): ToWebview => ({ type: 'init', init: {
      files: this.files(), pageSize: this.pageSize, view, progress, follow: this.followOn, restored, notATrace, strings: this.options.strings ?? {},
    } satisfies InitDto })));
    const damage = this.live.damageRanges();
    if (damage.length > 0) this.post(damageMessage(damage));
  }
}
