// The typed host ⇄ webview protocol of the trace viewer. Model (after vscode-hexeditor): the host owns the decoded files
// and the index; the webview asks for windows of rows of the current (filtered) view (a view it is sent carries the rows
// in sight) and keeps only those plus a bounded cache.
// ---- Plain data shapes (JSON-safe) -------------------------------------------------------------------------------
import type { LevelName } from './filterVocabulary';
export type { LevelName };

/** One row of the event table. Every string is untrusted file content: render with textContent only. */
export interface RowDto {
  /** Position in the current view. */
  readonly index: number;
  /** TimeCreated as written in the file. */
  readonly time: string;
  /** The instant in ms since the epoch (for local-time display), when the time could be read. */
  readonly ms?: number;
  /** Time since the previous event of the view, and since its first event. */
  readonly sincePreviousMs?: number;
  readonly sinceStartMs?: number;
  readonly level: LevelName;
  readonly eventId: number;
  readonly source: string;
  readonly activityId: string;
  /** The activity's name (from its Start event), when it has one. */
  readonly activityName?: string;
  readonly relatedActivityId: string;
  readonly process: string;
  readonly processId: number;
  readonly threadId: string;
  readonly computer: string;
  readonly message: string;
  /** Index into InitDto.files. */
  readonly file: number;
  /** The event's row in its file (file order), to find it in the message and graph views. */
  readonly row?: number;
  readonly damaged: boolean;
  /** A row that stands for a damaged byte range rather than an event. */
  readonly damage?: { readonly start: number; readonly end: number; readonly reason: string };
}

export interface FilterDto {
  /** Levels shown; empty = all. */
  readonly levels: readonly LevelName[];
  readonly sources: readonly string[];
  /** Process runs as `pid:name` keys (FacetsDto.processes values); any of them. */
  readonly processes: readonly string[];
  /** Threads of a process run as `pid:threadId` keys (FacetsDto.threads values); any of them. */
  readonly threads: readonly string[];
  readonly activityId?: string;
  /** Typed times, inclusive: ISO 8601 (a zone, or local time without one) or the locale's numeric date format. */
  readonly from?: string;
  readonly to?: string;
  /** The user's locale (BCP 47), deciding day/month order of typed dates with slashes. */
  readonly locale?: string;
  /** Searched in the whole event: the list fields and the event's XML (SOAP body, exception, …); case-insensitive. */
  readonly text?: string;
  readonly regex?: boolean;
  /** Include marked rows for damaged byte ranges. */
  readonly showDamage: boolean;
}

export interface FacetCount {
  readonly value: string;
  readonly count: number;
  /** What to show for the value when it is a key (e.g. "w3wp (1234)" for the process run "1234:w3wp"). */
  readonly label?: string;
}

export interface FacetsDto {
  readonly levels: readonly FacetCount[];
  /** The most frequent MESSAGE_LIMITS.facetValues values (the rest through getFacet; `totals` says how many). */
  readonly sources: readonly FacetCount[];
  readonly processes: readonly FacetCount[];
  readonly threads: readonly FacetCount[];
  /** How many distinct values each facet has. */
  readonly totals: { readonly [F in FacetName]: number };
}

// ---- Paging (issue 10): no message carries more than the webview can show ----------------------------------------

/**
 * Caps on one message. A file of 2M damaged ranges or 1M distinct sources must not become one message of hundreds of
 * MB: damage and facet lists are sent a page at a time, and the webview asks for more (getDamage, getFacet).
 */
export const MESSAGE_LIMITS = {
  /** Damaged ranges in the `damage` notification and per getDamage answer. */
  damagePage: 200,
  /** Values per facet in a ViewDto and per getFacet answer (a picker shows no more). */
  facetValues: 500,
  /** Longest facet value sent (longer ones end in "…"). */
  facetValueLength: 300,
  /** Bytes (JSON, about) of the rows a view carries unasked: the first of its page, at least those in sight. */
  viewRowsBytes: 32 * 1024,
} as const;

export type FacetName = 'sources' | 'processes' | 'threads';

export interface ViewDto {
  /** Increases whenever the view's rows change (filter, more decoded rows, tail); stale replies are dropped. */
  readonly version: number;
  readonly total: number; // rows in the current view (events and damage rows)
  /** Of those, rows that stand for damaged byte ranges. */
  readonly damageRows?: number;
  /** Events in all files, unfiltered. */
  readonly totalEvents: number;
  /** How the typed from/to times were read (ISO with zone), to show back. */
  readonly timeRead?: { readonly from?: string; readonly to?: string };
  readonly facets: FacetsDto;
  /** In init and viewChanged: this version's rows the webview looks at, from a page start (it need not ask for them). */
  readonly rows?: { readonly start: number; readonly rows: readonly RowDto[] };
}

