// The graph view: the selected activity's neighbourhood as columns (activity × process, grouped by process), its
// events top to bottom in time order, transfers as arrows between activities and logged messages as dashed arrows
// between processes. Clicking an event selects it in the table. SVG built with createElementNS; text only.
import type { GraphDto } from '../../src/traceViewer/protocol';
import { el, formatCount } from './dom';

export interface GraphEvents {
  readonly t: (s: string) => string;
  readonly onSelect: (file: number, row: number) => void;
}

const NS = 'http://www.w3.org/2000/svg';
const COL_W = 170, HEAD_H = 52, ROW_H = 22;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (/^on/i.test(k) || /href$/i.test(k) || k === 'style') throw new Error(`attribute ${k} is not allowed`);
    node.setAttribute(k, String(v));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

function cutText(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}\u2026` : s;
}

export class GraphView {
  readonly root: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly title: HTMLElement;
  private graph: GraphDto | undefined;
  private selected = '';

  constructor(private readonly ev: GraphEvents) {
    this.title = el('span', 'muted');
    this.canvas = el('div', { className: 'graph-canvas', attrs: { tabindex: '0' } });
    this.root = el('aside', { className: 'graph', attrs: { 'aria-label': ev.t('Graph') } },
      el('div', 'activities-head', el('h2', { text: ev.t('Graph') }), this.title), this.canvas);
    this.showEmpty(ev.t('Select a row: the graph shows its activity, the activities it transfers to and those that transfer to it.'));
  }

  get activityId(): string | undefined {
    return this.graph?.activityId;
  }

  /** True when the activity is drawn (as the centre or a neighbour). */
  has(activityId: string): boolean {
    return !!this.graph?.columns.some((c) => c.activityId === activityId);
  }

  showEmpty(text: string): void {
    this.graph = undefined;
    this.canvas.replaceChildren(el('p', { className: 'muted', text }));
  }

  setGraph(g: GraphDto): void {
    this.graph = g;
    this.title.textContent = `${formatCount(g.columns.length)} \u00d7 ${formatCount(g.events.length)}${g.truncated ? ' +' : ''}`;
    this.draw();
    document.body.dataset.graph = `${g.columns.length}:${g.events.length}:${g.arrows.filter((a) => a.kind === 'transfer').length}`;
  }

  /** Marks the event (file, row) that is selected in the table. */
  mark(file: number, row: number): void {
    this.selected = `${file}:${row}`;
    for (const n of this.canvas.querySelectorAll('.g-event')) n.classList.toggle('selected', (n as SVGElement).dataset.key === this.selected);
  }

  private draw(): void {
    const g = this.graph;
    if (!g) return;
    if (g.columns.length === 0) { this.showEmpty(this.ev.t('This row has no activity to draw')); return; }
    const w = g.columns.length * COL_W, h = HEAD_H + g.events.length * ROW_H + 10;
    const root = svg('svg', { width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: 'img', 'aria-label': this.ev.t('Graph') });
    const defs = svg('defs', {});
    for (const kind of ['transfer', 'message']) {
      const m = svg('marker', { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
      m.appendChild(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: `g-head-${kind}` }));
      defs.appendChild(m);
    }
    root.appendChild(defs);
    // Process bands and column heads.
    let start = 0;
    for (let i = 0; i <= g.columns.length; i++) {
      if (i === g.columns.length || (i > 0 && g.columns[i].processId !== g.columns[i - 1].processId)) {
        const band = svg('g', { class: 'g-process' });
        band.appendChild(svg('rect', { x: start * COL_W + 2, y: 2, width: (i - start) * COL_W - 4, height: 18, rx: 3 }));
        band.appendChild(svg('text', { x: start * COL_W + 8, y: 15 }, cutText(g.columns[start].process, Math.floor(((i - start) * COL_W) / 7))));
        root.appendChild(band);
        start = i;
      }
    }
    g.columns.forEach((c, i) => {
      const x = i * COL_W;
      const head = svg('g', { class: `g-column${c.activityId === g.activityId ? ' centre' : ''}` });
      const t = svg('text', { x: x + 8, y: 38 }, cutText(c.label, 24));
      t.appendChild(svg('title', {}, `${c.label}\n${c.activityId}\n${c.process}`));
      head.appendChild(t);
      head.appendChild(svg('line', { x1: x + COL_W / 2, y1: HEAD_H - 4, x2: x + COL_W / 2, y2: h - 4, class: 'g-lifeline' }));
      root.appendChild(head);
    });
    const pos = (k: number): { x: number; y: number } => ({ x: g.events[k].column * COL_W + COL_W / 2, y: HEAD_H + k * ROW_H + ROW_H / 2 });
    for (const a of g.arrows) {
      const p = pos(a.from), q = pos(a.to);
      const dx = q.x > p.x ? -7 : q.x < p.x ? 7 : 0;
      root.appendChild(svg('line', { x1: p.x, y1: p.y, x2: q.x + dx, y2: q.y, class: `g-arrow g-${a.kind}`, 'marker-end': `url(#arrow-${a.kind})`, 'data-kind': a.kind }));
    }
    g.events.forEach((e, k) => {
      const p = pos(k);
      const key = `${e.file}:${e.row}`;
      const node = svg('g', { class: `g-event lv-${e.level.toLowerCase()}${key === this.selected ? ' selected' : ''}`, tabindex: 0, role: 'button', 'data-key': key });
      // The whole cell of the event is the click target, not only its dot.
      node.appendChild(svg('rect', { class: 'g-hit', x: e.column * COL_W + 2, y: p.y - ROW_H / 2, width: COL_W - 4, height: ROW_H }));
      node.appendChild(svg('circle', { cx: p.x, cy: p.y, r: 5 }));
      node.appendChild(svg('text', { x: p.x + 9, y: p.y + 4 }, cutText(e.level === 'Transfer' ? '\u2192' : e.message || e.level, 16)));
      node.appendChild(svg('title', {}, `${e.time}\n${e.level}${e.message ? `\n${e.message}` : ''}`));
      const pick = (): void => { this.mark(e.file, e.row); this.ev.onSelect(e.file, e.row); };
      node.addEventListener('click', pick);
      node.addEventListener('keydown', (ke) => { if (ke.key === 'Enter' || ke.key === ' ') { ke.preventDefault(); pick(); } });
      root.appendChild(node);
    });
    this.canvas.replaceChildren(root);
    if (g.truncated) this.canvas.appendChild(el('p', { className: 'muted', text: this.ev.t('Only the first events of these activities are drawn.') }));
  }
}
