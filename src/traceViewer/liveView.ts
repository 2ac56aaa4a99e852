// The live view of one viewer session: the current filter, the ViewModel computed from it (recomputed as the collection
// grows or the filter changes) and the answer to every request the webview asks about it (protocol.ts RequestMap).
// Pure: files are reached only through a FileAccess, the view's changes leave only through `post`.
//
// viewerSession.ts owns the lifecycle and the channel to the webview; this holds what is shown.

import type { ActivityGraph, CancelSignal, DamageRange, FileAccess, TraceCollection } from '../trace';
import { CollectionCache } from './collectionCache';
import { damageMessage, damagePage, facetValuesPage, rowsWithin } from './paging';
import { detailsAt, eventJsonAt, eventXmlAt, exportView, type ViewContext } from './eventContent';
import { timesRead, toEngineFilter } from './engineFilter';
import { EMPTY_FILTER } from './filterVocabulary';
import type { ActivityDto, DamageDto, DetailsDto, FacetCount, FacetName, FilterDto, Request, RowDto, ToWebview, ViewDto } from './protocol';
import { layoutGraph } from './graph';
import { MessageIndex } from './messageIndex';
import { RowText } from './rowText';
import { TextSearch } from './textSearch';
import { ViewModel } from './viewModel';

export interface LiveViewOptions {
  readonly collection: TraceCollection;
  readonly access: FileAccess;
  /** Path of each file, by file index. */
  readonly paths: readonly string[];
  /** The filter to start with (a restored one that no longer parses is dropped: the view starts unfiltered). */
  readonly filter?: Partial<FilterDto>;
  /** Set when the session closes: searches stop and nothing is refreshed any more. */
  readonly closed: CancelSignal;
  /** Messages to the webview; a promised one is sent when ready, before anything posted after it (outbox.ts). */
  readonly post: (message: ToWebview | Promise<ToWebview>) => void;
  /** Rows per page the webview asks for: a view posted to it carries the page it looks at (default 200). */
  readonly pageSize?: number;
}

export class LiveView {
  private readonly collection: TraceCollection;
  private readonly cache: CollectionCache;
  private readonly rowText: RowText;
  private readonly search: TextSearch;
  private readonly messages: MessageIndex;
  private filter: FilterDto = EMPTY_FILTER;
  private view: ViewModel;
  private lastDamageCount = -1;
  /** Version of the newest view posted by refresh (an older one that lost its rows to it is not sent). */
  private notifiedVersion = -1;
  /** Start of the page of rows the webview asked for last: the rows a view posted to it carries. */
  private shownStart = 0;

  constructor(private readonly o: LiveViewOptions) {
    const c = (this.collection = o.collection);
    if (o.filter) {
      const restored = { ...EMPTY_FILTER, ...o.filter };
      try { toEngineFilter(restored); this.filter = restored; } catch { /* a saved filter that no longer parses: start unfiltered */ }
    }
    this.cache = new CollectionCache(c);
    this.rowText = new RowText(c, o.access, this.cache.labels);
    this.search = new TextSearch(c, o.access, o.closed);
    this.messages = new MessageIndex(c, o.access);
    this.view = ViewModel.of(c, EMPTY_FILTER, [], 0);
  }

  /** Answers one request of the webview (what the response carries as its result). */
  async answer(req: Request): Promise<unknown> {
    switch (req.method) {
      case 'getRows':
        if (req.params.count === this.pageSize) this.shownStart = req.params.start;
        return this.getRows(req.params.start, req.params.count);
      case 'setFilter': return this.setFilter(req.params.filter);
      case 'find': return this.findWithCount(req.params.text, req.params.regex, req.params.from, req.params.direction);
      case 'getDetails': return this.getDetails(req.params.index);
      case 'getActivities': return { activities: this.activities().dtos };
      case 'locateActivity': return { index: this.locateActivity(req.params.activityId) };
      case 'getDamage': return this.getDamage(req.params.start, req.params.count);
      case 'getFacet': return this.getFacet(req.params.facet, req.params.start, req.params.count, req.params.contains);
      case 'getGraph': return layoutGraph(this.collection, req.params.activityId, (id) => this.cache.labels.label(id), await this.messages.ids());
      case 'getMessages': return this.messages.page(req.params.start, req.params.count);
      case 'locateEvent': return { index: this.view.locateEvent(req.params.file, req.params.row) };
      case 'stepActivity': return { index: this.view.stepInActivity(this.collection, req.params.from, req.params.direction) };
      default: {
        const never: never = req;
        throw new Error(`Unknown request ${(never as { method: string }).method}`);
      }
    }
  }

  // ---- Requests ------------------------------------------------------------------------------------------------

  /** Rows of the view; Transfer rows name their target, rows with an exception show it (read from the event). */
  async getRows(start: number, count: number): Promise<{ version: number; start: number; rows: RowDto[] }> {
    await this.rowText.load(this.view.eventRows(start, count));
    const labels = this.cache.labels;
    return { version: this.view.version, ...this.view.rows(start, count, (row) => labels.ofRow(row, 'activity'), (row, dto) => this.rowText.decorate(row, dto)) };
  }

  /** Applies a filter; a search text is looked for in the whole event (the file is searched once, then incrementally). */
  async setFilter(filter: FilterDto): Promise<ViewDto> {
    const next = { ...EMPTY_FILTER, ...filter };
    toEngineFilter(next); // throws on a bad regex or time before anything changes
    if (next.text) await this.search.search(next.text, !!next.regex);
    this.filter = next;
    this.refresh(false);
    return this.viewDto();
  }

