// The viewer's set of table columns (ids, labels, cell text) and their first layout: File first in a merged view; the user's order and hidden
// columns (kept with the view state) win. Cell text only.
import type { RowDto, SavedState } from '../../src/traceViewer/protocol';
import type { ColumnLayout } from './columnMenu';
import { formatDelta, localTime } from './dom';
import { defaultWidth, type Column, type ColumnId } from './columns';

export function tableColumns(t: (s: string) => string, fileName: (i: number) => string, utc: () => boolean): Column[] {
  return ([
    ['time', t('Time'), 80, (r: RowDto) => (utc() ? r.time : localTime(r.time, r.ms))],
    ['sincePrevious', t('+ previous'), 50, (r: RowDto) => formatDelta(r.sincePreviousMs)],
    ['sinceStart', t('+ start'), 50, (r: RowDto) => formatDelta(r.sinceStartMs)],
    ['level', t('Level'), 60, (r: RowDto) => r.level],
    ['message', t('Message'), 100, (r: RowDto) => r.message],
    ['source', t('Source'), 60, (r: RowDto) => r.source],
    ['activity', t('Activity'), 60, (r: RowDto) => r.activityName || r.activityId],
    ['process', t('Process'), 60, (r: RowDto) => (r.process || r.processId ? `${r.process}${r.processId ? ` (${r.processId})` : ''}` : '')],
    ['thread', t('Thread'), 30, (r: RowDto) => r.threadId],
    ['eventId', t('Event ID'), 40, (r: RowDto) => (r.damage ? '' : String(r.eventId))],
    ['file', t('File'), 60, (r: RowDto) => fileName(r.file)],
  ] as const).map(([id, label, min, text]) => ({ id: id as ColumnId, label, min, width: defaultWidth(id as ColumnId), text }));
}

export function initialLayout(columns: readonly Column[], multi: boolean, saved: SavedState): ColumnLayout {
  const ids = columns.map((c) => c.id as string);
  const defaultOrder = multi ? ['file', ...ids.filter((id) => id !== 'file')] : ids;
  const order = saved.columnOrder && saved.columnOrder.length
    ? [...saved.columnOrder.filter((id) => ids.includes(id)), ...defaultOrder.filter((id) => !saved.columnOrder?.includes(id))]
    : defaultOrder;
  const hidden = saved.hiddenColumns ? saved.hiddenColumns.filter((id) => ids.includes(id)) : multi ? ['sincePrevious', 'sinceStart'] : ['file', 'sincePrevious', 'sinceStart'];
  return { order, hidden };
}
