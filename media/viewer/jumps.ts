// The jumps the viewer asks the host for, as in Service Trace Viewer: the next or previous match of the search text
// (F3, Shift+F3), the next or previous event of the selected row's activity (F10, F9, and the toolbar's step buttons),
// the activity a Transfer goes to (F11) and an activity's first event. Each lands through Navigation, so Back returns.
// Also the viewer's other keys: Ctrl+F to the search box, Alt+←/→ for Back and Forward.
import type { RowDto } from '../../src/traceViewer/protocol';
import { button, formatCount } from './dom';
import type { FilterBar } from './filterBar';
import type { Navigation } from './navigation';
import type { Rpc } from './rpc';
import type { VirtualTable } from './virtualTable';

export interface JumpHost {
  readonly t: (s: string) => string;
  readonly rpc: Rpc;
  readonly nav: Navigation;
  readonly table: VirtualTable;
  readonly bar: FilterBar;
  readonly selectedRow: () => RowDto | undefined;
  readonly filterActivity: (activityId: string) => void;
  readonly showMessage: (text: string, isError: boolean) => void;
}

export class Jumps {
  /** The toolbar's "Previous in activity" and "Next in activity" buttons. */
  readonly stepButtons: readonly HTMLButtonElement[];

  constructor(private readonly h: JumpHost) {
    const t = h.t;
    this.stepButtons = [
      button(t('Previous in activity'), () => void this.step(-1), { className: 'chip', title: t('Previous event of this activity (F9)') }),
      button(t('Next in activity'), () => void this.step(1), { className: 'chip', title: t('Next event of this activity (F10)') }),
    ];
  }

  onKey(e: KeyboardEvent): void {
    const bar = this.h.bar;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') { e.preventDefault(); bar.searchInput.focus(); bar.searchInput.select(); }
    if (e.key === 'F3') { e.preventDefault(); void this.find(e.shiftKey ? -1 : 1); }
    // Step through an activity, as in Service Trace Viewer: F10 next, F9 previous, F11 follow a transfer; Alt+←/→.
    if (e.key === 'F10' || e.key === 'F9') { e.preventDefault(); void this.step(e.key === 'F10' ? 1 : -1); }
    if (e.key === 'F11') { e.preventDefault(); this.followTransfer(); }
    if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) { e.preventDefault(); this.h.nav.go(e.key === 'ArrowLeft' ? -1 : 1); }
  }

  /** To the activity's first event in the view; with an activity filter on (or when the view hides it), filter by it. */
  async goToActivity(id: string): Promise<void> {
    if (this.h.bar.current.activityId) { this.h.filterActivity(id); return; }
    const { index } = await this.h.rpc.request('locateActivity', { activityId: id });
    if (index >= 0) { this.h.nav.jumpTo(index); this.h.table.focus(); }
    else this.h.filterActivity(id);
  }

  /** F10/F9: the next/previous event of the selected row's activity. */
  async step(direction: 1 | -1): Promise<void> {
    const from = this.h.table.selectedIndex;
    if (from < 0) return;
    const { index } = await this.h.rpc.request('stepActivity', { from, direction });
    if (index < 0) { this.h.showMessage(direction > 0 ? this.h.t('Last event of this activity') : this.h.t('First event of this activity'), false); return; }
    this.h.showMessage('', false);
    this.h.nav.jumpTo(index);
  }

  /** F11: from a Transfer row, to the activity it goes to. */
  followTransfer(): void {
    const r = this.h.selectedRow();
    if (r && r.level === 'Transfer' && r.relatedActivityId) void this.goToActivity(r.relatedActivityId);
  }

  /** F3: the next (or previous) row holding the search text, from the selected row or the top of the table. */
  async find(direction: 1 | -1): Promise<void> {
    const { bar, table, t } = this.h;
    const { text, regex } = bar.searchText;
    if (!text) return;
    const from = table.selectedIndex >= 0 ? table.selectedIndex : direction > 0 ? table.topRow - 1 : table.topRow;
    try {
      const { index, count, ordinal } = await this.h.rpc.request('find', { text, regex, from, direction });
      if (index < 0) { this.h.showMessage(t('No match'), false); bar.setMatchInfo(t('No match')); return; }
      this.h.showMessage('', false);
      bar.setMatchInfo(count ? `${formatCount(ordinal ?? 0)} ${t('of')} ${formatCount(count)}` : '');
      document.body.dataset.matches = String(count ?? '');
      this.h.nav.jumpTo(index);
    } catch (e) {
      this.h.showMessage((e as Error).message, true);
    }
  }
}
