// A picker for several values of one facet (sources, process runs, threads): a button showing what is picked, and a
// popover with a filter box, the values with their counts as checkboxes (a page at a time), "only" and "clear".
// Values are untrusted file content: text only.
import type { FacetCount } from '../../src/traceViewer/protocol';
import { button, el, formatCount } from './dom';

const PAGE = 200;

export class MultiPicker {
  readonly root: HTMLElement;
  readonly button: HTMLButtonElement;
  private readonly popover: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly list: HTMLElement;
  private readonly more: HTMLButtonElement;
  private values: readonly FacetCount[] = [];
  private selected: readonly string[] = [];
  private shown = PAGE;

  constructor(private readonly label: string, private readonly allLabel: string, private readonly t: (s: string) => string,
    private readonly onChange: (values: string[]) => void, readonly name: string) {
    this.button = button(allLabel, () => this.toggle(), { className: 'picker', title: label, attrs: { 'aria-haspopup': 'dialog', 'aria-expanded': 'false' }, dataset: { picker: name } });
    this.search = el('input', { className: 'picker-search', attrs: { type: 'search', placeholder: t('Filter values'), 'aria-label': `${label}: ${t('Filter values')}`, spellcheck: 'false' } });
    this.search.addEventListener('input', () => { this.shown = PAGE; this.draw(); });
    this.list = el('ul', { className: 'picker-list', attrs: { role: 'list' } });
    this.more = button('', () => { this.shown += PAGE; this.draw(); }, { className: 'link picker-more' });
    const clear = button(t('Clear'), () => this.set([]), { className: 'chip', title: t('Show every value') });
    this.popover = el('div', { className: 'popover picker-popover', attrs: { role: 'dialog', 'aria-label': label }, dataset: { picker: name } },
      el('div', 'popover-title', el('span', { text: label }), el('span', 'spacer'), clear), this.search, this.list, this.more);
    this.popover.hidden = true;
    this.popover.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); this.toggle(false); this.button.focus(); } });
    this.root = el('span', 'picker-box', this.button, this.popover);
  }

  setValues(values: readonly FacetCount[], selected: readonly string[]): void {
    this.values = values;
    this.selected = selected;
    this.button.disabled = values.length <= 1 && selected.length === 0;
    this.drawButton();
    if (!this.popover.hidden) this.draw();
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

  private labelOf(value: string): string {
    return this.values.find((v) => v.value === value)?.label ?? value;
  }

  private set(values: string[]): void {
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

  private draw(): void {
    const needle = this.search.value.trim().toLowerCase();
    const match = needle ? this.values.filter((v) => (v.label ?? v.value).toLowerCase().includes(needle)) : this.values;
    // Picked values that the file no longer has still show, so they can be cleared.
    const missing = this.selected.filter((s) => !this.values.some((v) => v.value === s)).map((value): FacetCount => ({ value, count: 0 }));
    const all = [...missing, ...match];
    const items = all.slice(0, this.shown).map((v) => {
      const box = el('input', { attrs: { type: 'checkbox', 'aria-label': v.label ?? v.value }, dataset: { value: v.value } });
      box.checked = this.selected.includes(v.value);
      box.addEventListener('change', () => this.set(box.checked ? [...this.selected, v.value] : this.selected.filter((x) => x !== v.value)));
      const only = button(this.t('only'), () => this.set([v.value]), { className: 'link', title: this.t('Show only this value') });
      return el('li', {}, el('label', {}, box, el('span', { className: 'value', text: v.label ?? (v.value || this.t('(empty)')) }), el('span', { className: 'count', text: formatCount(v.count) })), only);
    });
    this.list.replaceChildren(...items);
    const rest = all.length - Math.min(all.length, this.shown);
    this.more.hidden = rest <= 0;
    this.more.textContent = `${this.t('Show more')} (${formatCount(rest)})`;
  }
}
