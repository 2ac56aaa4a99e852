// The event table's columns: their ids and cell text, default widths, and the header with drag-to-resize grips
// (double-click a grip for the default width). Widths live on the Column objects and as CSS variables on the table.
import type { RowDto } from '../../src/traceViewer/protocol';
import { el } from './dom';

export type ColumnId = 'time' | 'sincePrevious' | 'sinceStart' | 'level' | 'source' | 'eventId' | 'activity' | 'process' | 'thread' | 'message' | 'file';

export interface Column {
  readonly id: ColumnId;
  readonly label: string;
  width: number;
  readonly min: number;
  /** Text of the cell (untrusted: always set as text). */
  readonly text: (row: RowDto) => string;
}

/** Column widths are clamped to [column minimum, MAX_WIDTH] pixels. */
const MAX_WIDTH = 2000;

export function clampWidth(c: Column, width: number): number {
  return Math.max(c.min, Math.min(MAX_WIDTH, width));
}

/** Sets each column's width as the CSS variable `--w-<id>` on `root`. */
export function applyWidths(root: HTMLElement, columns: readonly Column[]): void {
  for (const c of columns) root.style.setProperty(`--w-${c.id}`, `${c.width}px`);
}

export function widthsOf(columns: readonly Column[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of columns) out[c.id] = c.width;
  return out;
}

/** Fills `header` with one cell per column; a grip resizes it (apply on every move, `resized` when let go). */
export function buildHeader(header: HTMLElement, columns: readonly Column[], apply: () => void, resized: () => void): void {
  for (const c of columns) {
    const grip = el('div', { className: 'vt-grip', attrs: { 'aria-hidden': 'true' } });
    const cell = el('div', { className: `vt-cell vt-h c-${c.id}`, attrs: { role: 'columnheader' }, title: c.label }, el('span', { text: c.label }), grip);
    header.appendChild(cell);
    grip.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      e.stopPropagation();
      grip.setPointerCapture(e.pointerId);
      const x0 = e.clientX;
      const w0 = c.width;
      const move = (m: PointerEvent): void => { c.width = clampWidth(c, Math.round(w0 + m.clientX - x0)); apply(); };
      const up = (): void => {
        grip.removeEventListener('pointermove', move);
        grip.removeEventListener('pointerup', up);
        grip.removeEventListener('pointercancel', up);
        resized();
      };
      grip.addEventListener('pointermove', move);
      grip.addEventListener('pointerup', up);
      grip.addEventListener('pointercancel', up);
    });
    grip.addEventListener('dblclick', (e) => { e.stopPropagation(); c.width = defaultWidth(c.id); apply(); resized(); });
  }
}

export function defaultWidth(id: ColumnId): number {
  switch (id) {
    case 'time': return 232;
    case 'sincePrevious': return 96;
    case 'sinceStart': return 110;
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

