// A picker for several values of one facet (sources, process runs, threads): a button showing what is picked, and a
// popover with a filter box, the values with their counts as checkboxes (a page at a time), "only" and "clear", and
// "N of M values". The host sends only the most frequent values of a facet; when the facet has more, the filter box
// asks the host for the matching values (getFacet, debounced) and scrolling to the end asks for the next page.
// Values are untrusted file content: text only.
import type { FacetCount } from '../../src/traceViewer/protocol';
import { button, debounce, el, formatCount } from './dom';

const PAGE = 200;
/** Values asked of the host at a time (MESSAGE_LIMITS.facetValues: the host sends no more). */
const FETCH = 500;

/** One page of a facet's values whose value or label contains `contains`, from the host. */
export type FacetFetch = (start: number, count: number, contains: string) => Promise<{ total: number; start: number; values: readonly FacetCount[] }>;

/** The values known for one filter text: those loaded so far, and how many the file has. */
interface Listing { readonly needle: string; readonly total: number; readonly values: readonly FacetCount[] }

export class MultiPicker {
  readonly root: HTMLElement;
  readonly button: HTMLButtonElement;
  private readonly popover: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly list: HTMLElement;
  private readonly info: HTMLElement;
  private readonly more: HTMLButtonElement;
  private values: readonly FacetCount[] = [];
  private total = 0;
  private selected: readonly string[] = [];
  private shown = PAGE;
  /** What the host answered for the current filter text (paged facets only). */
  private remote: Listing | undefined;
  /** The picked values as last listed, so those beyond the first page keep their label and count. */
  private known = new Map<string, FacetCount>();
  private seq = 0;
  private loading = false;
  private failed = false;
  private readonly queryLater = debounce(() => this.query(), 200);

