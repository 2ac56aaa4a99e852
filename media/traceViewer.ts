// Webview entry of the trace viewer. The host owns the decoded files; this page asks for windows of rows of the
// current view and keeps only those plus a bounded cache. Every string from a file is set as text, never as HTML.
import type { FilterDto, InitDto, ProgressDto, RowDto, SavedState, ViewDto } from '../src/traceViewer/protocol';
import { ActivityPane } from './viewer/activityPane';
import type { ColumnMenu } from './viewer/columnMenu';
import { eventTable } from './viewer/eventTable';
import { Jumps } from './viewer/jumps';
import { Navigation } from './viewer/navigation';
import { notATracePage } from './viewer/notATrace';
import { SidePanes } from './viewer/sidePanes';
import { setupSplitter } from './viewer/splitter';
import { StatusBar } from './viewer/statusBar';
import { DetailsPane } from './viewer/detailsPane';
import { debounce, el, makeMatcher, plural } from './viewer/dom';
import { FilterBar } from './viewer/filterBar';
import { Rpc, type Notification } from './viewer/rpc';
import { EMPTY_FILTER } from '../src/traceViewer/filterVocabulary';
import { StateStore, sameFilter } from './viewer/state';
import type { VirtualTable } from './viewer/virtualTable';

const app = document.getElementById('app') as HTMLElement;

class Viewer {
  private readonly rpc: Rpc;
  private readonly store: StateStore;
  private init: InitDto | undefined;
  private strings: Readonly<Record<string, string>> = {};
  private view: ViewDto | undefined;
  /** All damaged ranges, and those that are damage (not an ignored DOCTYPE): the `damage` notification carries only the first page. */
  private damageTotal = 0;
  private damagedCount = 0;
  private table: VirtualTable | undefined;
  private bar: FilterBar | undefined;
  private details: DetailsPane | undefined;
  private activities: ActivityPane | undefined;
  private statusBar: StatusBar | undefined;
  private layoutEl: HTMLElement | undefined;
  private follow = false;
  private filterSeq = 0;
  private detailsSeq = 0;
  private selectedRow: RowDto | undefined;
  /** Selection and scroll position to restore once the view has that many rows (rows arrive while decoding). */
  private pendingRestore: { selected?: number; scrollTop?: number } | undefined;
  private filtersInFlight = 0;
  private nav: Navigation | undefined;
  private jumps: Jumps | undefined;
  /** Readable activity labels seen in rows and in the activity list, for the activity chip. */
  private readonly activityLabels = new Map<string, string>();
  private columnMenu: ColumnMenu | undefined;
  /** Times as written (UTC) instead of local time. */
  private utc = false;
  private panes: SidePanes | undefined;

  constructor() {
    this.rpc = new Rpc((n) => this.onNotification(n));
    this.store = new StateStore(this.rpc);
    document.body.dataset.state = 'loading';
    document.addEventListener('keydown', (e) => this.jumps?.onKey(e));
    // Marks for the benchmark in the real VS Code (test/ui/firstRowsBench.ts): ready here, the first rows in tableRows.
    performance.mark('ers-ready');
    this.rpc.post({ type: 'ready' });
  }

  private t = (s: string): string => this.strings[s] ?? s;

  private onNotification(n: Notification): void {
    switch (n.type) {
      case 'init': this.onInit(n.init); return;
      case 'progress': this.onProgress(n.progress); return;
      case 'viewChanged': this.onView(n.view, 'grew'); return;
      case 'damage': this.damageTotal = n.total; this.damagedCount = n.damaged; this.drawStatus(); if (this.view) this.bar?.setFacets(this.view.facets, this.damageTotal); return;
      case 'error': this.showMessage(n.message, true); return;
      default: return;
    }
  }

  // ---- Init ----------------------------------------------------------------------------------------------------

  private onInit(init: InitDto): void {
    this.init = init;
    this.strings = init.strings ?? {};
    this.view = undefined;
    this.follow = init.follow;
    document.documentElement.lang = document.documentElement.lang || 'en';
    if (init.notATrace) { this.showNotATrace(init); return; }
    const saved: SavedState = this.store.local() ?? init.restored ?? { filter: EMPTY_FILTER };
    this.utc = saved.utcTimes ?? false;
    this.build(init, saved);
    const hostFilter = init.restored?.filter ?? EMPTY_FILTER;
    this.pendingRestore = { selected: saved.selected, scrollTop: saved.scrollTop };
    this.onView(init.view, 'init');
    this.onProgress(init.progress);
    if (!sameFilter(saved.filter, hostFilter)) this.applyFilter({ ...EMPTY_FILTER, ...saved.filter }, { keepScroll: true });
    else this.tryRestore();
    if (saved.pane === 'activities') this.openActivities(true);
    document.body.dataset.state = 'ready';
  }