  get currentFilter(): FilterDto {
    return this.filter;
  }

  /** Events in the current view (damage rows not counted): what an export writes. */
  get eventsShown(): number {
    return this.view.engine.length;
  }

  /** A readable label for an activity: its name, or its first event's message. */
  activityLabel(activityId: string): string {
    return this.cache.labels.label(activityId);
  }

  /** find() with the number of matching rows in the view and the rank of the one found. */
  async findWithCount(text: string, regex: boolean, from: number, direction: 1 | -1): Promise<{ index: number; count: number; ordinal: number }> {
    if (!text) return { index: -1, count: 0, ordinal: 0 };
    if (regex) new RegExp(text); // eslint-disable-line no-new -- a bad pattern is the caller's error
    const hits = await this.search.search(text, regex);
    return this.view.findWithCount(this.collection, text, regex, from, direction, hits);
  }

  getDetails(index: number): Promise<DetailsDto> {
    return detailsAt(this.context(), index);
  }

  /** First view position of an event of this activity (its ActivityID), or -1. */
  locateActivity(activityId: string): number {
    return this.view.locateActivity(this.collection, activityId);
  }

  activities(): { graph: ActivityGraph; dtos: ActivityDto[] } {
    return this.cache.activities();
  }

  /** A page of the damaged ranges (issue 10: the `damage` notification carries only the first). */
  getDamage(start: number, count: number): { total: number; start: number; ranges: DamageDto[] } {
    return damagePage(this.damageRanges(), start, count);
  }

  /** A page of one facet's values (issue 10: a ViewDto carries only the most frequent). */
  getFacet(facet: FacetName, start: number, count: number, contains?: string): { total: number; start: number; values: FacetCount[] } {
    if (facet !== 'sources' && facet !== 'processes' && facet !== 'threads') throw new Error(`Unknown facet ${String(facet)}`);
    return facetValuesPage(this.cache.facetValues(facet), start, count, contains);
  }

  /** Settled damaged ranges of every file (see TraceCollection.settledDamage). */
  damageRanges(): DamageRange[] {
    return this.collection.settledDamage();
  }

  // ---- What the host hands out: export and copy ----------------------------------------------------------------

  /** The filtered events (damage rows left out) as CSV (with header) or a JSON array, in chunks of text. */
  exportRows(format: 'csv' | 'json', chunkRows = 2000): AsyncIterable<string> {
    return exportView(this.context(), format, chunkRows);
  }

  /** The event at a view position exactly as in its file (or the damaged bytes), as text. */
  eventXml(index: number): Promise<string> {
    return eventXmlAt(this.context(), index);
  }

  /** The event at a view position as JSON (System, TraceRecord, exceptions, message…). */
  eventJson(index: number): Promise<string> {
    return eventJsonAt(this.context(), index);
  }

  // ---- The view ------------------------------------------------------------------------------------------------

  private get pageSize(): number {
    return this.o.pageSize ?? 200;
  }

  /**
   * The view's summary with the page of rows the webview looks at (init, viewChanged), so it shows them without
   * asking: the page is read for the view as it is now; should the view change meanwhile, it comes without rows.
   */
  async viewWithRows(): Promise<ViewDto> {
    const view = this.view, dto = this.viewDto();
    const start = this.shownStart < view.total ? this.shownStart : 0;
    if (view.total === 0) return dto;
    const labels = this.cache.labels;
    const page = (count: number): RowDto[] => view.rows(start, count, (row) => labels.ofRow(row, 'activity'), (row, d) => this.rowText.decorate(row, d)).rows;
    // Only the rows that fit are read for their exceptions (what the webview shows first), then cut again with them.
    const count = rowsWithin(page(this.pageSize)).length;
    try {
      await this.rowText.load(view.eventRows(start, count));
    } catch {
      return dto; // the webview asks for them
    }
    if (this.view !== view) return dto;
    const rows = rowsWithin(page(count));
    return rows.length > 0 ? { ...dto, rows: { start, rows } } : dto;
  }

  /** The view's summary as the webview gets it (init, viewChanged, setFilter). */
  viewDto(): ViewDto {
    return { version: this.view.version, total: this.view.total, damageRows: this.view.damage.length, totalEvents: this.collection.count, facets: this.cache.facets(), timeRead: timesRead(this.filter) };
  }

  /** Recomputes the view for the current filter and collection; posts viewChanged (and damage when it changed). */
  refresh(notify: boolean): void {
    const ranges = this.damageRanges();
    this.view = ViewModel.of(this.collection, this.filter, ranges, this.view.version + 1, this.search.forFilter(this.filter));
    // New events (decoding, follow) are searched in the background; the view is refreshed again when that is done.
    this.search.catchUp(this.filter, () => { if (!this.o.closed.aborted) this.refresh(true); });
    if (notify) {
      const version = this.notifiedVersion = this.view.version;
      // A view that changed while its rows were read comes without them; when a newer view follows it is dropped
      // (the outbox skips a rejected message), so the webview does not ask for rows the next message brings anyway.
      this.o.post(this.viewWithRows().then((view) => {
        if (!view.rows && view.total > 0 && this.notifiedVersion > version) throw new Error('superseded');
        return { type: 'viewChanged', view };
      }));
    }
    if (ranges.length !== this.lastDamageCount) {
      this.lastDamageCount = ranges.length;
      if (notify || ranges.length > 0) this.o.post(damageMessage(ranges));
    }
  }

  private context(): ViewContext {
    return { collection: this.collection, access: this.o.access, view: this.view, paths: this.o.paths };
  }
}
