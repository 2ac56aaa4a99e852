// What a ViewerSession is given: its files, the file access, where messages go, and the host's hooks. Types only.

import type { FileAccess } from '../trace';
import type { IndexCacheStore, IndexSource } from '../trace/indexCache';
import type { RangeDecoder } from '../trace/parallel';
import type { SavedState, ToWebview } from './protocol';

export interface ViewerSessionHooks {
  /** The webview's filter/scroll/selection state, to keep per file (give it back as `restored` next time). */
  saveState?(state: SavedState): void | Promise<void>;
  /** The user asked to export the filtered events; write `session.exportRows(format)` somewhere. */
  export?(format: 'csv' | 'json'): void | Promise<void>;
  /** Copy one event (view index) to the clipboard, using `session.eventXml(index)` / `session.eventJson(index)`. */
  copyEvent?(index: number, as: 'xml' | 'json'): void | Promise<void>;
  /** The file is not a trace (or the user wants its text): reopen it in the text editor. */
  reopenAsText?(): void | Promise<void>;
}

export interface ViewerSessionOptions {
  readonly files: readonly string[];
  readonly access: FileAccess;
  readonly post: (message: ToWebview) => void;
  /** Display names of the files (default: last path segment). */
  readonly names?: readonly string[];
  /** Rows per getRows page the webview should ask for (default 200, at most 1000 are answered per request). */
  readonly pageSize?: number;
  readonly restored?: SavedState;
  readonly strings?: Readonly<Record<string, string>>;
  readonly hooks?: ViewerSessionHooks;
  /** Start with follow on (default false). */
  readonly follow?: boolean;
  /** Poll interval while following (default 1000 ms; 0 = only on fileChanged()). */
  readonly followIntervalMs?: number;
  /** Minimum time between view refreshes while decoding (default 250 ms). */
  readonly refreshIntervalMs?: number;
  /** Engine read sizes (tests use small chunks to see rows arrive while decoding). */
  readonly chunkSize?: number;
  readonly firstChunkSize?: number;
  /** Clock, injectable for tests (default Date.now). */
  readonly now?: () => number;
  /** Where decoded indexes are kept between openings (none: every opening decodes). */
  readonly indexCache?: IndexCacheStore;
  /** The threads that decode a big file (called once per decoding; closed after it). None: this thread only. */
  readonly decodeThreads?: () => RangeDecoder & { close?(): Promise<void> };
  /** Where each file's rows came from, once it is decoded (for the log and tests). */
  readonly onIndexed?: (file: number, source: IndexSource) => void;
}
