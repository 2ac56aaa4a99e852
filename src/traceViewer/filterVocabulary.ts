// The viewer's level list and the filter that shows everything: the one runtime module the webview and the host
// share (the webview bundles it; everything else it takes from protocol.ts is types). Pure, imports nothing.

/** Trace levels in the order the filter bar offers them; `Unknown` last. */
export const LEVEL_ORDER = [
  'Critical', 'Error', 'Warning', 'Information', 'Verbose', 'Start', 'Stop', 'Suspend', 'Resume', 'Transfer', 'Unknown',
] as const;
export type LevelName = (typeof LEVEL_ORDER)[number];

export function isLevelName(level: string): level is LevelName {
  return (LEVEL_ORDER as readonly string[]).includes(level);
}

/** A level as the viewer names it: one of LEVEL_ORDER, anything else `Unknown`. */
export function levelName(level: string): LevelName {
  return isLevelName(level) ? level : 'Unknown';
}

/** The filter with nothing chosen (a FilterDto): every level, source, process and thread; damaged regions shown. */
export const EMPTY_FILTER: {
  readonly levels: readonly LevelName[];
  readonly sources: readonly string[];
  readonly processes: readonly string[];
  readonly threads: readonly string[];
  readonly showDamage: boolean;
} = { levels: [], sources: [], processes: [], threads: [], showDamage: true };