export interface FileDto {
  readonly name: string;
  readonly path: string;
  readonly byteLength: number;
}

export interface ProgressDto {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly events: number;
  readonly done: boolean;
  readonly cancelled: boolean;
}

export interface DamageDto {
  readonly file: number;
  readonly start: number;
  readonly end: number;
  readonly reason: string;
}

export interface SavedState {
  readonly filter: FilterDto;
  readonly selected?: number;
  readonly scrollTop?: number;
  readonly columnWidths?: Readonly<Record<string, number>>;
  /** Times shown as written (UTC) rather than local time. */
  readonly utcTimes?: boolean;
  /** Column order (ids) and the hidden columns, as the user arranged them. */
  readonly columnOrder?: readonly string[];
  readonly hiddenColumns?: readonly string[];
  readonly pane?: 'details' | 'activities';
}

export interface InitDto {
  readonly files: readonly FileDto[];
  readonly pageSize: number;
  readonly view: ViewDto;
  readonly progress: ProgressDto;
  readonly follow: boolean;
  /** Filter state kept per file by the host while the editor was hidden or closed. */
  readonly restored?: SavedState;
  /** Set when no file holds any E2ETraceEvent: the webview offers to reopen as text. */
  readonly notATrace?: boolean;
  /** UI strings in the user's language, keyed by English text. */
  readonly strings: Readonly<Record<string, string>>;
}

export type DetailsKind = 'event' | 'traceRecord' | 'extendedData' | 'exception' | 'message' | 'text' | 'diagnostics' | 'problems' | 'damage';

export interface DetailsSection {
  readonly title: string;
  /** What the section shows, so the webview can style it or put it on its own tab (e.g. 'message'). */
  readonly kind?: DetailsKind;
  /** Label/value pairs, shown as a table. `localize`: the label is ours (English), not a name from the file. */
  readonly fields?: readonly { readonly label: string; readonly value: string; readonly localize?: boolean }[];
  /** Preformatted text (stack traces, pretty-printed XML). */
  readonly text?: string;
  readonly children?: readonly DetailsSection[];
}

export interface DetailsDto {
  readonly index: number;
  readonly sections: readonly DetailsSection[];
  readonly rawXml: string;
  /** The event re-indented (text content untouched), when it differs from rawXml. */
  readonly prettyXml?: string;
  /** Set when rawXml was cut to keep the message small (copy as XML gives the whole event). */
  readonly rawXmlTruncated?: boolean;
}

export interface ActivityDto {
  readonly id: string;
  /** The activity's name, or for one without a name a readable label (its first event's message). */
  readonly name: string;
  /** Set when `name` is such a label, not a name from a Start event. */
  readonly unnamed?: boolean;
  readonly events: number;
  readonly errors: number;
  readonly warnings: number;
  readonly start?: string;
  readonly end?: string;
  readonly durationMs?: number;
  /** Activity ids this one transferred to. */
  readonly transfersTo: readonly string[];
  readonly parent?: string;
}

/** What one logged message (MessageLogTraceRecord) is: where it is, when, which way, between whom. File content: text only. */
export interface MessageFields {
  readonly file: number;
  readonly row: number;
  readonly time: string;
  readonly direction: 'send' | 'receive' | 'unknown';
  /** Logging point: TransportSend, ServiceLevelReceiveRequest, … */
  readonly source: string;
  readonly action: string;
  readonly from: string;
  readonly to: string;
  /** Bytes of the event in the file. */
  readonly size: number;
  readonly activityId: string;
  readonly process: string;
  readonly processId: number;
}

/** One logged message in the message view, paired with its request or reply. */
export interface MessageDto extends MessageFields {
  /** Position in the message list. */
  readonly id: number;
  /** HTTP status of a response. */
  readonly status?: string;
  readonly role: 'request' | 'reply' | 'unknown';
  /** id of the paired request or reply, or -1. */
  readonly partner: number;
  /** Time between request and reply, when paired. */
  readonly deltaMs?: number;
  readonly messageId?: string;
  readonly relatesTo?: string;
}