  private build(init: InitDto, saved: SavedState): void {
    const t = this.t;
    ({ table: this.table, columnMenu: this.columnMenu } = eventTable({
      t, rpc: this.rpc, store: this.store, utc: () => this.utc, labels: this.activityLabels,
      onSelect: (i) => { this.pendingRestore = undefined; this.selectRow(i, false); },
      onOpen: (i) => { this.selectRow(i, false); this.details?.focus(); },
    }, init, saved));

    this.bar = new FilterBar({
      t,
      onFilter: (f) => this.applyFilter(f, {}),
      onSearchInput: (text, regex) => {
        const m = makeMatcher(text, regex);
        this.table?.setMatcher(m);
        this.details?.setMatcher(m);
      },
      onFind: (d) => void this.jumps?.find(d),
      onFollow: (on) => { this.follow = on; this.rpc.post({ type: 'setFollow', follow: on }); if (on) this.table?.scrollToEnd(); },
      onActivities: (on) => this.openActivities(on),
      onExport: (format) => this.rpc.post({ type: 'export', format }),
      getFacet: (facet, start, count, contains) => this.rpc.request('getFacet', { facet, start, count, contains }),
      activityLabel: (id) => this.activityLabels.get(id) ?? id,
      locale: navigator.language || document.documentElement.lang || 'en',
      utc: this.utc,
      onUtc: (on) => { this.utc = on; this.store.update({ utcTimes: on }); this.table?.render(); },
    });
    this.nav = new Navigation(t, () => this.table?.selectedIndex ?? -1, (i) => this.selectRow(i, true), () => this.view?.total ?? 0);
    this.jumps = new Jumps({
      t, rpc: this.rpc, nav: this.nav, table: this.table, bar: this.bar, selectedRow: () => this.selectedRow,
      filterActivity: (id) => this.filterActivity(id), showMessage: (text, err) => this.showMessage(text, err),
    });
    this.panes = new SidePanes({
      t, rpc: this.rpc, layout: () => this.layoutEl, jumpTo: (i) => this.jumpTo(i), showMessage: (text, err) => this.showMessage(text, err),
      events: () => this.view?.totalEvents ?? 0, fallbackActivity: () => this.bar?.current.activityId ?? '',
    });
    this.bar.root.firstElementChild?.append(this.panes.messagesButton, this.panes.graphButton, this.nav.back, this.nav.forward, ...this.jumps.stepButtons,
      el('span', 'columns-box', this.columnMenu.button, this.columnMenu.root));
    this.bar.show({ ...EMPTY_FILTER, ...saved.filter });
    this.bar.setFollow(init.follow);

    this.details = new DetailsPane({
      t,
      onCopy: (index, as) => this.rpc.post({ type: 'copyEvent', index, as }),
      onRelated: (id) => void this.jumps?.goToActivity(id),
      onActivity: (id) => this.filterActivity(id),
      onTimeBound: (which, time) => { if (this.bar) this.applyFilter({ ...this.bar.current, [which]: time }, {}); },
      onClose: () => { this.layoutEl?.classList.remove('with-details'); this.table?.focus(); },
    });
    this.activities = new ActivityPane({
      t, rpc: this.rpc, labels: this.activityLabels, onSelect: (id) => this.filterActivity(id), view: () => this.view,
      filtered: () => this.bar?.current.activityId, showMessage: (text, err) => this.showMessage(text, err),
    });

    this.statusBar = new StatusBar(t, () => this.rpc.post({ type: 'cancelDecoding' }));
    const status = this.statusBar.root;

    const fileLabel = init.files.length === 1 ? init.files[0].name : `${plural(init.files.length, t('file'), t('files'))}: ${init.files.map((f) => f.name).join(', ')}`;
    const title = el('div', { className: 'title', title: init.files.map((f) => f.path).join('\n') }, el('span', { className: 'file-name', text: fileLabel }));

    const splitter = el('div', { className: 'splitter', attrs: { role: 'separator', 'aria-orientation': 'horizontal', tabindex: '0', 'aria-label': t('Resize details') } });
    const main = el('div', 'main', this.table.root, splitter, this.details.root);
    setupSplitter(splitter, main, this.details.root);
    this.layoutEl = el('div', 'layout', this.activities.root, this.panes.messages.root, this.panes.graph.root, main);
    app.replaceChildren(title, this.bar.root, status, this.layoutEl);
  }

  private showNotATrace(init: InitDto): void {
    app.replaceChildren(notATracePage(init, this.t, () => this.rpc.post({ type: 'reopenAsText' })));
    document.body.dataset.state = 'not-a-trace';
  }

  // ---- View, progress, status ----------------------------------------------------------------------------------

