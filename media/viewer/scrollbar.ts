// The event table's own scrollbar: a native scroll height overflows past a few million rows, so the table draws a
// thumb sized and placed by rows, drags it (pointer capture) and pages on a click in the track.
import { el } from './dom';

/** What the scrollbar reads from and moves in its table, in rows. */
export interface ScrollHost {
  /** First visible row, row count, rows that fit. */
  rows(): { readonly top: number; readonly total: number; readonly visible: number };
  /** Scrolls to a row (clamped by the host) and redraws. */
  scrollToRow(top: number): void;
}

export class Scrollbar {
  readonly root: HTMLElement;
  private readonly thumb: HTMLElement;

  constructor(private readonly host: ScrollHost) {
    this.thumb = el('div', { className: 'vt-thumb' });
    this.root = el('div', { className: 'vt-scrollbar', attrs: { 'aria-hidden': 'true' } }, this.thumb);
    this.thumb.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      e.stopPropagation();
      this.thumb.setPointerCapture(e.pointerId);
      const y0 = e.clientY;
      const { top: top0, total, visible } = this.host.rows();
      const track = this.root.clientHeight;
      const thumbH = this.thumb.offsetHeight;
      const perPx = Math.max(0, total - visible) / Math.max(1, track - thumbH);
      this.thumb.classList.add('active');
      const move = (m: PointerEvent): void => this.host.scrollToRow(top0 + (m.clientY - y0) * perPx);
      const up = (): void => {
        this.thumb.classList.remove('active');
        this.thumb.removeEventListener('pointermove', move);
        this.thumb.removeEventListener('pointerup', up);
      };
      this.thumb.addEventListener('pointermove', move);
      this.thumb.addEventListener('pointerup', up);
    });
    this.root.addEventListener('pointerdown', (e) => {
      if (e.target !== this.root) return;
      const thumbTop = this.thumb.getBoundingClientRect().top;
      const { top, visible } = this.host.rows();
      this.host.scrollToRow(top + (e.clientY < thumbTop ? -1 : 1) * Math.max(1, visible - 1));
    });
  }

  draw(total: number, visible: number, top: number): void {
    const track = this.root.clientHeight;
    const show = total > visible;
    this.root.classList.toggle('hidden', !show);
    if (!show || track <= 0) return;
    const thumbH = Math.max(20, Math.round((track * visible) / total));
    const max = Math.max(1, total - visible);
    const y = Math.round(((track - thumbH) * top) / max);
    this.thumb.style.setProperty('height', `${thumbH}px`);
    this.thumb.style.setProperty('transform', `translateY(${y}px)`);
  }
}
