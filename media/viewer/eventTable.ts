// The viewer's event table as built for one opening: its columns (columnSet.ts) in the saved order, widths and
// visibility, the column menu that changes them (kept with the view state), and rows fetched from the host, whose
// activity names are remembered for the activity chip.
import type { InitDto, SavedState } from '../../src/traceViewer/protocol';
import { ColumnMenu, type ColumnLayout } from './columnMenu';
import type { ColumnId } from './columns';
import { initialLayout, tableColumns } from './columnSet';
import { debounce } from './dom';
import type { Rpc } from './rpc';
import type { StateStore } from './state';
import { VirtualTable } from './virtualTable';

export interface EventTableHost {
  readonly t: (s: string) => string;
  readonly rpc: Rpc;
  readonly store: StateStore;
  /** Times as written (UTC) instead of local time. */
  readonly utc: () => boolean;
  /** Activity id → readable name, filled from the rows. */
  readonly labels: Map<string, string>;
  readonly onSelect: (index: number) => void;
  readonly onOpen: (index: number) => void;
}

export function eventTable(h: EventTableHost, init: InitDto, saved: SavedState): { table: VirtualTable; columnMenu: ColumnMenu } {
  const t = h.t;
  const fileName = (i: number): string => init.files[i]?.name ?? String(i);
  const columns = tableColumns(t, fileName, h.utc);
  const layout = initialLayout(columns, init.files.length > 1, saved);
  const table = new VirtualTable({
    columns,
    pageSize: init.pageSize,
    maxPages: 6,
    label: t('Trace events'),
    fetch: (start, count, version) => h.rpc.request('getRows', { start, count, version }).then((reply) => {
      for (const r of reply.rows) if (r.activityId && r.activityName) h.labels.set(r.activityId, r.activityName);
      return reply;
    }),
    onSelect: h.onSelect,
    onOpen: h.onOpen,
    onColumnsResized: (w) => h.store.update({ columnWidths: w }),
    onScroll: debounce((top: number) => h.store.update({ scrollTop: top }), 300),
  });
  table.setWidths(saved.columnWidths);
  const applyLayout = (l: ColumnLayout): void => {
    table.setOrder(l.order as ColumnId[]);
    for (const c of columns) table.setColumnVisible(c.id, !l.hidden.includes(c.id));
  };
  applyLayout(layout);
  const columnMenu = new ColumnMenu(columns.map((c) => ({ id: c.id, label: c.label })), layout, t, (l) => {
    applyLayout(l);
    h.store.update({ columnOrder: l.order, hiddenColumns: l.hidden });
  });
  return { table, columnMenu };
}