/** The graph view of one activity's neighbourhood: columns (activity × process), events in time order, arrows. */
export interface GraphDto {
  readonly activityId: string;
  readonly columns: readonly { readonly activityId: string; readonly label: string; readonly process: string; readonly processId: number }[];
  readonly events: readonly {
    readonly column: number; readonly file: number; readonly row: number; readonly time: string; readonly level: string;
    readonly message: string; readonly relatedActivityId: string;
  }[];
  /** Indexes into `events`: transfers between activities, messages between processes. */
  readonly arrows: readonly { readonly from: number; readonly to: number; readonly kind: 'transfer' | 'message' }[];
  /** More events than the graph draws (the first GRAPH_MAX_EVENTS are shown). */
  readonly truncated: boolean;
}

// ---- Requests (webview → host, answered once) ----------------------------------------------------------------------

export interface RequestMap {
  getRows: { params: { readonly start: number; readonly count: number; readonly version: number }; result: { readonly version: number; readonly start: number; readonly rows: readonly RowDto[] } };
  setFilter: { params: { readonly filter: FilterDto }; result: ViewDto };
  /** Searches the whole event (its XML, not only the list fields); count = matching rows of the view, ordinal = rank of index. */
  find: { params: { readonly text: string; readonly regex: boolean; readonly from: number; readonly direction: 1 | -1 }; result: { readonly index: number; readonly count?: number; readonly ordinal?: number } };
  getDetails: { params: { readonly index: number }; result: DetailsDto };
  getActivities: { params: Record<string, never>; result: { readonly activities: readonly ActivityDto[] } };
  /** Next/previous event of the same activity as the event at `from` (-1 at its end): F10/F9. */
  stepActivity: { params: { readonly from: number; readonly direction: 1 | -1 }; result: { readonly index: number } };
  /** A page of the logged messages, requests paired with replies. */
  getMessages: { params: { readonly start: number; readonly count: number }; result: { readonly total: number; readonly truncated: boolean; readonly messages: readonly MessageDto[] } };
  /** The graph of an activity's neighbourhood. */
  getGraph: { params: { readonly activityId: string }; result: GraphDto };
  /** Index in the current view of one event (file, store row), or -1 when the filter hides it. */
  locateEvent: { params: { readonly file: number; readonly row: number }; result: { readonly index: number } };
  /** Index in the current view of the first event of an activity (or -1). */
  locateActivity: { params: { readonly activityId: string }; result: { readonly index: number } };
  /** A page of the damaged ranges (at most MESSAGE_LIMITS.damagePage). */
  getDamage: { params: { readonly start: number; readonly count: number }; result: { readonly total: number; readonly start: number; readonly ranges: readonly DamageDto[] } };
  /** A page of one facet's values, most frequent first, optionally only those whose value or label contains `contains` (case-insensitive). */
  getFacet: { params: { readonly facet: FacetName; readonly start: number; readonly count: number; readonly contains?: string }; result: { readonly total: number; readonly start: number; readonly values: readonly FacetCount[] } };
}
export type Method = keyof RequestMap;

export type Request = { [M in Method]: { readonly type: 'request'; readonly requestId: number; readonly method: M; readonly params: RequestMap[M]['params'] } }[Method];

export type Response =
  | { readonly type: 'response'; readonly requestId: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'response'; readonly requestId: number; readonly ok: false; readonly error: string };

// ---- Notifications -----------------------------------------------------------------------------------------------

export type FromWebview =
  | { readonly type: 'ready' }
  | Request
  | { readonly type: 'saveState'; readonly state: SavedState }
  | { readonly type: 'cancelDecoding' }
  | { readonly type: 'setFollow'; readonly follow: boolean }
  | { readonly type: 'export'; readonly format: 'csv' | 'json' }
  | { readonly type: 'copyEvent'; readonly index: number; readonly as: 'xml' | 'json' }
  | { readonly type: 'reopenAsText' };

export type ToWebview =
  | { readonly type: 'init'; readonly init: InitDto }
  | Response
  | { readonly type: 'progress'; readonly progress: ProgressDto }
  | { readonly type: 'viewChanged'; readonly view: ViewDto }
  /** The first page of damaged ranges, how many there are and how many are damage (not an ignored DOCTYPE); the rest through getDamage. */
  | { readonly type: 'damage'; readonly total: number; readonly damaged: number; readonly ranges: readonly DamageDto[] }
  | { readonly type: 'error'; readonly message: string };

export type FromWebviewType = FromWebview['type'];
