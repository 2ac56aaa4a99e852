// The status line: reading progress with Cancel, what the view shows ("18 of 2,597 events shown · 1 damaged
// range"), and messages. The counts come from the view only, so progress and status never disagree.
import type { ProgressDto, ViewDto } from '../../src/traceViewer/protocol';
import { button, el, formatCount, plural } from './dom';

export class StatusBar {
  readonly root: HTMLElement;
  private readonly progressEl: HTMLElement;
  private readonly progressBar: HTMLProgressElement;
  private readonly progressText: HTMLElement;
  private readonly statusText: HTMLElement;
  private readonly messageText: HTMLElement;

  constructor(private readonly t: (s: string) => string, onCancel: () => void) {
    this.progressBar = el('progress', { attrs: { max: '1', value: '0', 'aria-label': t('Reading the file') } });
    this.progressText = el('span', 'progress-text');
    this.progressEl = el('div', { className: 'progress', attrs: { role: 'status' } }, this.progressBar, this.progressText,
      button(t('Cancel'), onCancel, { className: 'chip cancel', title: t('Stop reading; keep the events read so far') }));
    this.statusText = el('span', 'status-text');
    this.messageText = el('span', { className: 'message-text', attrs: { role: 'alert' } });
    this.root = el('div', 'statusbar', this.progressEl, this.statusText, this.messageText);
  }

  progress(p: ProgressDto): void {
    this.progressEl.hidden = p.done;
    document.body.dataset.decoding = p.done ? 'done' : 'running';
    const frac = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : 0;
    this.progressBar.value = frac;
    this.progressText.textContent = `${this.t('Reading')} ${Math.floor(frac * 100)}%`;
  }

  /** `damaged`: damaged ranges that are damage (an ignored DOCTYPE is none), counted by the host. */
  status(v: ViewDto, damaged: number, p: ProgressDto | undefined): void {
    const damageRows = v.damageRows ?? 0;
    const parts = [`${formatCount(v.total - damageRows)} ${this.t('of')} ${plural(v.totalEvents, this.t('event'), this.t('events'))} ${this.t('shown')}`];
    if (damaged) parts.push(`${formatCount(damaged)} ${this.t('damaged ranges')}`);
    if (p?.cancelled) parts.push(this.t('reading cancelled: the rest of the file is not shown'));
    this.statusText.textContent = parts.join(' \u00b7 ');
    document.body.dataset.total = String(v.total);
  }

  message(text: string, isError: boolean): void {
    this.messageText.textContent = text;
    this.messageText.classList.toggle('error', isError);
  }
}