  private onView(view: ViewDto, why: 'init' | 'filter' | 'grew'): void {
    if (this.view && view.version < this.view.version) return; // an older reply
    const before = this.view;
    const wasAtEnd = this.table?.isAtEnd() ?? false;
    this.view = view;
    // The host sends the rows in sight with the view (init, viewChanged): shown without asking for them.
    for (const r of view.rows?.rows ?? []) if (r.activityId && r.activityName) this.activityLabels.set(r.activityId, r.activityName);
    this.table?.setView(view.total, view.version, why === 'grew', view.rows && { version: view.version, ...view.rows });
    this.bar?.setFacets(view.facets, this.damageTotal);
    this.bar?.setTimeRead(view.timeRead);
    this.table?.setEmptyText(view.totalEvents === 0
      ? (this.init?.progress.done ? this.t('No events') : this.t('Reading\u2026'))
      : this.t('No events match the filter'));
    if (why === 'grew' && this.follow && (wasAtEnd || !before || view.total > before.total)) this.table?.scrollToEnd();
    if (why === 'grew' && this.activities?.shown) void this.activities.load();
    if (why === 'grew' && this.init?.progress.done) this.panes?.grew(view.totalEvents);
    this.drawStatus();
    if (why === 'grew') this.tryRestore();
  }

  private tryRestore(): void {
    const r = this.pendingRestore;
    const v = this.view;
    if (!r || !v || !this.table || this.filtersInFlight > 0) return;
    const done = this.init?.progress.done ?? false;
    const sel = r.selected !== undefined && r.selected >= 0 ? r.selected : undefined;
    const need = Math.max(sel ?? 0, r.scrollTop ?? 0);
    if (need >= v.total && !done) return; // not decoded that far yet
    this.pendingRestore = undefined;
    if (r.scrollTop) this.table.scrollTo(r.scrollTop);
    if (sel !== undefined && sel < v.total) this.selectRow(sel, true);
  }

  private onProgress(p: ProgressDto): void {
    if (!this.statusBar) return;
    if (this.init) this.init = { ...this.init, progress: p };
    this.statusBar.progress(p);
    if (p.done && this.view) this.onView(this.view, 'grew');
    this.drawStatus(p);
  }

  private drawStatus(p: ProgressDto | undefined = this.init?.progress): void {
    if (this.statusBar && this.view) this.statusBar.status(this.view, this.damagedCount, p);
  }

  private showMessage(text: string, isError: boolean): void {
    if (!this.statusBar) { app.appendChild(el('p', { className: 'error', text })); return; }
    this.statusBar.message(text, isError);
  }

  // ---- Filters ---------------------------------------------------------------------------------------------------

  private applyFilter(f: FilterDto, o: { keepScroll?: boolean }): void {
    const seq = ++this.filterSeq;
    if (!o.keepScroll) this.pendingRestore = undefined;
    this.bar?.show(f);
    this.store.update({ filter: f });
    this.activities?.list.setSelected(f.activityId);
    this.filtersInFlight++;
    this.rpc.request('setFilter', { filter: f }).then((view) => {
      this.filtersInFlight--;
      if (seq !== this.filterSeq) return;
      this.showMessage('', false);
      this.onView(view, 'filter');
      if (!o.keepScroll) { this.table?.scrollTo(0); this.table?.select(-1); this.details?.clear(); this.layoutEl?.classList.remove('with-details'); }
      else this.tryRestore();
    }, (e: Error) => {
      this.filtersInFlight--;
      if (seq !== this.filterSeq) return;
      this.bar?.showError(e.message);
      this.showMessage(e.message, true);
    });
  }

  private filterActivity(id: string | undefined): void {
    if (!this.bar) return;
    this.applyFilter({ ...this.bar.current, activityId: id }, {});
  }

  private jumpTo(index: number): void {
    this.nav?.jumpTo(index);
  }

  // ---- Selection and details -------------------------------------------------------------------------------------

  private selectRow(index: number, reveal: boolean): void {
    if (!this.table || !this.details) return;
    if (reveal || this.table.selectedIndex !== index) this.table.select(index, reveal);
    this.store.update({ selected: index });
    this.selectedRow = this.table.rowAt(index);
    if (this.activities?.shown) this.activities.list.reveal(this.selectedRow?.activityId);
    this.panes?.rowSelected(this.selectedRow);
    this.layoutEl?.classList.add('with-details');
    this.details.loading(this.selectedRow);
    this.loadDetails(index);
  }

  private readonly loadDetails = debounce((index: number) => {
    const seq = ++this.detailsSeq;
    const version = this.view?.version;
    this.rpc.request('getDetails', { index }).then((d) => {
      if (seq !== this.detailsSeq || version !== this.view?.version) return;
      this.details?.show(d, this.table?.rowAt(index) ?? this.selectedRow);
      document.body.dataset.details = String(index);
    }, (e: Error) => { if (seq === this.detailsSeq) this.details?.clear(e.message); });
  }, 60);

  // ---- Activities ------------------------------------------------------------------------------------------------

  private openActivities(on: boolean): void {
    if (!this.activities) return;
    this.activities.show(on);
    this.layoutEl?.classList.toggle('with-activities', on);
    this.bar?.setActivitiesOpen(on);
    this.store.update({ pane: on ? 'activities' : 'details' });
    if (on) void this.activities.load();
  }
}

// eslint-disable-next-line no-new -- the webview entry: the viewer wires itself to the page
new Viewer();
