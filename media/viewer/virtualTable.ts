// The event table: virtual scrolling over any number of rows with its own scrollbar (a native scroll height would
// overflow past a few million rows), row windows fetched from the host by page, a bounded LRU page cache, stale
// replies dropped by view version, resizable columns and keyboard navigation. The DOM holds only the visible rows + 1
// (tableRows.ts draws them).
import type { RowDto } from '../../src/traceViewer/protocol';
import { applyWidths, buildHeader, clampWidth, widthsOf, type Column, type ColumnId } from './columns';
import { el, type Matcher } from './dom';
import { PageCache, type RowsReply } from './pageCache';
import { Scrollbar } from './scrollbar';
import { paintRow, rowElement } from './tableRows';

export interface TableOptions {
  readonly columns: Column[];
  readonly pageSize: number;
  /** Pages kept in the cache (LRU). */
  readonly maxPages?: number;
  readonly fetch: (start: number, count: number, version: number) => Promise<RowsReply>;
  readonly onSelect: (index: number) => void;
  readonly onOpen: (index: number) => void;
  readonly onColumnsResized: (widths: Record<string, number>) => void;
  readonly onScroll: (top: number) => void;
  readonly label: string;
}

export const ROW_HEIGHT = 22;

export class VirtualTable {
  readonly root: HTMLElement;
  private readonly header: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly rowsEl: HTMLElement;
  private readonly bar: Scrollbar;
  private readonly empty: HTMLElement;
  private rowEls: HTMLElement[] = [];
  private total = 0;
  private top = 0;
  private visible = 1;
  private selected = -1;
  private matcher: Matcher;
  private readonly pages: PageCache;
  private wheelRemainder = 0;

  constructor(private readonly o: TableOptions) {
    this.pages = new PageCache(o.pageSize, o.maxPages, o.fetch, (page) => {
      this.root.dataset.cachedPages = String(this.pages.size);
      const first = this.pages.pageOf(this.top), last = this.pages.pageOf(this.top + this.visible);
      if (page >= first && page <= last) this.render();
    });
    this.header = el('div', { className: 'vt-header', attrs: { role: 'row' } });
    this.rowsEl = el('div', { className: 'vt-rows', attrs: { role: 'rowgroup' } });
    this.empty = el('div', { className: 'vt-empty', text: '' });
    this.viewport = el('div', { className: 'vt-viewport', attrs: { tabindex: '0', role: 'grid', 'aria-label': o.label, 'aria-rowcount': '0' } },
      this.header, this.rowsEl, this.empty);
    this.bar = new Scrollbar({
      rows: () => ({ top: this.top, total: this.total, visible: this.visible }),
      scrollToRow: (top) => { this.setTop(top); this.render(); },
    });
    this.root = el('div', 'vt', this.viewport, this.bar.root);
    buildHeader(this.header, this.o.columns, () => this.applyWidths(), () => this.o.onColumnsResized(this.widths()));
    this.applyWidths();
    this.viewport.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.rowsEl.addEventListener('mousedown', (e) => this.onRowMouse(e));
    this.rowsEl.addEventListener('dblclick', (e) => { const i = this.rowIndexOf(e.target); if (i >= 0) o.onOpen(i); });
    new ResizeObserver(() => this.layout()).observe(this.viewport);
  }

  // ---- Public ----------------------------------------------------------------------------------------------------

  /** A new view (version) or more rows: drops cached pages of older versions and redraws (with `rows`, the host's page of it). */
  setView(total: number, version: number, keepStale = false, rows?: RowsReply): void {
    // Rows of the previous version stay on screen (not in the cache) until the new ones arrive, so a view that only
    // grew while decoding does not flash empty rows; a new filter shows loading rows instead.
    this.pages.setVersion(version, keepStale);
    if (rows) this.pages.put(rows.version, rows.start, rows.rows);
    this.total = total;
    this.viewport.setAttribute('aria-rowcount', String(total));
    if (this.selected >= total) this.selected = -1;
    this.setTop(this.top);
    this.render();
  }

  setEmptyText(text: string): void {
    this.empty.textContent = text;
  }

  setMatcher(m: Matcher): void {
    this.matcher = m;
    this.render();
  }

  setColumnVisible(id: ColumnId, visible: boolean): void {
    this.root.classList.toggle(`hide-${id}`, !visible);
  }

  /** Puts the columns in this order (ids not listed keep their place at the end). */
  setOrder(order: readonly ColumnId[]): void {
    const cols = this.o.columns;
    const rank = (id: ColumnId): number => { const k = order.indexOf(id); return k < 0 ? order.length + cols.findIndex((c) => c.id === id) : k; };
    const sorted = [...cols].sort((a, b) => rank(a.id) - rank(b.id));
    if (sorted.every((c, i) => c === cols[i])) return;
    cols.splice(0, cols.length, ...sorted);
    this.header.replaceChildren();
    buildHeader(this.header, this.o.columns, () => this.applyWidths(), () => this.o.onColumnsResized(this.widths()));
    for (const r of this.rowEls) r.remove();
    this.rowEls = [];
    this.render();
  }

  get selectedIndex(): number {
    return this.selected;
  }

  get topRow(): number {
    return this.top;
  }

  get visibleRows(): number {
    return this.visible;
  }

  get cachedPages(): number {
    return this.pages.size;
  }

  /** Page requests sent (for tests and the benchmark). */
  get requests(): number {
    return this.pages.requests;
  }

