// The details pane of the selected event: formatted sections (fields, TraceRecord, ExtendedData, exception chain with
// stack traces), the logged message (SOAP headers and body pretty-printed), raw XML; copy as XML/JSON; "go to related
// activity" for transfers. Everything from the file is set as text.
import type { DetailsDto, DetailsSection, RowDto } from '../../src/traceViewer/protocol';
import { button, el, setText, toggle, type Matcher } from './dom';
import { levelIcon } from './levels';

export interface DetailsEvents {
  readonly t: (s: string) => string;
  readonly onCopy: (index: number, as: 'xml' | 'json') => void;
  readonly onRelated: (activityId: string) => void;
  readonly onActivity: (activityId: string) => void;
  /** Limit the time range to start (from) or end (to) at this time. */
  readonly onTimeBound: (which: 'from' | 'to', time: string) => void;
  readonly onClose: () => void;
}

type Tab = 'formatted' | 'message' | 'xml';

export class DetailsPane {
  readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly body: HTMLElement;
  private readonly tabs = new Map<Tab, HTMLButtonElement>();
  private readonly relatedButton: HTMLButtonElement;
  private readonly activityButton: HTMLButtonElement;
  private readonly copyXml: HTMLButtonElement;
  private readonly copyJson: HTMLButtonElement;
  private tab: Tab = 'formatted';
  /** XML tab: indented (default) or exactly as in the file. */
  private indented = true;
  private details: DetailsDto | undefined;
  private row: RowDto | undefined;
  private matcher: Matcher;

