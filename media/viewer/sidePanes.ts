// The message view and the graph view beside the table, with their toolbar toggles: each loads when opened, the
// graph follows the selected row's activity, and choosing a message or a graph event selects its row.
import type { RowDto } from '../../src/traceViewer/protocol';
import { button, toggle } from './dom';
import { GraphView } from './graphView';
import { MessageView } from './messageView';
import type { Rpc } from './rpc';

export interface SidePaneHost {
  readonly t: (s: string) => string;
  readonly rpc: Rpc;
  readonly layout: () => HTMLElement | undefined;
  readonly jumpTo: (index: number) => void;
  readonly showMessage: (text: string, isError: boolean) => void;
  readonly events: () => number;
  readonly fallbackActivity: () => string;
}

export class SidePanes {
  readonly messages: MessageView;
  readonly graph: GraphView;
  readonly messagesButton: HTMLButtonElement;
  readonly graphButton: HTMLButtonElement;
  private graphSeq = 0;
  private selected: RowDto | undefined;

  constructor(private readonly h: SidePaneHost) {
    const t = h.t;
    const select = (file: number, row: number, hidden: string): void => void h.rpc.request('locateEvent', { file, row }).then(({ index }) => {
      if (index < 0) { h.showMessage(hidden, false); return; }
      h.showMessage('', false);
      h.jumpTo(index);
    });
    this.messages = new MessageView({
      t, load: (start, count) => h.rpc.request('getMessages', { start, count }),
      onSelect: (m) => select(m.file, m.row, t('The filter hides this message\u2019s event')),
    });
    this.graph = new GraphView({ t, onSelect: (file, row) => select(file, row, t('The filter hides this event')) });
    this.messages.root.hidden = true;
    this.graph.root.hidden = true;
    this.messagesButton = button(t('Messages'), () => this.openMessages(this.messages.root.hidden), { className: 'chip', title: t('Show every logged message, requests paired with replies') });
    this.graphButton = button(t('Graph'), () => this.openGraph(this.graph.root.hidden), { className: 'chip', title: t('Show the selected activity and its transfers as a graph') });
    toggle(this.messagesButton, false);
    toggle(this.graphButton, false);
  }

  openMessages(on: boolean): void {
    this.messages.root.hidden = !on;
    this.h.layout()?.classList.toggle('with-messages', on);
    toggle(this.messagesButton, on);
    if (on) void this.messages.refresh(this.h.events()).catch((e: Error) => this.h.showMessage(e.message, true));
  }

  openGraph(on: boolean): void {
    this.graph.root.hidden = !on;
    this.h.layout()?.classList.toggle('with-graph', on);
    toggle(this.graphButton, on);
    if (on) void this.loadGraph(this.selected?.activityId || this.h.fallbackActivity());
  }

  /** More events were read: refresh an open message list. */
  grew(events: number): void {
    if (!this.messages.root.hidden) void this.messages.refresh(events).catch(() => undefined);
  }

  /** A row was selected: the graph marks it and redraws around its activity when that is not drawn. */
  rowSelected(row: RowDto | undefined): void {
    this.selected = row;
    if (this.graph.root.hidden || !row) return;
    if (row.row !== undefined) this.graph.mark(row.file, row.row);
    void this.loadGraph(row.activityId);
  }

  private async loadGraph(activityId: string): Promise<void> {
    const g = this.graph;
    if (g.root.hidden) return;
    if (!activityId || /^\{?0{8}-0{4}-0{4}-0{4}-0{12}\}?$/.test(activityId)) { g.showEmpty(this.h.t('This row has no activity to draw')); return; }
    if (g.has(activityId)) return;
    const seq = ++this.graphSeq;
    try {
      const dto = await this.h.rpc.request('getGraph', { activityId });
      if (seq !== this.graphSeq) return;
      g.setGraph(dto);
      const r = this.selected;
      if (r && r.row !== undefined) g.mark(r.file, r.row);
    } catch (e) {
      this.h.showMessage((e as Error).message, true);
    }
  }
}
