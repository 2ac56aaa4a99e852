// The message view: every logged message in one list (time, direction, Action, From → To, size), a request paired
// with its reply and the time between them. Selecting a message selects its event in the table (its details show
// the SOAP envelope indented and the body's fields). A page of messages at a time. File content is text only.
import type { MessageDto } from '../../src/traceViewer/protocol';
import { button, el, formatCount, formatDuration } from './dom';

export interface MessageEvents {
  readonly t: (s: string) => string;
  readonly load: (start: number, count: number) => Promise<{ total: number; truncated: boolean; messages: readonly MessageDto[] }>;
  readonly onSelect: (m: MessageDto) => void;
}

const PAGE = 500;

/** The last segment of an Action URI (the operation), the whole text when it has none. */
function shortAction(a: string): string {
  const m = /[^/:#]+$/.exec(a);
  return m ? m[0] : a;
}

/** The time of day to the millisecond (the date and the full time are in the tooltip). */
function shortTime(time: string): string {
  const m = /T(\d\d:\d\d:\d\d)(\.\d{1,3})?/.exec(time);
  return m ? `${m[1]}${m[2] ?? ''}` : time;
}

export class MessageView {
  readonly root: HTMLElement;
  private readonly list: HTMLElement;
  private readonly count: HTMLElement;
  private readonly more: HTMLButtonElement;
  private messages: MessageDto[] = [];
  private total = 0;
  private selected = -1;
  private loadedAt = -1;

  constructor(private readonly ev: MessageEvents) {
    const t = ev.t;
    this.count = el('span', 'muted');
    this.list = el('div', { className: 'message-list', attrs: { role: 'listbox', 'aria-label': t('Messages'), tabindex: '0' } });
    this.list.addEventListener('keydown', (e) => this.onKey(e));
    this.more = button('', () => void this.loadMore(), { className: 'link' });
    this.more.hidden = true;
    this.root = el('aside', { className: 'messages', attrs: { 'aria-label': t('Messages') } },
      el('div', 'activities-head', el('h2', { text: t('Messages') }), this.count), this.list, this.more);
  }

  /** Loads the first page (again when the collection grew: `eventsNow` changed). */
  async refresh(eventsNow: number): Promise<void> {
    if (this.loadedAt === eventsNow) return;
    this.loadedAt = eventsNow;
    if (this.messages.length === 0) this.list.replaceChildren(el('p', { className: 'muted', text: this.ev.t('Reading the logged messages\u2026') }));
    const r = await this.ev.load(0, PAGE);
    this.messages = [...r.messages];
    this.total = r.total;
    this.count.textContent = formatCount(r.total);
    this.draw();
    document.body.dataset.messages = String(r.total);
  }

  private async loadMore(): Promise<void> {
    const r = await this.ev.load(this.messages.length, PAGE);
    this.messages.push(...r.messages);
    this.total = r.total;
    this.draw();
  }

  private select(id: number, notify = true): void {
    this.selected = id;
    this.draw();
    const m = this.messages[id];
    this.list.querySelector('.message.selected')?.scrollIntoView({ block: 'nearest' });
    if (m && notify) this.ev.onSelect(m);
  }

  private draw(): void {
    const t = this.ev.t;
    if (this.messages.length === 0) { this.list.replaceChildren(el('p', { className: 'muted', text: t('No logged messages (MessageLogTraceRecord) in this view') })); this.more.hidden = true; return; }
    const sel = this.messages[this.selected];
    const rows = this.messages.map((m) => {
      const dir = m.direction === 'send' ? '\u2191' : m.direction === 'receive' ? '\u2193' : '\u00b7';
      const pair = m.partner >= 0
        ? button(`${m.role === 'request' ? t('reply') : t('request')} ${m.deltaMs !== undefined ? `+${formatDuration(m.deltaMs)}` : ''}`.trim(), (e) => {
          e.stopPropagation();
          if (m.partner < this.messages.length) this.select(m.partner); else void this.loadMore().then(() => this.select(m.partner));
        }, { className: 'link pair', title: t('Go to the paired message'), dataset: { partner: String(m.partner) } })
        : el('span', { className: 'muted pair', text: t('unpaired') });
      const row = el('div', {
        className: `message dir-${m.direction}${m.id === this.selected ? ' selected' : ''}${sel && sel.partner === m.id ? ' paired' : ''}`,
        attrs: { role: 'option', 'aria-selected': m.id === this.selected ? 'true' : 'false' },
        dataset: { id: String(m.id), role: m.role },
        title: [m.action, `${m.source} \u00b7 ${m.time}`, m.from && `${t('From')}: ${m.from}`, m.to && `${t('To')}: ${m.to}`, m.messageId && `MessageID: ${m.messageId}`, m.relatesTo && `RelatesTo: ${m.relatesTo}`].filter((x) => x).join('\n'),
      },
      el('span', { className: 'm-dir', text: dir }),
      el('span', { className: 'm-time', text: shortTime(m.time) }),
      el('span', { className: 'm-action', text: shortAction(m.action) || m.status || m.source }),
      el('span', { className: 'm-route muted', text: [m.from, m.to].filter((x) => x).join(' \u2192 ') || m.source }),
      el('span', { className: 'm-size muted', text: `${formatCount(m.size)} B` }),
      pair);
      row.addEventListener('click', () => this.select(m.id));
      return row;
    });
    this.list.replaceChildren(...rows);
    const rest = this.total - this.messages.length;
    this.more.hidden = rest <= 0;
    this.more.textContent = `${t('Show more')} (${formatCount(rest)})`;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const next = Math.max(0, Math.min(this.messages.length - 1, this.selected + (e.key === 'ArrowDown' ? 1 : -1)));
    this.select(next);
  }
}
