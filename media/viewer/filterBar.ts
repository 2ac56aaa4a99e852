// The toolbar: level toggles with counts, source/process/thread pickers, time range, text search (next/previous,
// regex, "only matching rows"), activity chip, follow, activity view and export buttons.
import type { FacetName, FacetsDto, FilterDto, LevelName } from '../../src/traceViewer/protocol';
import { button, debounce, el, formatCount, toggle } from './dom';
import { EMPTY_FILTER, LEVEL_ORDER } from '../../src/traceViewer/filterVocabulary';
import { levelIcon } from './levels';
import { MultiPicker, type FacetFetch } from './multiPicker';

export interface FilterBarEvents {
  readonly t: (s: string) => string;
  /** The filter changed (the app sends it to the host). */
  readonly onFilter: (f: FilterDto) => void;
  /** Search text or mode changed (for highlighting). */
  readonly onSearchInput: (text: string, regex: boolean) => void;
  readonly onFind: (direction: 1 | -1) => void;
  readonly onFollow: (on: boolean) => void;
  readonly onActivities: (open: boolean) => void;
  readonly onExport: (format: 'csv' | 'json') => void;
  /** A readable label for an activity id (its name, or its first event's message). */
  readonly activityLabel: (id: string) => string;
  /** The user's locale: how typed dates are read (sent with the filter). */
  readonly locale: string;
  readonly utc: boolean;
  readonly onUtc: (utc: boolean) => void;
  /** A page of a facet's values from the host (getFacet), for pickers of facets with more values than were sent. */
  readonly getFacet: (facet: FacetName, ...page: Parameters<FacetFetch>) => ReturnType<FacetFetch>;
}

export class FilterBar {
  readonly root: HTMLElement;
  private filter: FilterDto = EMPTY_FILTER;
  private readonly levelButtons = new Map<LevelName, HTMLButtonElement>();
  private readonly levelCounts = new Map<LevelName, HTMLElement>();
  private readonly allButton: HTMLButtonElement;
  private readonly damageButton: HTMLButtonElement;
  private readonly sourceSel: MultiPicker;
  private readonly processSel: MultiPicker;
  private readonly threadSel: MultiPicker;
  private readonly matchInfo: HTMLElement;
  private readonly timeRead: HTMLElement;
  private readonly utcButton: HTMLButtonElement;
  private readonly fromInput: HTMLInputElement;
  private readonly toInput: HTMLInputElement;
  readonly searchInput: HTMLInputElement;
  private readonly regexButton: HTMLButtonElement;
  private readonly onlyButton: HTMLButtonElement;
  private readonly activityChip: HTMLElement;
  private readonly activityText: HTMLElement;
  private readonly followButton: HTMLButtonElement;
  private readonly activitiesButton: HTMLButtonElement;
  private regex = false;
  private only = false;