  constructor(private readonly label: string, private readonly allLabel: string, private readonly t: (s: string) => string,
    private readonly onChange: (values: string[]) => void, readonly name: string, private readonly fetch?: FacetFetch) {
    this.button = button(allLabel, () => this.toggle(), { className: 'picker', title: label, attrs: { 'aria-haspopup': 'dialog', 'aria-expanded': 'false' }, dataset: { picker: name } });
    this.search = el('input', { className: 'picker-search', attrs: { type: 'search', placeholder: t('Filter values'), 'aria-label': `${label}: ${t('Filter values')}`, spellcheck: 'false' } });
    this.search.addEventListener('input', () => { this.shown = PAGE; this.draw(); if (this.paged()) this.queryLater(); });
    this.list = el('ul', { className: 'picker-list', attrs: { role: 'list' } });
    this.info = el('div', { className: 'picker-info', attrs: { 'aria-live': 'polite' } });
    this.more = button('', () => this.showMore(), { className: 'link picker-more' });
    const clear = button(t('Clear'), () => this.set([]), { className: 'chip', title: t('Show every value') });
    this.popover = el('div', { className: 'popover picker-popover', attrs: { role: 'dialog', 'aria-label': label }, dataset: { picker: name } },
      el('div', 'popover-title', el('span', { text: label }), el('span', 'spacer'), clear), this.search, this.info, this.list, this.more);
    this.popover.hidden = true;
    this.popover.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); this.toggle(false); this.button.focus(); } });
    this.popover.addEventListener('scroll', () => {
      const p = this.popover;
      if (p.scrollTop + p.clientHeight >= p.scrollHeight - 24) this.showMore();
    });
    this.root = el('span', 'picker-box', this.button, this.popover);
  }

  /** The first page of the facet's values, and how many distinct values it has (FacetsDto.totals). */
  setValues(values: readonly FacetCount[], selected: readonly string[], total = values.length): void {
    if (total !== this.total) this.remote = undefined; // the file grew: answers for the old total are stale
    this.values = values;
    this.total = Math.max(total, values.length);
    this.selected = selected;
    this.button.disabled = this.total <= 1 && selected.length === 0;
    this.drawButton();
    if (!this.popover.hidden) {
      this.draw();
      if (this.paged() && !this.remote && this.needle() !== '') this.queryLater();
    }
  }

  show(selected: readonly string[]): void {
    this.selected = selected;
    this.drawButton();
    if (!this.popover.hidden) this.draw();
  }

  toggle(open = this.popover.hidden): void {
    this.popover.hidden = !open;
    this.button.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) { this.draw(); this.search.focus(); }
  }

  /** Whether the host holds values this picker was not sent. */
  private paged(): boolean {
    return this.fetch !== undefined && this.total > this.values.length;
  }

  private needle(): string {
    return this.search.value.trim();
  }

  /** The values known for the current filter text: the host's answer, or the first page (filtered here). */
  private listing(): Listing {
    const needle = this.needle();
    const r = this.remote;
    if (this.paged() && r && r.needle === needle) return r;
    const lower = needle.toLowerCase();
    const match = (v: FacetCount): boolean => v.value.toLowerCase().includes(lower) || (v.label?.toLowerCase().includes(lower) ?? false);
    const values = needle ? this.values.filter(match) : this.values;
    // Not paged: everything is here. Paged without an answer yet: the total is the facet's only when unfiltered.
    return { needle, values, total: !this.paged() ? values.length : needle ? Number.NaN : this.total };
  }

  /** Asks the host for the first page of values matching the filter text (a newer question wins). */
  private query(): void {
    const needle = this.needle();
    if (!this.fetch || !this.paged()) return;
    if (needle === '') { this.remote = undefined; this.draw(); return; }
    void this.load(needle, 0);
  }

  private async load(needle: string, start: number): Promise<void> {
    const seq = ++this.seq;
    const before = start === 0 ? [] : this.listing().values.slice(0, start);
    this.loading = true;
    this.failed = false;
    this.drawInfo();
    try {
      const page = await (this.fetch as FacetFetch)(start, FETCH, needle);
      if (seq !== this.seq || needle !== this.needle()) return;
      this.remote = { needle, total: page.total, values: [...before, ...page.values] };
      if (start > 0) this.shown = Math.max(this.shown, start + PAGE); // show what the scroll asked for
    } catch {
      if (seq === this.seq) this.failed = true;
    } finally {
      if (seq === this.seq) { this.loading = false; this.draw(); }
    }
  }

  /** More rows: the next page of what is loaded, or the next page from the host. */
  private showMore(): void {
    const l = this.listing();
    if (this.shown < l.values.length) { this.shown += PAGE; this.draw(); return; }
    // Only once the host has answered for this text (a local match of the first page is no offset into its list).
    if (this.paged() && !this.loading && !Number.isNaN(l.total) && l.values.length < l.total) void this.load(l.needle, l.values.length);
  }

  private labelOf(value: string): string {
    return (this.values.find((v) => v.value === value) ?? this.known.get(value))?.label ?? value;
  }

  private set(values: string[]): void {
    const listed = this.listing().values;
    this.known = new Map(values.map((v) => [v, listed.find((x) => x.value === v) ?? this.known.get(v) ?? { value: v, count: 0 }]));
    this.selected = values;
    this.drawButton();
    this.draw();
    this.onChange(values);
  }

  private drawButton(): void {
    const s = this.selected;
    this.button.textContent = s.length === 0 ? this.allLabel : s.length === 1 ? this.labelOf(s[0]) : `${this.label}: ${formatCount(s.length)}`;
    this.button.classList.toggle('on', s.length > 0);
    this.button.title = s.length === 0 ? this.label : `${this.label}: ${s.map((v) => this.labelOf(v)).join(', ')}`;
  }

  private drawInfo(): void {
    const l = this.listing();
    const t = this.t;
    if (this.failed) { this.info.textContent = t('Could not load values'); return; }
    if (Number.isNaN(l.total)) { this.info.textContent = t('Loading values\u2026'); return; }
    const of = l.total === 1 ? t('value') : t('values');
    const listed = Math.min(l.values.length, this.shown);
    this.info.textContent = listed < l.total || l.needle ? `${formatCount(listed)} ${t('of')} ${formatCount(l.total)} ${of}` : `${formatCount(l.total)} ${of}`;
    if (this.loading) this.info.textContent += ` \u00b7 ${t('Loading values\u2026')}`;
  }

  private draw(): void {
    const l = this.listing();
    // Picked values not in the list still show, so they can be cleared (a count of 0: the file no longer has them).
    const paged = this.paged();
    const pinned = this.selected.filter((s) => !(paged ? l.values : this.values).some((v) => v.value === s))
      .map((value): FacetCount => (paged ? this.known.get(value) : undefined) ?? { value, count: 0 });
    const all = [...pinned, ...l.values];
    const items = all.slice(0, this.shown + pinned.length).map((v) => {
      const box = el('input', { attrs: { type: 'checkbox', 'aria-label': v.label ?? v.value }, dataset: { value: v.value } });
      box.checked = this.selected.includes(v.value);
      box.addEventListener('change', () => this.set(box.checked ? [...this.selected, v.value] : this.selected.filter((x) => x !== v.value)));
      const only = button(this.t('only'), () => this.set([v.value]), { className: 'link', title: this.t('Show only this value') });
      return el('li', {}, el('label', {}, box, el('span', { className: 'value', text: v.label ?? (v.value || this.t('(empty)')) }), el('span', { className: 'count', text: formatCount(v.count) })), only);
    });
    this.list.replaceChildren(...items);
    const listed = Math.min(l.values.length, this.shown);
    const rest = Number.isNaN(l.total) ? l.values.length - listed : Math.max(l.values.length, l.total) - listed;
    this.more.hidden = rest <= 0;
    this.more.textContent = `${this.t('Show more')} (${formatCount(rest)})`;
    this.drawInfo();
  }
}
