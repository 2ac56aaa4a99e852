// Pages of rows for the event table, fetched from the host by page: a bounded LRU cache per view version, one request
// per missing page at a time, and replies for an older version dropped. Rows of the previous version can stay
// (`stale`) until their page of the new version arrives, so a view that only grew does not flash empty rows.
import type { RowDto } from '../../src/traceViewer/protocol';

export interface RowsReply {
  readonly version: number;
  readonly start: number;
  readonly rows: readonly RowDto[];
}

export class PageCache {
  private readonly pages = new Map<number, readonly RowDto[]>();
  /** Pages of the previous version, shown until their page of the current version arrives. */
  private stale = new Map<number, readonly RowDto[]>();
  private readonly pending = new Set<number>();
  private readonly maxPages: number;
  private version = -1;
  /** Requests sent (for tests and the benchmark). */
  requests = 0;

  constructor(
    private readonly pageSize: number,
    maxPages: number | undefined,
    private readonly fetch: (start: number, count: number, version: number) => Promise<RowsReply>,
    /** A page of the current version arrived. */
    private readonly arrived: (page: number) => void,
  ) {
    this.maxPages = Math.max(2, maxPages ?? 6);
  }

  get size(): number {
    return this.pages.size;
  }

  pageOf(index: number): number {
    return Math.floor(index / this.pageSize);
  }

  /** A new view version: drops the pages of older versions (keeping them as stale rows when `keepStale`). */
  setVersion(version: number, keepStale: boolean): void {
    if (version === this.version) return;
    this.stale = keepStale ? new Map([...this.stale, ...this.pages]) : new Map();
    while (this.stale.size > this.maxPages) this.stale.delete(this.stale.keys().next().value as number);
    this.pages.clear();
    this.pending.clear();
    this.version = version;
  }

  /** The row at a view index if its page of the current version is here (touches the page: LRU). */
  row(index: number): RowDto | undefined {
    const page = this.pageOf(index);
    const rows = this.pages.get(page);
    if (!rows) return undefined;
    this.pages.delete(page);
    this.pages.set(page, rows);
    return rows[index - page * this.pageSize];
  }

  /** The row at a view index from the previous version, while its new page is on its way. */
  staleRow(index: number): RowDto | undefined {
    const page = this.pageOf(index);
    return this.stale.get(page)?.[index - page * this.pageSize];
  }

  /** Rows the host sent with a view of this version (a whole page): kept as if asked for, so they are not asked for. */
  put(version: number, start: number, rows: readonly RowDto[]): void {
    if (version !== this.version || rows.length === 0 || start % this.pageSize !== 0) return;
    const page = start / this.pageSize;
    this.pages.delete(page);
    this.pages.set(page, rows);
    this.stale.delete(page);
    while (this.pages.size > this.maxPages) this.pages.delete(this.pages.keys().next().value as number);
  }

  request(page: number): void {
    if (this.pending.has(page)) return;
    const version = this.version;
    this.pending.add(page);
    this.requests++;
    this.fetch(page * this.pageSize, this.pageSize, version).then((reply) => {
      if (version !== this.version) return; // the view changed meanwhile: pending was cleared
      this.pending.delete(page);
      if (reply.version !== this.version) return; // stale: dropped, asked again on the next draw
      this.pages.set(page, reply.rows);
      this.stale.delete(page);
      while (this.pages.size > this.maxPages) this.pages.delete(this.pages.keys().next().value as number);
      this.arrived(page);
    }, () => {
      if (version === this.version) this.pending.delete(page);
    });
  }
}
