// Shared vocabulary of the trace engine. Pure: no I/O, no vscode.

/** Event kinds, from `SubType/@Name` (or `<Level>` when SubType is missing or unknown). Stored as one byte per event. */
export const TraceLevel = {
  Unknown: 0,
  Critical: 1,
  Error: 2,
  Warning: 3,
  Information: 4,
  Verbose: 5,
  Start: 6,
  Stop: 7,
  Suspend: 8,
  Resume: 9,
  Transfer: 10,
} as const;
export type TraceLevelValue = (typeof TraceLevel)[keyof typeof TraceLevel];

/** Display names indexed by TraceLevelValue. */
export const LEVEL_NAMES: readonly string[] = [
  'Unknown', 'Critical', 'Error', 'Warning', 'Information', 'Verbose', 'Start', 'Stop', 'Suspend', 'Resume', 'Transfer',
];
export const LEVEL_COUNT = LEVEL_NAMES.length;

/** Level name (case-insensitive) → value, or undefined. */
export function levelFromName(name: string): TraceLevelValue | undefined {
  const i = LEVEL_NAMES.findIndex((n) => n.toLowerCase() === name.toLowerCase());
  return i < 0 ? undefined : (i as TraceLevelValue);
}

/** Why a byte range could not be read as an event. */
export type DamageReason =
  | 'truncated' // an event start without its end (end of file, or the next event starts first)
  | 'garbage' // bytes between events that are neither whitespace nor a BOM
  | 'malformed' // an event whose markup is not well-formed (fields that could be read are kept)
  | 'invalid-char' // characters that XML 1.0 forbids (the event is kept, the characters are shown as U+FFFD)
  | 'not-a-trace' // no E2ETraceEvent at all in a non-empty file
  | 'too-large' // an event larger than the decoder's limit
  | 'declaration'; // a DOCTYPE, XML declaration, processing instruction or comment between events: read past, not an event

export interface DamageRange {
  /** Byte offset of the first damaged byte in the file. */
  readonly start: number;
  /** Byte offset just after the last damaged byte. */
  readonly end: number;
  readonly reason: DamageReason;
  /** Index of the file in a multi-file collection (0 for a single file). */
  readonly file?: number;
}

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

/** One event's list fields, as objects (for windows of rows, exports and tests; the store keeps them in columns). */
export interface TraceRow {
  /** Position in the (filtered, ordered) view the row was taken from, or the store row for direct lookups. */
  readonly index: number;
  /** Index of the file in the collection. */
  readonly file: number;
  /** Row in that file's store (file order). */
  readonly row: number;
  /** TimeCreated/@SystemTime as written. */
  readonly time: string;
  /** Milliseconds since the Unix epoch (UTC, integer part), NaN if the time could not be parsed. */
  readonly instantMs: number;
  /** Sub-millisecond part in 100 ns ticks (0–9999). */
  readonly instantTicks: number;
  readonly level: string;
  readonly levelValue: TraceLevelValue;
  /** The `<Level>` number as written (-1 if absent). */
  readonly rawLevel: number;
  readonly eventId: number;
  readonly source: string;
  readonly activityId: string;
  readonly relatedActivityId: string;
  readonly process: string;
  readonly processId: number;
  readonly threadId: string;
  readonly computer: string;
  readonly message: string;
  /** Byte offset and length of the whole `<E2ETraceEvent>` element in its file. */
  readonly offset: number;
  readonly length: number;
  /** True when the event had markup or character damage (it is also listed in the damage ranges). */
  readonly damaged: boolean;
}

/** Random access to a file's bytes: the only way the engine reaches files. The CLI and the host each provide one. */
export interface FileAccess {
  /** Current size in bytes. */
  size(path: string): Promise<number>;
  /** Up to `length` bytes from `offset` (fewer at end of file). */
  read(path: string, offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: reads into `target` from `offset` and returns the byte count (fewer at end of file). When present, the
   * engine reuses one buffer for sequential decoding instead of allocating one per chunk.
   */
  readInto?(path: string, offset: number, target: Uint8Array): Promise<number>;
  /** Optional: size and modification time (the index cache uses them to know a file it has seen). */
  stat?(path: string): Promise<{ size: number; mtimeMs: number }>;
}

/** Cooperative cancellation (structurally compatible with AbortSignal and a vscode CancellationToken adapter). */
export interface CancelSignal {
  readonly aborted: boolean;
}

export class TraceCancelledError extends Error {
  constructor() {
    super('Trace decoding was cancelled');
    this.name = 'TraceCancelledError';
  }
}