  constructor(private readonly ev: FilterBarEvents) {
    const t = ev.t;
    const levels = el('div', { className: 'levels', attrs: { role: 'group', 'aria-label': t('Levels') } });
    this.allButton = button(t('All'), () => this.setFilter({ ...this.filter, levels: [] }), { className: 'chip', title: t('Show every level') });
    levels.appendChild(this.allButton);
    for (const level of LEVEL_ORDER) {
      const count = el('span', 'count');
      const b = button('', (e) => this.clickLevel(level, e), { className: 'chip level', title: t(level), dataset: { level } });
      b.append(levelIcon(level), el('span', { className: 'name', text: t(level) }), count);
      b.hidden = true;
      this.levelButtons.set(level, b);
      this.levelCounts.set(level, count);
      levels.appendChild(b);
    }
    this.damageButton = button('', () => this.setFilter({ ...this.filter, showDamage: !this.filter.showDamage }), {
      className: 'chip damage-toggle', title: t('Show damaged byte ranges as marked rows (when no other filter is set)'),
    });
    this.damageButton.hidden = true;
    levels.appendChild(this.damageButton);

    const fetch = (facet: FacetName): FacetFetch => (...page) => ev.getFacet(facet, ...page);
    this.sourceSel = new MultiPicker(t('Source'), t('All sources'), t, (v) => this.setFilter({ ...this.filter, sources: v }), 'source', fetch('sources'));
    this.processSel = new MultiPicker(t('Process'), t('All processes'), t, (v) => this.setFilter({ ...this.filter, processes: v }), 'process', fetch('processes'));
    this.threadSel = new MultiPicker(t('Thread'), t('All threads'), t, (v) => this.setFilter({ ...this.filter, threads: v }), 'thread', fetch('threads'));
    this.matchInfo = el('span', { className: 'match-info', attrs: { 'aria-live': 'polite' } });

    this.timeRead = el('span', { className: 'time-read', attrs: { 'aria-live': 'polite' } });
    this.utcButton = button(t('UTC'), () => {
      const on = this.utcButton.getAttribute('aria-pressed') !== 'true';
      toggle(this.utcButton, on);
      this.ev.onUtc(on);
    }, { className: 'chip', title: t('Show times as written in the file (UTC) instead of local time') });
    toggle(this.utcButton, ev.utc);
    this.fromInput = el('input', { className: 'time', title: t('From (inclusive): ISO 8601, or a date as your locale writes it (02.12.2015 10:00, 12/02/2015 10:00); local time unless a zone is given'), attrs: { type: 'text', placeholder: t('From time'), spellcheck: 'false', 'aria-label': t('From time') } });
    this.toInput = el('input', { className: 'time', title: t('To (inclusive): ISO 8601, or a date as your locale writes it (02.12.2015 10:00, 12/02/2015 10:00); local time unless a zone is given'), attrs: { type: 'text', placeholder: t('To time'), spellcheck: 'false', 'aria-label': t('To time') } });
    const onTime = (): void => this.setFilter({ ...this.filter, from: this.fromInput.value.trim() || undefined, to: this.toInput.value.trim() || undefined, locale: ev.locale });
    this.fromInput.addEventListener('change', onTime);
    this.toInput.addEventListener('change', onTime);

    this.searchInput = el('input', { className: 'search', attrs: { type: 'search', placeholder: t('Search'), spellcheck: 'false', 'aria-label': t('Search') } });
    const searchChanged = debounce(() => {
      this.ev.onSearchInput(this.searchInput.value, this.regex);
      if (this.only) this.setFilter({ ...this.filter, text: this.searchInput.value || undefined, regex: this.regex || undefined });
    }, 200);
    this.searchInput.addEventListener('input', searchChanged);
    this.searchInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); this.ev.onFind(e.shiftKey ? -1 : 1); }
    });
    const prev = button('\u2191', () => this.ev.onFind(-1), { className: 'icon', title: t('Previous match (Shift+Enter)'), attrs: { 'aria-label': t('Previous match') } });
    const next = button('\u2193', () => this.ev.onFind(1), { className: 'icon', title: t('Next match (Enter)'), attrs: { 'aria-label': t('Next match') } });
    this.regexButton = button('.*', () => {
      this.regex = !this.regex;
      toggle(this.regexButton, this.regex);
      searchChanged();
    }, { className: 'icon mono', title: t('Use regular expression') });
    this.onlyButton = button(t('Only matching'), () => {
      this.only = !this.only;
      toggle(this.onlyButton, this.only);
      this.setFilter({ ...this.filter, text: this.only ? this.searchInput.value || undefined : undefined, regex: this.only ? this.regex || undefined : undefined });
    }, { className: 'chip', title: t('Show only the rows that match the search') });
    toggle(this.regexButton, false);
    toggle(this.onlyButton, false);

    this.activityText = el('span', 'text');
    this.activityChip = el('span', { className: 'activity-chip', title: t('Rows of this activity (and transfers into it)') },
      el('span', { className: 'label', text: `${t('Activity')}: ` }), this.activityText,
      button('\u00d7', () => this.setFilter({ ...this.filter, activityId: undefined }), { className: 'icon', title: t('Clear the activity filter'), attrs: { 'aria-label': t('Clear the activity filter') } }));
    this.activityChip.hidden = true;

    this.followButton = button(t('Follow'), () => {
      const on = this.followButton.getAttribute('aria-pressed') !== 'true';
      toggle(this.followButton, on);
      this.ev.onFollow(on);
    }, { className: 'chip', title: t('Show new events as the file grows') });
    toggle(this.followButton, false);
    this.activitiesButton = button(t('Activities'), () => {
      const on = this.activitiesButton.getAttribute('aria-pressed') !== 'true';
      toggle(this.activitiesButton, on);
      this.ev.onActivities(on);
    }, { className: 'chip', title: t('Show the activity view') });
    toggle(this.activitiesButton, false);
    const csv = button(t('Export CSV'), () => this.ev.onExport('csv'), { className: 'chip', title: t('Export the filtered events as CSV') });
    const json = button(t('Export JSON'), () => this.ev.onExport('json'), { className: 'chip', title: t('Export the filtered events as JSON') });

    const reset = button(t('Reset'), () => {
      this.searchInput.value = '';
      this.only = false;
      toggle(this.onlyButton, false);
      this.ev.onSearchInput('', this.regex);
      this.setFilter({ ...EMPTY_FILTER, showDamage: this.filter.showDamage });
    }, { className: 'chip', title: t('Clear every filter') });

    this.root = el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': t('Filters') } },
      el('div', 'row', levels, el('span', 'spacer'), this.activitiesButton, this.followButton, csv, json),
      el('div', 'row',
        el('span', 'search-box', this.searchInput, this.regexButton, prev, next), this.matchInfo, this.onlyButton,
        this.sourceSel.root, this.processSel.root, this.threadSel.root, this.fromInput, this.toInput, this.timeRead, this.utcButton, this.activityChip, reset));
  }

  get current(): FilterDto {
    return this.filter;
  }

  get searchText(): { text: string; regex: boolean } {
    return { text: this.searchInput.value, regex: this.regex };
  }

  /** Shows a filter (restored, or changed elsewhere) without emitting it. */
  show(f: FilterDto): void {
    this.filter = f;
    const all = f.levels.length === 0;
    toggle(this.allButton, all);
    for (const [level, b] of this.levelButtons) toggle(b, !all && f.levels.includes(level));
    toggle(this.damageButton, f.showDamage);
    this.sourceSel.show(f.sources);
    this.processSel.show(f.processes);
    this.threadSel.show(f.threads);
    if (document.activeElement !== this.fromInput) this.fromInput.value = f.from ?? '';
    if (document.activeElement !== this.toInput) this.toInput.value = f.to ?? '';
    if (f.text !== undefined && f.text !== '' && this.searchInput.value !== f.text && document.activeElement !== this.searchInput) {
      this.searchInput.value = f.text;
    }
    if (f.text) { this.only = true; this.regex = !!f.regex; toggle(this.onlyButton, true); toggle(this.regexButton, this.regex); }
    this.activityChip.hidden = !f.activityId;
    this.activityText.textContent = f.activityId ? this.ev.activityLabel(f.activityId) : '';
    this.activityChip.title = f.activityId ? `${this.ev.t('Rows of this activity (and transfers into it)')}\n${f.activityId}` : '';
    this.fromInput.removeAttribute('aria-invalid');
    this.toInput.removeAttribute('aria-invalid');
  }

  /** The host refused the filter (bad time or regex). */
  showError(message: string): void {
    if (/from/i.test(message)) this.fromInput.setAttribute('aria-invalid', 'true');
    if (/\bto\b/i.test(message)) this.toInput.setAttribute('aria-invalid', 'true');
  }

  setFacets(f: FacetsDto, damagedRanges: number): void {
    const counts = new Map(f.levels.map((c) => [c.value, c.count]));
    for (const [level, b] of this.levelButtons) {
      const n = counts.get(level) ?? 0;
      b.hidden = n === 0 && !this.filter.levels.includes(level);
      (this.levelCounts.get(level) as HTMLElement).textContent = formatCount(n);
    }
    this.damageButton.hidden = damagedRanges === 0;
    this.damageButton.textContent = `${this.ev.t('Damaged')} ${formatCount(damagedRanges)}`;
    this.sourceSel.setValues(f.sources, this.filter.sources, f.totals.sources);
    this.processSel.setValues(f.processes, this.filter.processes, f.totals.processes);
    this.threadSel.setValues(f.threads, this.filter.threads, f.totals.threads);
  }

  /** Shows how the typed times were read ("from 2015-12-02T10:00:00+01:00"). */
  setTimeRead(r: { from?: string; to?: string } | undefined): void {
    const t = this.ev.t;
    const parts = [r?.from && this.filter.from ? `${t('from')} ${r.from}` : '', r?.to && this.filter.to ? `${t('to')} ${r.to}` : ''].filter((x) => x);
    this.timeRead.textContent = parts.length ? `${t('read as')} ${parts.join(' \u2013 ')}` : '';
  }

  /** "3 of 66 events" after a search, or a message. */
  setMatchInfo(text: string): void {
    this.matchInfo.textContent = text;
  }

  setFollow(on: boolean): void {
    toggle(this.followButton, on);
  }

  setActivitiesOpen(on: boolean): void {
    toggle(this.activitiesButton, on);
  }

  private clickLevel(level: LevelName, e: MouseEvent): void {
    const cur = this.filter.levels;
    let next: LevelName[];
    if (e.altKey) next = [level]; // solo
    else next = cur.includes(level) ? cur.filter((l) => l !== level) : [...cur, level];
    this.setFilter({ ...this.filter, levels: next });
  }

  private setFilter(f: FilterDto): void {
    this.show(f);
    this.ev.onFilter(f);
  }
}
