// The event table's rows as drawn: one element per visible row with a cell per column, filled from a RowDto (or as a
// loading row while its page is on the way). Every string from a file is set as text, never as HTML; the search
// matcher marks what matches.
import type { RowDto } from '../../src/traceViewer/protocol';
import type { Column } from './columns';
import { el, setText, type Matcher } from './dom';
import { levelClass, levelIcon } from './levels';

let firstRowsMarked = false;

/** Marks the end of the frame that shows the first rows ('ers-first-rows'; the benchmark reads it). */
function markFirstRows(): void {
  firstRowsMarked = true;
  requestAnimationFrame(() => setTimeout(() => performance.mark('ers-first-rows'), 0));
}

/** An empty row element with one cell per column (the level cell holds its icon and its text). */
export function rowElement(columns: readonly Column[]): HTMLElement {
  const row = el('div', { className: 'vt-row', attrs: { role: 'row' } });
  for (const c of columns) {
    const cell = el('div', { className: `vt-cell c-${c.id}`, attrs: { role: 'gridcell' } });
    if (c.id === 'level') cell.append(levelIcon('Unknown'), el('span', 'lv-text'));
    row.appendChild(cell);
  }
  return row;
}

/** Fills a row element for view position `index`: the row's cells, or a loading row when `row` is not there yet. */
export function paintRow(rowEl: HTMLElement, columns: readonly Column[], index: number, row: RowDto | undefined, selected: boolean, matcher: Matcher): void {
  rowEl.dataset.index = String(index);
  rowEl.setAttribute('aria-rowindex', String(index + 1));
  rowEl.setAttribute('aria-selected', selected ? 'true' : 'false');
  rowEl.classList.toggle('selected', selected);
  if (!row) {
    rowEl.className = `vt-row loading${selected ? ' selected' : ''}`;
    for (let i = 0; i < columns.length; i++) {
      const cell = rowEl.children[i] as HTMLElement;
      if (columns[i].id === 'level') (cell.lastChild as HTMLElement).textContent = '';
      else if (columns[i].id === 'message') cell.textContent = '\u2026';
      else cell.textContent = '';
    }
    return;
  }
  if (!firstRowsMarked) markFirstRows();
  rowEl.className = `vt-row row-${levelClass(row.level).slice(3)}${row.damage ? ' damage' : row.damaged ? ' damaged' : ''}${selected ? ' selected' : ''}`;
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    const cell = rowEl.children[i] as HTMLElement;
    if (c.id === 'level') {
      (cell.firstChild as HTMLElement).className = `lv-icon ${levelClass(row.damage ? 'Unknown' : row.level)}${row.damage ? ' lv-damage' : ''}`;
      (cell.lastChild as HTMLElement).textContent = c.text(row);
    } else {
      const text = c.text(row);
      setText(cell, text, c.id === 'eventId' ? undefined : matcher);
      if (c.id === 'activity') cell.title = row.activityName ? `${row.activityName}\n${row.activityId}` : row.activityId;
      else if (c.id === 'time') cell.title = row.time;
      else if (c.id === 'message' || c.id === 'source' || c.id === 'file' || c.id === 'process') cell.title = text;
    }
  }
}
