// The activity view: activities as a tree following transfers (parent → activities it transferred to), each with its
// duration and event/error/warning counts; selecting one filters the table; transfer targets are navigable.
import type { ActivityDto } from '../../src/traceViewer/protocol';
import { button, el, formatCount, formatDuration, plural } from './dom';

export interface ActivityEvents {
  readonly t: (s: string) => string;
  readonly onSelect: (activityId: string | undefined) => void;
}

const MAX_ROOTS = 3000;
const MAX_CHILDREN = 500;

export class ActivityView {
  readonly root: HTMLElement;
  private readonly list: HTMLElement;
  private readonly count: HTMLElement;
  private readonly search: HTMLInputElement;
  private activities: readonly ActivityDto[] = [];
  private byId = new Map<string, ActivityDto>();
  private children = new Map<string, ActivityDto[]>();
  private readonly expanded = new Set<string>();
  private selected: string | undefined;
  /** The activity of the selected row (followed, not filtered). */
  private current: string | undefined;
  private firstList = true;

  constructor(private readonly ev: ActivityEvents) {
    const t = ev.t;
    this.count = el('span', 'muted');
    this.search = el('input', { className: 'search', attrs: { type: 'search', placeholder: t('Filter activities'), spellcheck: 'false', 'aria-label': t('Filter activities') } });
    this.search.addEventListener('input', () => this.draw());
    this.list = el('div', { className: 'activity-list', attrs: { role: 'tree', 'aria-label': t('Activities'), tabindex: '0' } });
    this.list.addEventListener('keydown', (e) => this.onKey(e));
    this.root = el('aside', { className: 'activities', attrs: { 'aria-label': t('Activities') } },
      el('div', 'activities-head', el('h2', { text: t('Activities') }), this.count,
        button(t('All'), () => this.select(undefined), { className: 'chip', title: t('Show the rows of every activity') })),
      this.search, this.list);
  }

  setLoading(): void {
    this.list.replaceChildren(el('p', { className: 'muted', text: this.ev.t('Loading activities\u2026') }));
  }

  setActivities(list: readonly ActivityDto[]): void {
    this.activities = list;
    this.byId = new Map(list.map((a) => [a.id, a]));
    this.children = new Map();
    for (const a of list) {
      if (a.parent && this.byId.has(a.parent)) {
        let c = this.children.get(a.parent);
        if (!c) this.children.set(a.parent, (c = []));
        c.push(a);
      }
    }
    this.count.textContent = formatCount(list.length);
    // Opens with the first level of every tree expanded, not collapsed to one root.
    if (this.firstList && list.length > 0) {
      this.firstList = false;
      for (const a of list) if ((!a.parent || !this.byId.has(a.parent)) && this.children.has(a.id)) this.expanded.add(a.id);
    }
    this.draw();
    if (this.current) this.reveal(this.current);
  }

  /** Follows the selected row: marks its activity and reveals it (expands its ancestors, scrolls to it). */
  reveal(id: string | undefined): void {
    this.current = id;
    if (!id || !this.byId.has(id)) { this.draw(); return; }
    for (let cur = this.byId.get(id)?.parent, n = 0; cur && n < 1000; cur = this.byId.get(cur)?.parent, n++) this.expanded.add(cur);
    this.draw();
    this.list.querySelector('.activity.current')?.scrollIntoView({ block: 'nearest' });
  }

  setSelected(id: string | undefined): void {
    this.selected = id;
    // Reveal it: expand its ancestors.
    for (let cur = id ? this.byId.get(id)?.parent : undefined, n = 0; cur && n < 1000; cur = this.byId.get(cur)?.parent, n++) this.expanded.add(cur);
    this.draw();
    const node = this.list.querySelector('.activity.selected');
    node?.scrollIntoView({ block: 'nearest' });
  }

  private select(id: string | undefined): void {
    this.selected = id;
    this.ev.onSelect(id);
    this.draw();
  }