  constructor(private readonly ev: DetailsEvents) {
    const t = ev.t;
    this.title = el('div', 'details-title');
    const tabBar = el('div', { className: 'tabs', attrs: { role: 'tablist' } });
    for (const [id, label] of [['formatted', t('Formatted')], ['message', t('Message')], ['xml', t('XML')]] as const) {
      const b = button(label, () => this.setTab(id), { className: 'tab', attrs: { role: 'tab' }, dataset: { tab: id } });
      this.tabs.set(id, b);
      tabBar.appendChild(b);
    }
    this.relatedButton = button(t('Go to related activity'), () => { if (this.row?.relatedActivityId) ev.onRelated(this.row.relatedActivityId); }, {
      className: 'chip', title: t('Show the activity this transfer goes to'),
    });
    this.activityButton = button(t('Filter by activity'), () => { if (this.row?.activityId) ev.onActivity(this.row.activityId); }, {
      className: 'chip', title: t('Show only the rows of this event\u2019s activity'),
    });
    this.copyXml = button(t('Copy XML'), () => { if (this.details) ev.onCopy(this.details.index, 'xml'); }, { className: 'chip', title: t('Copy the event as XML') });
    this.copyJson = button(t('Copy JSON'), () => { if (this.details) ev.onCopy(this.details.index, 'json'); }, { className: 'chip', title: t('Copy the event as JSON') });
    const close = button('\u00d7', () => ev.onClose(), { className: 'icon', title: t('Close details (Escape)'), attrs: { 'aria-label': t('Close details') } });
    this.body = el('div', { className: 'details-body', attrs: { tabindex: '0', role: 'tabpanel' } });
    this.root = el('section', { className: 'details', attrs: { 'aria-label': t('Event details') } },
      el('div', 'details-head', this.title, tabBar, el('span', 'spacer'), this.relatedButton, this.activityButton, this.copyXml, this.copyJson, close),
      this.body);
    this.root.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); ev.onClose(); } });
    this.setTab('formatted');
    this.clear();
  }

  clear(message = ''): void {
    this.details = undefined;
    this.row = undefined;
    this.title.replaceChildren();
    this.body.replaceChildren(el('p', { className: 'muted', text: message }));
    this.relatedButton.hidden = true;
    this.activityButton.hidden = true;
    this.copyXml.disabled = true;
    this.copyJson.disabled = true;
    this.tabs.get('message')!.hidden = true;
  }

  loading(row: RowDto | undefined): void {
    this.row = row;
    this.showTitle();
    this.body.classList.add('stale');
  }

  show(d: DetailsDto, row: RowDto | undefined): void {
    this.details = d;
    this.row = row;
    this.body.classList.remove('stale');
    this.copyXml.disabled = false;
    this.copyJson.disabled = false;
    this.relatedButton.hidden = !(row && row.level === 'Transfer' && row.relatedActivityId);
    this.activityButton.hidden = !(row && row.activityId);
    const hasMessage = d.sections.some((s) => s.kind === 'message');
    this.tabs.get('message')!.hidden = !hasMessage;
    if (this.tab === 'message' && !hasMessage) this.tab = 'formatted';
    this.showTitle();
    this.draw();
  }

  setMatcher(m: Matcher): void {
    this.matcher = m;
    if (this.details) this.draw();
  }

  focus(): void {
    this.body.focus();
  }

  get shownIndex(): number {
    return this.details?.index ?? -1;
  }

  private showTitle(): void {
    const r = this.row;
    if (!r) { this.title.replaceChildren(); return; }
    const icon = levelIcon(r.damage ? 'Unknown' : r.level);
    if (r.damage) icon.classList.add('lv-damage');
    this.title.replaceChildren(icon,
      el('span', { className: 'level-name', text: r.damage ? this.ev.t('Damaged range') : r.level }),
      el('span', { className: 'muted', text: r.time ? ` ${r.time}` : '' }));
  }

  private setTab(tab: Tab): void {
    this.tab = tab;
    for (const [id, b] of this.tabs) {
      toggle(b, id === tab);
      b.setAttribute('aria-selected', id === tab ? 'true' : 'false');
    }
    if (this.details) this.draw();
  }

  private draw(): void {
    const d = this.details;
    if (!d) return;
    const out: Node[] = [];
    // The search's hits in the whole event (the row shows only its list fields, cut at 300 characters).
    const hits = this.matcher ? this.matcher(d.prettyXml ?? d.rawXml).length : 0;
    if (this.matcher) {
      const line = el('p', { className: 'details-hits', text: hits === 0 ? this.ev.t('The search text is not in this event') : `${hits >= 100 ? '100+' : hits} ${hits === 1 ? this.ev.t('match in this event') : this.ev.t('matches in this event')}` });
      if (hits > 0 && this.tab !== 'xml') line.appendChild(button(this.ev.t('Show in XML'), () => this.setTab('xml'), { className: 'link' }));
      out.push(line);
      this.root.dataset.hits = String(hits);
    }
    if (this.tab === 'formatted' && this.row?.message && !this.row.damage) {
      // The row's message, whole, at the top: for an Error row its exception type and message.
      const summary = el('p', 'details-summary');
      setText(summary, this.row.message, this.matcher);
      out.push(summary);
    }
    if (this.tab === 'xml') {
      const pretty = this.indented && d.prettyXml !== undefined;
      if (d.prettyXml !== undefined) {
        const b = button(this.ev.t('Indented'), () => { this.indented = !this.indented; this.draw(); }, {
          className: 'chip xml-mode', title: this.ev.t('Show the event indented, or exactly as in the file'),
        });
        toggle(b, pretty);
        out.push(el('div', 'xml-bar', b));
      }
      const pre = el('pre', 'xml');
      setText(pre, pretty ? d.prettyXml as string : d.rawXml, this.matcher);
      out.push(pre);
      if (d.rawXmlTruncated) out.push(el('p', { className: 'muted', text: this.ev.t('The event is longer than shown here; Copy XML copies all of it.') }));
    } else {
      const sections = this.tab === 'message' ? d.sections.filter((s) => s.kind === 'message') : d.sections;
      for (const s of sections) out.push(this.section(s, 0));
    }
    this.body.replaceChildren(...out);
  }

  private section(s: DetailsSection, depth: number): HTMLElement {
    const box = el('div', { className: `section depth-${Math.min(depth, 3)}${s.kind ? ` kind-${s.kind}` : ''}` });
    box.appendChild(el(depth === 0 ? 'h3' : 'h4', { text: s.title }));
    if (s.fields && s.fields.length > 0 && s.kind === 'event') {
      // The System fields: short values in a compact multi-column grid, so the sections below stay in sight.
      const grid = el('div', 'grid-fields');
      for (const f of s.fields) {
        const value = el('span', 'value');
        setText(value, f.value, this.matcher);
        const item = el('div', { className: 'field', title: `${f.label}: ${f.value}` }, el('span', { className: 'label', text: f.label }), value);
        if (/activity$/i.test(f.label) && /^\{?[0-9a-f-]{36}\}?$/i.test(f.value)) {
          item.appendChild(button(this.ev.t('filter'), () => this.ev.onActivity(f.value), { className: 'link', title: this.ev.t('Show only the rows of this activity') }));
        }
        if (f.label === 'Time' && f.value) {
          item.append(
            button(this.ev.t('from'), () => this.ev.onTimeBound('from', f.value), { className: 'link', title: this.ev.t('Show rows from this time on') }),
            button(this.ev.t('to'), () => this.ev.onTimeBound('to', f.value), { className: 'link', title: this.ev.t('Show rows up to this time') }));
        }
        grid.appendChild(item);
      }
      box.appendChild(grid);
    } else if (s.fields && s.fields.length > 0) {
      const table = el('table', 'fields');
      const tbody = el('tbody');
      for (const f of s.fields) {
        const td = el('td');
        setText(td, f.value, this.matcher);
        const tr = el('tr', {}, el('th', { text: f.label, attrs: { scope: 'row' } }), td);
        if (/activity$/i.test(f.label) && /^\{?[0-9a-f-]{36}\}?$/i.test(f.value)) {
          td.appendChild(button(this.ev.t('filter'), () => this.ev.onActivity(f.value), { className: 'link', title: this.ev.t('Show only the rows of this activity') }));
        }
        tbody.appendChild(tr);
      }
      table.appendChild(tbody);
      box.appendChild(table);
    }
    if (s.text) {
      const pre = el('pre', s.kind === 'exception' ? 'stack' : 'text');
      setText(pre, s.text, this.matcher);
      box.appendChild(pre);
    }
    for (const c of s.children ?? []) box.appendChild(this.section(c, depth + 1));
    return box;
  }
}
