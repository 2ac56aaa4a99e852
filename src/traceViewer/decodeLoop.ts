// The viewer's decode/follow loop: reads every file of a TraceCollection once with throttled progress and view
// refreshes (the first rows as soon as there are any), can be cancelled, and then follows the files as they grow
// (a timer while follow is on, and whenever the host reports a change). Pure: files only through a FileAccess.

import { TraceCancelledError, followFile, type CancelSignal, type FileAccess, type TraceCollection } from '../trace';
import { decodeFileIndexed, type IndexCacheStore, type IndexSource } from '../trace/indexCache';
import type { RangeDecoder } from '../trace/parallel';
import type { ProgressDto } from './protocol';

export interface DecodeLoopEvents {
  /** New rows (or a finished read): recompute the view; `notify` = tell the webview. */
  refresh(notify: boolean): void;
  progress(progress: ProgressDto): void;
  error(message: string): void;
}

export interface DecodeLoopOptions {
  readonly collection: TraceCollection;
  readonly access: FileAccess;
  readonly names: readonly string[];
  readonly events: DecodeLoopEvents;
  /** Poll interval while following (default 1000 ms; 0 = only on fileChanged()). */
  readonly followIntervalMs?: number;
  /** Minimum time between view refreshes while decoding (default 250 ms). */
  readonly refreshIntervalMs?: number;
  readonly chunkSize?: number;
  readonly firstChunkSize?: number;
  readonly now: () => number;
  /** Decoded indexes kept between openings (the first read starts from a matching entry, then stores a new one). */
  readonly indexCache?: IndexCacheStore;
  /** Threads for the first read (made once per read, closed after it). */
  readonly decodeThreads?: () => RangeDecoder & { close?(): Promise<void> };
  readonly onIndexed?: (file: number, source: IndexSource) => void;
}

export class DecodeLoop {
  /** Byte size of each file (0 until known). */
  sizes: number[] = [];
  progress: ProgressDto = { bytesDone: 0, bytesTotal: 0, events: 0, done: false, cancelled: false };
  /** True while the first read runs. */
  decoding = false;
  /** Stops the first read (Cancel, or dispose). */
  private readonly abort: { aborted: boolean } = { aborted: false };
  /** Stops following (dispose only: following after a cancelled read still works). */
  private readonly closed: { aborted: boolean } = { aborted: false };
  private followTimer: ReturnType<typeof setInterval> | undefined;
  private followBusy: Promise<void> | undefined;

  constructor(private readonly o: DecodeLoopOptions) {}

  get disposed(): boolean {
    return this.closed.aborted;
  }

  /** Cancels the first read: the events read so far stay. */
  cancel(): void {
    this.abort.aborted = true;
  }

  dispose(): void {
    this.abort.aborted = true;
    this.closed.aborted = true;
    this.stopFollowing();
  }

  /** Reads every file completely, refreshing the view and reporting progress as it goes. */
  async readAll(): Promise<void> {
    this.decoding = true;
    const { collection: c, access, events } = this.o;
    const paths = c.files.map((f) => f.path);
    try {
      this.sizes = await Promise.all(paths.map((p) => access.size(p)));
    } catch (e) {
      this.sizes = paths.map(() => 0);
      events.error(`Cannot read ${paths.join(', ')}: ${message(e)}`);
    }
    const bytesTotal = this.sizes.reduce((a, b) => a + b, 0);
    this.progress = { bytesDone: 0, bytesTotal, events: 0, done: false, cancelled: false };
    const refreshEvery = this.o.refreshIntervalMs ?? 250;
    let lastProgress = 0, lastRefresh = 0, refreshCost = 0, refreshedEvents = 0, before = 0;
    const signal: CancelSignal = this.abort;
    let cancelled = false;
    let ranges: (RangeDecoder & { close?(): Promise<void> }) | undefined;
    try { ranges = this.o.decodeThreads?.(); } catch { ranges = undefined; }
    for (let i = 0; i < paths.length && !cancelled; i++) {
      try {
        // From the index cache when it has this file, else decoded (on every core when there are threads).
        const source = await decodeFileIndexed(c, c.files[i], access, {
          cache: this.o.indexCache,
          ranges,
          signal,
          // 1 MiB reads keep the host's event loop free to answer the webview while a big file is decoded.
          chunkSize: this.o.chunkSize ?? 1 << 20,
          firstChunkSize: this.o.firstChunkSize,
          onProgress: (p) => {
            const t = this.o.now();
            this.progress = { bytesDone: before + p.bytes, bytesTotal, events: c.count, done: false, cancelled: false };
            // First rows as soon as there are any; then at most every refreshEvery ms (longer if refreshing is slow).
            if (c.count !== refreshedEvents && (refreshedEvents === 0 || t - lastRefresh >= Math.max(refreshEvery, refreshCost * 4))) {
              const t0 = this.o.now();
              events.refresh(true);
              refreshCost = this.o.now() - t0;
              lastRefresh = this.o.now();
              refreshedEvents = c.count;
            }
            if (t - lastProgress >= 100) { lastProgress = t; events.progress(this.progress); }
          },
        });
        this.o.onIndexed?.(i, source);
      } catch (e) {
        if (e instanceof TraceCancelledError || this.abort.aborted) cancelled = true;
        else events.error(`${this.o.names[i]}: ${message(e)}`);
      }
      before += this.sizes[i] ?? 0;
    }
    await ranges?.close?.().catch(() => undefined);
    this.decoding = false;
    if (this.disposed) return;
    const bytesDone = cancelled ? this.progress.bytesDone : bytesTotal;
    this.progress = { bytesDone, bytesTotal, events: c.count, done: true, cancelled };
    events.refresh(true);
    events.progress(this.progress);
  }

  startFollowing(): void {
    const every = this.o.followIntervalMs ?? 1000;
    if (this.followTimer || every <= 0 || this.disposed) return;
    this.followTimer = setInterval(() => void this.follow(), every);
    (this.followTimer as { unref?: () => void }).unref?.();
  }

  stopFollowing(): void {
    if (this.followTimer) clearInterval(this.followTimer);
    this.followTimer = undefined;
  }

  /** Decodes what was appended to each file (or reads it again after truncation/rotation); one run at a time. */
  follow(): Promise<void> {
    if (this.followBusy) return this.followBusy;
    const { collection: c, access, events } = this.o;
    this.followBusy = (async () => {
      let changed = false;
      for (const f of c.files) {
        try {
          const r = await followFile(c, access, f.index, { signal: this.closed, chunkSize: this.o.chunkSize ?? 1 << 20 });
          if (r.kind !== 'unchanged') changed = true;
          this.sizes[f.index] = await access.size(f.path);
        } catch (e) {
          if (!(e instanceof TraceCancelledError)) events.error(`${this.o.names[f.index]}: ${message(e)}`);
        }
      }
      if (changed && !this.disposed) {
        events.refresh(true);
        const bytes = this.sizes.reduce((a, b) => a + b, 0);
        this.progress = { bytesDone: bytes, bytesTotal: bytes, events: c.count, done: true, cancelled: false };
        events.progress(this.progress);
      }
    })().finally(() => { this.followBusy = undefined; });
    return this.followBusy;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
