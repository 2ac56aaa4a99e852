// The typed host ⇄ webview protocol of the trace viewer. Types only, no runtime code: both sides import it type-only.
// Model (after vscode-hexeditor): the host owns the decoded files and the index; the webview asks for windows
// of rows of the current (filtered) view and keeps only those plus a bounded cache.

// ---- Plain data shapes (JSON-safe) -------------------------------------------------------------------------------

import type { LevelName } from './filterVocabulary';

export type { LevelName };

/** One row of the event table. Every string is untrusted file content: render with textContent only. */
export interface RowDto {
  /** Position in the current view. */
  readonly index: number;
  readonly time: string;
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
  readonly damaged: boolean;
  /** A row that stands for a damaged byte range rather than an event. */
  readonly damage?: { readonly start: number; readonly end: number; readonly reason: string };
}

export interface FilterDto {
  /** Levels shown; empty = all. */
  readonly levels: readonly LevelName[];
  readonly sources: readonly string[];
  readonly processes: readonly string[];
  readonly threads: readonly string[];
  readonly activityId?: string;
  /** ISO instants, inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly text?: string;
  readonly regex?: boolean;
  /** Include marked rows for damaged byte ranges. */
  readonly showDamage: boolean;
}

export interface FacetCount {
  readonly value: string;
  readonly count: number;
}

export interface FacetsDto {
  readonly levels: readonly FacetCount[];
  readonly sources: readonly FacetCount[];
  readonly processes: readonly FacetCount[];
  readonly threads: readonly FacetCount[];
}

export interface ViewDto {
  /** Increases whenever the view's rows change (filter, more decoded rows, tail); stale replies are dropped. */
  readonly version: number;
  /** Rows in the current view. */
  readonly total: number;
  /** Events in all files, unfiltered. */
  readonly totalEvents: number;
  readonly facets: FacetsDto;
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
  /** Label/value pairs, shown as a table. */
  readonly fields?: readonly { readonly label: string; readonly value: string }[];
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
  readonly name: string;
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

// ---- Requests (webview → host, answered once) ----------------------------------------------------------------------

export interface RequestMap {
  getRows: { params: { readonly start: number; readonly count: number; readonly version: number }; result: { readonly version: number; readonly start: number; readonly rows: readonly RowDto[] } };
  setFilter: { params: { readonly filter: FilterDto }; result: ViewDto };
  find: { params: { readonly text: string; readonly regex: boolean; readonly from: number; readonly direction: 1 | -1 }; result: { readonly index: number } };
  getDetails: { params: { readonly index: number }; result: DetailsDto };
  getActivities: { params: Record<string, never>; result: { readonly activities: readonly ActivityDto[] } };
  /** Index in the current view of the first event of an activity (or -1). */
  locateActivity: { params: { readonly activityId: string }; result: { readonly index: number } };
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
  | { readonly type: 'damage'; readonly ranges: readonly DamageDto[] }
  | { readonly type: 'error'; readonly message: string };

export type FromWebviewType = FromWebview['type'];