  private draw(): void {
    const q = this.search.value.trim().toLowerCase();
    const nodes: HTMLElement[] = [];
    if (q) {
      const hits = this.activities.filter((a) => a.name.toLowerCase().includes(q) || a.id.toLowerCase().includes(q));
      for (const a of hits.slice(0, MAX_ROOTS)) nodes.push(this.node(a, 0, new Set(), false));
      if (hits.length > MAX_ROOTS) nodes.push(el('p', { className: 'muted', text: `+${formatCount(hits.length - MAX_ROOTS)}` }));
    } else {
      const roots = this.activities.filter((a) => !a.parent || !this.byId.has(a.parent));
      for (const a of roots.slice(0, MAX_ROOTS)) nodes.push(this.node(a, 0, new Set(), true));
      if (roots.length > MAX_ROOTS) nodes.push(el('p', { className: 'muted', text: `+${formatCount(roots.length - MAX_ROOTS)}` }));
    }
    if (this.activities.length === 0) nodes.push(el('p', { className: 'muted', text: this.ev.t('No activities') }));
    this.list.replaceChildren(...nodes);
  }

  private node(a: ActivityDto, depth: number, path: Set<string>, tree: boolean): HTMLElement {
    const kids = tree ? this.children.get(a.id) ?? [] : [];
    const open = this.expanded.has(a.id);
    const label = a.name || (isEmptyGuid(a.id) ? this.ev.t('(root activity)') : a.id || this.ev.t('(no activity id)'));
    const twisty = button(kids.length ? (open ? '\u25be' : '\u25b8') : '', (e) => {
      e.stopPropagation();
      if (!kids.length) return;
      if (open) this.expanded.delete(a.id); else this.expanded.add(a.id);
      this.draw();
    }, { className: 'twisty', attrs: { 'aria-label': open ? this.ev.t('Collapse') : this.ev.t('Expand'), tabindex: '-1' } });
    twisty.disabled = kids.length === 0;
    const meta = el('span', 'meta',
      el('span', { text: plural(a.events, this.ev.t('event'), this.ev.t('events')) }),
      a.errors ? el('span', { className: 'err', text: plural(a.errors, this.ev.t('error'), this.ev.t('errors')) }) : null,
      a.warnings ? el('span', { className: 'warn', text: plural(a.warnings, this.ev.t('warning'), this.ev.t('warnings')) }) : null,
      a.durationMs !== undefined ? el('span', { text: formatDuration(a.durationMs) }) : null,
      a.transfersTo.length ? el('span', { text: `\u2192 ${formatCount(a.transfersTo.length)}` }) : null);
    const row = el('div', {
      className: `activity${a.errors ? ' has-errors' : a.warnings ? ' has-warnings' : ''}${a.id === this.selected ? ' selected' : ''}${a.id === this.current ? ' current' : ''}`,
      attrs: { role: 'treeitem', 'aria-selected': a.id === this.selected ? 'true' : 'false', 'aria-level': String(depth + 1), ...(kids.length ? { 'aria-expanded': open ? 'true' : 'false' } : {}) },
      dataset: { id: a.id },
      title: `${a.name ? `${a.name}\n` : ''}${a.id}${a.start ? `\n${a.start} \u2192 ${a.end ?? ''}` : ''}`,
    }, twisty, el('span', { className: 'name', text: label }), meta);
    row.addEventListener('click', () => { if (a.id && !isEmptyGuid(a.id)) this.select(a.id); });
    const box = el('div', 'activity-node', row);
    if (open && kids.length) {
      const next = new Set(path).add(a.id);
      const sub = el('div', { className: 'activity-children', attrs: { role: 'group' } });
      for (const k of kids.slice(0, MAX_CHILDREN)) if (!next.has(k.id)) sub.appendChild(this.node(k, depth + 1, next, true));
      if (kids.length > MAX_CHILDREN) sub.appendChild(el('p', { className: 'muted', text: `+${formatCount(kids.length - MAX_CHILDREN)}` }));
      box.appendChild(sub);
    }
    return box;
  }

  private onKey(e: KeyboardEvent): void {
    const items = [...this.list.querySelectorAll<HTMLElement>('.activity')];
    if (items.length === 0) return;
    const cur = items.findIndex((n) => n.classList.contains('selected'));
    let next = cur;
    if (e.key === 'ArrowDown') next = Math.min(items.length - 1, cur + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, cur - 1);
    else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const id = items[cur]?.dataset.id;
      if (id) { if (e.key === 'ArrowRight') this.expanded.add(id); else this.expanded.delete(id); this.draw(); }
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    const id = items[next]?.dataset.id;
    if (id) { this.select(id); this.list.querySelector('.activity.selected')?.scrollIntoView({ block: 'nearest' }); }
  }
}

function isEmptyGuid(id: string): boolean {
  return /^\{?0{8}-0{4}-0{4}-0{4}-0{12}\}?$/.test(id);
}
