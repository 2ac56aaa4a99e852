// The column chooser: show or hide each column of the event table and move it left or right. The choice is kept with
// the view state (per file). Text only.
import { button, el } from './dom';

export interface ColumnChoice {
  readonly id: string;
  readonly label: string;
}

export interface ColumnLayout {
  readonly order: readonly string[];
  readonly hidden: readonly string[];
}

export class ColumnMenu {
  readonly root: HTMLElement;
  readonly button: HTMLButtonElement;
  private readonly list: HTMLElement;
  private layout: ColumnLayout;

  constructor(private readonly columns: readonly ColumnChoice[], layout: ColumnLayout, private readonly t: (s: string) => string,
    private readonly onChange: (layout: ColumnLayout) => void) {
    this.layout = layout;
    this.list = el('ul', { className: 'column-list', attrs: { role: 'list' } });
    this.root = el('div', { className: 'popover columns-popover', attrs: { role: 'dialog', 'aria-label': t('Columns') } },
      el('div', { className: 'popover-title', text: t('Columns') }), this.list);
    this.root.hidden = true;
    this.button = button(t('Columns'), () => this.toggle(), { className: 'chip', title: t('Show, hide and reorder the columns'), attrs: { 'aria-expanded': 'false' } });
    this.root.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); this.toggle(false); this.button.focus(); } });
    this.draw();
  }

  set(layout: ColumnLayout): void {
    this.layout = layout;
    this.draw();
  }

  toggle(open = this.root.hidden): void {
    this.root.hidden = !open;
    this.button.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) (this.list.querySelector('input') as HTMLInputElement | null)?.focus();
  }

  private change(layout: ColumnLayout): void {
    this.layout = layout;
    this.draw();
    this.onChange(layout);
  }

  private draw(): void {
    const byId = new Map(this.columns.map((c) => [c.id, c]));
    const items = this.layout.order.filter((id) => byId.has(id));
    const rows = items.map((id, k) => {
      const c = byId.get(id) as ColumnChoice;
      const box = el('input', { attrs: { type: 'checkbox', 'aria-label': c.label }, dataset: { column: id } });
      box.checked = !this.layout.hidden.includes(id);
      box.addEventListener('change', () => {
        const hidden = box.checked ? this.layout.hidden.filter((h) => h !== id) : [...this.layout.hidden, id];
        this.change({ ...this.layout, hidden });
      });
      const move = (d: -1 | 1): void => {
        const order = [...items];
        const j = k + d;
        if (j < 0 || j >= order.length) return;
        [order[k], order[j]] = [order[j], order[k]];
        this.change({ ...this.layout, order });
      };
      const up = button('\u2190', () => move(-1), { className: 'icon', title: this.t('Move left'), attrs: { 'aria-label': `${this.t('Move left')}: ${c.label}` } });
      const down = button('\u2192', () => move(1), { className: 'icon', title: this.t('Move right'), attrs: { 'aria-label': `${this.t('Move right')}: ${c.label}` } });
      up.disabled = k === 0;
      down.disabled = k === items.length - 1;
      return el('li', { dataset: { column: id } }, el('label', {}, box, el('span', { text: c.label })), up, down);
    });
    this.list.replaceChildren(...rows);
  }
}