  /** Selects a row and scrolls it into view (does not call onSelect). */
  select(index: number, reveal = true): void {
    this.selected = index < 0 || index >= this.total ? -1 : index;
    if (reveal && this.selected >= 0) this.reveal(this.selected);
    this.render();
  }

  reveal(index: number): void {
    if (index < this.top) this.setTop(index);
    else if (index >= this.top + this.visible) this.setTop(index - this.visible + 1);
  }

  scrollTo(top: number): void {
    this.setTop(top);
    this.render();
  }

  scrollToEnd(): void {
    this.scrollTo(this.total);
  }

  isAtEnd(): boolean {
    return this.top + this.visible >= this.total;
  }

  focus(): void {
    this.viewport.focus();
  }

  /** The cached row at a view index, if any. */
  rowAt(index: number): RowDto | undefined {
    return this.pages.row(index);
  }

  widths(): Record<string, number> {
    return widthsOf(this.o.columns);
  }

  setWidths(w: Readonly<Record<string, number>> | undefined): void {
    if (!w) return;
    for (const c of this.o.columns) {
      const v = w[c.id];
      if (typeof v === 'number' && Number.isFinite(v)) c.width = clampWidth(c, v);
    }
    this.applyWidths();
  }

  // ---- Layout and drawing ----------------------------------------------------------------------------------------

  private applyWidths(): void {
    applyWidths(this.root, this.o.columns);
  }

  private layout(): void {
    const h = this.viewport.clientHeight - this.header.offsetHeight;
    const visible = Math.max(1, Math.floor(h / ROW_HEIGHT));
    if (visible !== this.visible) {
      const wasShown = this.selected >= this.top && this.selected < this.top + this.visible;
      this.visible = visible;
      this.setTop(this.top);
      if (wasShown) this.reveal(this.selected); // the details pane opened: keep the selected row in sight
    }
    this.render();
  }

  private setTop(top: number): void {
    const max = Math.max(0, this.total - this.visible);
    const t = Math.max(0, Math.min(max, Math.round(top)));
    if (t !== this.top) {
      this.top = t;
      this.o.onScroll(t);
    }
  }

  private ensureRowEls(n: number): void {
    while (this.rowEls.length < n) {
      const row = rowElement(this.o.columns);
      this.rowEls.push(row);
      this.rowsEl.appendChild(row);
    }
    while (this.rowEls.length > n) this.rowEls.pop()?.remove();
  }

  render(): void {
    // One extra row covers a partly visible last line.
    const n = Math.max(0, Math.min(this.visible + 1, this.total - this.top));
    this.ensureRowEls(n);
    this.empty.hidden = this.total > 0;
    const missing = new Set<number>();
    for (let k = 0; k < n; k++) {
      const index = this.top + k;
      const rowEl = this.rowEls[k];
      let row = this.rowAt(index);
      if (!row) {
        missing.add(this.pages.pageOf(index));
        row = this.pages.staleRow(index);
      }
      paintRow(rowEl, this.o.columns, index, row, index === this.selected, this.matcher);
    }
    for (const page of missing) this.pages.request(page);
    this.drawScrollbar();
  }

  private drawScrollbar(): void {
    this.bar.draw(this.total, this.visible, this.top);
  }

  private onWheel(e: WheelEvent): void {
    if (Math.abs(e.deltaY) < Math.abs(e.deltaX)) return; // horizontal: let the browser scroll the columns
    e.preventDefault();
    const rows = e.deltaMode === 1 ? e.deltaY : e.deltaMode === 2 ? e.deltaY * this.visible : e.deltaY / ROW_HEIGHT;
    this.wheelRemainder += rows;
    const whole = Math.trunc(this.wheelRemainder);
    if (whole === 0) return;
    this.wheelRemainder -= whole;
    this.setTop(this.top + whole);
    this.render();
  }

  private onKey(e: KeyboardEvent): void {
    if (this.total === 0) return;
    // A selection scrolled out of sight (scrollbar, wheel) does not pull the view back: keys move from what is shown.
    const inSight = this.selected >= this.top && this.selected < this.top + this.visible;
    const cur = this.selected < 0 || (!inSight && (e.key === 'PageDown' || e.key === 'PageUp')) ? this.top - 1 : this.selected;
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown': next = cur + 1; break;
      case 'ArrowUp': next = this.selected < 0 ? this.top : cur - 1; break;
      case 'PageDown': next = cur + Math.max(1, this.visible - 1); break;
      case 'PageUp': next = cur - Math.max(1, this.visible - 1); break;
      case 'Home': next = 0; break;
      case 'End': next = this.total - 1; break;
      case 'Enter': if (this.selected >= 0) { e.preventDefault(); this.o.onOpen(this.selected); } return;
      default: return;
    }
    e.preventDefault();
    next = Math.max(0, Math.min(this.total - 1, next));
    this.select(next);
    this.o.onSelect(next);
  }

  private rowIndexOf(target: EventTarget | null): number {
    const row = (target as HTMLElement | null)?.closest?.('.vt-row') as HTMLElement | null;
    const i = row?.dataset.index !== undefined ? Number(row.dataset.index) : -1;
    return Number.isInteger(i) && i >= 0 && i < this.total ? i : -1;
  }

  private onRowMouse(e: MouseEvent): void {
    if (e.button !== 0) return;
    const i = this.rowIndexOf(e.target);
    if (i < 0) return;
    this.select(i, false);
    this.viewport.focus();
    this.o.onSelect(i);
  }
}

