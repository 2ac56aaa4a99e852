// The event table: virtual scrolling over any number of rows with its own scrollbar (a native scroll height would
// overflow past a few million rows), row windows fetched from the host by page, a bounded LRU page cache, stale
// replies dropped by view version, resizable columns and keyboard navigation. The DOM holds only the visible rows + 1.
import type { RowDto } from '../../src/traceViewer/protocol';
import { el, setText, type Matcher } from './dom';
import { levelClass, levelIcon } from './levels';

export type ColumnId = 'time' | 'level' | 'source' | 'eventId' | 'activity' | 'process' | 'thread' | 'message' | 'file';

export interface Column {
  readonly id: ColumnId;
  readonly label: string;
  width: number;
  readonly min: number;
  /** Text of the cell (untrusted: always set as text). */
  readonly text: (row: RowDto) => string;
}

export interface RowsReply {
  readonly version: number;
  readonly start: number;
  readonly rows: readonly RowDto[];
}

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
  private readonly scrollbar: HTMLElement;
  private readonly thumb: HTMLElement;
  private readonly empty: HTMLElement;
  private rowEls: HTMLElement[] = [];
  private total = 0;
  private version = -1;
  private top = 0;
  private visible = 1;
  private selected = -1;
  private matcher: Matcher;
  private readonly cache = new Map<number, readonly RowDto[]>();
  /** Pages of the previous version, shown until their page of the current version arrives. */
  private stale = new Map<number, readonly RowDto[]>();
  private readonly pending = new Set<number>();
  private readonly maxPages: number;
  private wheelRemainder = 0;
  /** Requests sent (for tests and the benchmark). */
  requests = 0;

  constructor(private readonly o: TableOptions) {
    this.maxPages = Math.max(2, o.maxPages ?? 6);
    this.header = el('div', { className: 'vt-header', attrs: { role: 'row' } });
    this.rowsEl = el('div', { className: 'vt-rows', attrs: { role: 'rowgroup' } });
    this.empty = el('div', { className: 'vt-empty', text: '' });
    this.viewport = el('div', { className: 'vt-viewport', attrs: { tabindex: '0', role: 'grid', 'aria-label': o.label, 'aria-rowcount': '0' } },
      this.header, this.rowsEl, this.empty);
    this.thumb = el('div', { className: 'vt-thumb' });
    this.scrollbar = el('div', { className: 'vt-scrollbar', attrs: { 'aria-hidden': 'true' } }, this.thumb);
    this.root = el('div', 'vt', this.viewport, this.scrollbar);
    this.buildHeader();
    this.applyWidths();
    this.viewport.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.rowsEl.addEventListener('mousedown', (e) => this.onRowMouse(e));
    this.rowsEl.addEventListener('dblclick', (e) => { const i = this.rowIndexOf(e.target); if (i >= 0) o.onOpen(i); });
    this.setupScrollbar();
    new ResizeObserver(() => this.layout()).observe(this.viewport);
  }

  // ---- Public ----------------------------------------------------------------------------------------------------

  /** A new view (version) or more rows: drops cached pages of older versions and redraws. */
  setView(total: number, version: number, keepStale = false): void {
    if (version !== this.version) {
      // Rows of the previous version stay on screen (not in the cache) until the new ones arrive, so a view that only
      // grew while decoding does not flash empty rows; a new filter shows loading rows instead.
      this.stale = keepStale ? new Map([...this.stale, ...this.cache]) : new Map();
      while (this.stale.size > this.maxPages) this.stale.delete(this.stale.keys().next().value as number);
      this.cache.clear();
      this.pending.clear();
      this.version = version;
    }
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
    return this.cache.size;
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
    const page = Math.floor(index / this.o.pageSize);
    const rows = this.cache.get(page);
    if (!rows) return undefined;
    // LRU: touch.
    this.cache.delete(page);
    this.cache.set(page, rows);
    return rows[index - page * this.o.pageSize];
  }

  widths(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.o.columns) out[c.id] = c.width;
    return out;
  }

  setWidths(w: Readonly<Record<string, number>> | undefined): void {
    if (!w) return;
    for (const c of this.o.columns) {
      const v = w[c.id];
      if (typeof v === 'number' && Number.isFinite(v)) c.width = Math.max(c.min, Math.min(2000, v));
    }
    this.applyWidths();
  }

  // ---- Layout and drawing ----------------------------------------------------------------------------------------

  private buildHeader(): void {
    for (const c of this.o.columns) {
      const grip = el('div', { className: 'vt-grip', attrs: { 'aria-hidden': 'true' } });
      const cell = el('div', { className: `vt-cell vt-h c-${c.id}`, attrs: { role: 'columnheader' }, title: c.label }, el('span', { text: c.label }), grip);
      this.header.appendChild(cell);
      grip.addEventListener('pointerdown', (e) => {
        e.preventDefault();
        e.stopPropagation();
        grip.setPointerCapture(e.pointerId);
        const x0 = e.clientX;
        const w0 = c.width;
        const move = (m: PointerEvent): void => { c.width = Math.max(c.min, Math.min(2000, Math.round(w0 + m.clientX - x0))); this.applyWidths(); };
        const up = (): void => {
          grip.removeEventListener('pointermove', move);
          grip.removeEventListener('pointerup', up);
          grip.removeEventListener('pointercancel', up);
          this.o.onColumnsResized(this.widths());
        };
        grip.addEventListener('pointermove', move);
        grip.addEventListener('pointerup', up);
        grip.addEventListener('pointercancel', up);
      });
      grip.addEventListener('dblclick', (e) => { e.stopPropagation(); c.width = defaultWidth(c.id); this.applyWidths(); this.o.onColumnsResized(this.widths()); });
    }
  }

  private applyWidths(): void {
    for (const c of this.o.columns) this.root.style.setProperty(`--w-${c.id}`, `${c.width}px`);
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
      const row = el('div', { className: 'vt-row', attrs: { role: 'row' } });
      for (const c of this.o.columns) {
        const cell = el('div', { className: `vt-cell c-${c.id}`, attrs: { role: 'gridcell' } });
        if (c.id === 'level') cell.append(levelIcon('Unknown'), el('span', 'lv-text'));
        row.appendChild(cell);
      }
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
        const page = Math.floor(index / this.o.pageSize);
        missing.add(page);
        row = this.stale.get(page)?.[index - page * this.o.pageSize];
      }
      rowEl.dataset.index = String(index);
      rowEl.setAttribute('aria-rowindex', String(index + 1));
      rowEl.setAttribute('aria-selected', index === this.selected ? 'true' : 'false');
      rowEl.classList.toggle('selected', index === this.selected);
      if (!row) {
        rowEl.className = `vt-row loading${index === this.selected ? ' selected' : ''}`;
        for (let i = 0; i < this.o.columns.length; i++) {
          const cell = rowEl.children[i] as HTMLElement;
          if (this.o.columns[i].id === 'level') (cell.lastChild as HTMLElement).textContent = '';
          else if (this.o.columns[i].id === 'message') cell.textContent = '\u2026';
          else cell.textContent = '';
        }
        continue;
      }
      rowEl.className = `vt-row row-${levelClass(row.level).slice(3)}${row.damage ? ' damage' : row.damaged ? ' damaged' : ''}${index === this.selected ? ' selected' : ''}`;
      for (let i = 0; i < this.o.columns.length; i++) {
        const c = this.o.columns[i];
        const cell = rowEl.children[i] as HTMLElement;
        if (c.id === 'level') {
          (cell.firstChild as HTMLElement).className = `lv-icon ${levelClass(row.damage ? 'Unknown' : row.level)}${row.damage ? ' lv-damage' : ''}`;
          (cell.lastChild as HTMLElement).textContent = c.text(row);
        } else {
          const text = c.text(row);
          setText(cell, text, c.id === 'eventId' ? undefined : this.matcher);
          if (c.id === 'activity') cell.title = row.activityName ? `${row.activityName}\n${row.activityId}` : row.activityId;
          else if (c.id === 'message' || c.id === 'source' || c.id === 'file' || c.id === 'process') cell.title = text;
        }
      }
    }
    for (const page of missing) this.requestPage(page);
    this.drawScrollbar();
  }

  private requestPage(page: number): void {
    if (this.pending.has(page)) return;
    const version = this.version;
    this.pending.add(page);
    this.requests++;
    this.o.fetch(page * this.o.pageSize, this.o.pageSize, version).then((reply) => {
      if (version !== this.version) return; // the view changed meanwhile: pending was cleared
      this.pending.delete(page);
      if (reply.version !== this.version) return; // stale: dropped, asked again on the next draw
      this.cache.set(page, reply.rows);
      this.stale.delete(page);
      while (this.cache.size > this.maxPages) {
        const oldest = this.cache.keys().next().value as number;
        this.cache.delete(oldest);
      }
      this.root.dataset.cachedPages = String(this.cache.size);
      const first = Math.floor(this.top / this.o.pageSize), last = Math.floor((this.top + this.visible) / this.o.pageSize);
      if (page >= first && page <= last) this.render();
    }, () => {
      if (version === this.version) this.pending.delete(page);
    });
  }

  private drawScrollbar(): void {
    const track = this.scrollbar.clientHeight;
    const show = this.total > this.visible;
    this.scrollbar.classList.toggle('hidden', !show);
    if (!show || track <= 0) return;
    const thumbH = Math.max(20, Math.round((track * this.visible) / this.total));
    const max = Math.max(1, this.total - this.visible);
    const y = Math.round(((track - thumbH) * this.top) / max);
    this.thumb.style.setProperty('height', `${thumbH}px`);
    this.thumb.style.setProperty('transform', `translateY(${y}px)`);
  }

  private setupScrollbar(): void {
    this.thumb.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      e.stopPropagation();
      this.thumb.setPointerCapture(e.pointerId);
      const y0 = e.clientY;
      const top0 = this.top;
      const track = this.scrollbar.clientHeight;
      const thumbH = this.thumb.offsetHeight;
      const perPx = Math.max(0, this.total - this.visible) / Math.max(1, track - thumbH);
      this.thumb.classList.add('active');
      const move = (m: PointerEvent): void => { this.setTop(top0 + (m.clientY - y0) * perPx); this.render(); };
      const up = (): void => {
        this.thumb.classList.remove('active');
        this.thumb.removeEventListener('pointermove', move);
        this.thumb.removeEventListener('pointerup', up);
      };
      this.thumb.addEventListener('pointermove', move);
      this.thumb.addEventListener('pointerup', up);
    });
    this.scrollbar.addEventListener('pointerdown', (e) => {
      if (e.target !== this.scrollbar) return;
      const thumbTop = this.thumb.getBoundingClientRect().top;
      this.setTop(this.top + (e.clientY < thumbTop ? -1 : 1) * Math.max(1, this.visible - 1));
      this.render();
    });
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
    const cur = this.selected < 0 ? this.top - 1 : this.selected;
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

export function defaultWidth(id: ColumnId): number {
  switch (id) {
    case 'time': return 232;
    case 'level': return 116;
    case 'source': return 150;
    case 'eventId': return 84;
    case 'activity': return 120;
    case 'process': return 130;
    case 'thread': return 68;
    case 'message': return 420;
    case 'file': return 160;
  }
}
