// `exchange-remoting trace stats|export <files…>`: the trace engine on the command line. Files are read through a
// FileAccess (node:fs by default), so the engine stays pure and tests can inject their own.
import { parseArgs } from 'node:util';
import { ExitCode, UsageError, type CliIo, type Subcommand } from './types';
import { nodeFileAccess } from '../util/nodeFileAccess';
import { workerRanges } from '../util/traceWorkers';
import { openFileParallel, type RangeDecoder } from '../trace/parallel';
import {
  TraceCollection, buildActivities, checkWellFormed, csvHeader, exportRecord, formatInstant, formatRecord, levelFromName, openFile, parseTime,
  type ExportFormat, type FileAccess, type TraceFilter, type TraceOrder,
} from '../trace/index';


const USAGE = `Usage: exchange-remoting trace stats <files…> [--validate] [--threads N]
       exchange-remoting trace export <files…> [--format ndjson|csv] [--threads N] [filters]

Reads E2ETraceEvent files (.svclog, .e2e, .xml, .log; UTF-8 or UTF-16) as one merged trace.

  stats    JSON summary: events, counts per level, sources, processes, activities, time range, damaged byte ranges.
  export   One record per event (merged by time) with the fields
           time, level, eventId, source, activityId, relatedActivityId, process, processId, threadId, computer,
           message, file, offset.

Options:
  --validate              also check every event for well-formedness (slower; the default checks the markup it reads)
  --threads N             decode each file on N threads (default: every core; 1 = this thread only)
Options (export):
  --format ndjson|csv     output format (default ndjson)
  --order time|file       merge by instant (default) or keep file order
Filters (export; repeat or comma-separate list options):
  --level <names>         Critical, Error, Warning, Information, Verbose, Start, Stop, Suspend, Resume, Transfer
  --source <name>         trace source name
  --process <name>        process name
  --thread <id>           thread id
  --activity <guid>       ActivityID or RelatedActivityID ({…} as written)
  --from <time>           ISO-8601 instant (inclusive)
  --to <time>             ISO-8601 instant (inclusive)
  --text <text>           case-insensitive substring of message, source, process, thread, computer or activity
  --regex                 treat --text as a regular expression
  --damaged               only events that had damage

Exit codes: 0 ok, 1 a file has damaged ranges, 2 usage error, 3 internal error.`;

function list(values: string[] | undefined): string[] | undefined {
  if (!values || values.length === 0) return undefined;
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

function timeOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = parseTime(value.trim());
  if (Number.isFinite(t.ms)) return t.ms;
  const d = Date.parse(value);
  if (Number.isFinite(d)) return d;
  throw new UsageError(`--${name}: not an ISO-8601 time: ${value}`);
}

/** How the command decodes: the threads (worker threads by default) and, for tests, where files are cut. */
export interface TraceDecodeSetup {
  readonly ranges?: (threads: number) => RangeDecoder & { close?(): Promise<void> };
  readonly splitTargets?: (path: string) => readonly number[] | undefined;
}

function threadsOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--threads must be a whole number from 1 to 256, not ${value}.`);
  return n;
}

async function load(files: readonly string[], access: FileAccess, validate: boolean, threads: number | undefined, setup: TraceDecodeSetup): Promise<TraceCollection> {
  const c = new TraceCollection(validate ? { validate: checkWellFormed } : {});
  if (threads === 1) {
    for (const path of files) await openFile(c, access, path, { yieldBetweenChunks: false });
    return c;
  }
  const ranges = setup.ranges ? setup.ranges(threads ?? 0) : workerRanges(threads);
  try {
    for (const path of files) await openFileParallel(c, access, path, { yieldBetweenChunks: false, ranges, splitTargets: setup.splitTargets?.(path) });
  } finally {
    await ranges.close?.();
  }
  return c;
}

export function createTraceCommand(access: FileAccess = nodeFileAccess, setup: TraceDecodeSetup = {}): Subcommand {
  return {
    name: 'trace',
    summary: 'summarise or export E2ETraceEvent (.svclog) files',
    usage: USAGE,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const [action, ...rest] = args;
      if (action !== 'stats' && action !== 'export') throw new UsageError(action ? `Unknown trace action "${action}".` : 'trace needs an action: stats or export.');
      const { values, positionals } = parseArgs({
        args: [...rest],
        allowPositionals: true,
        strict: true,
        options: {
          format: { type: 'string' },
          order: { type: 'string' },
          level: { type: 'string', multiple: true },
          source: { type: 'string', multiple: true },
          process: { type: 'string', multiple: true },
          thread: { type: 'string', multiple: true },
          activity: { type: 'string', multiple: true },
          from: { type: 'string' },
          to: { type: 'string' },
          text: { type: 'string' },
          regex: { type: 'boolean' },
          damaged: { type: 'boolean' },
          validate: { type: 'boolean' },
          threads: { type: 'string' },
        },
      });
      if (positionals.length === 0) throw new UsageError(`trace ${action} needs at least one file.`);
      if (action === 'stats') {
        const used = Object.keys(values).filter((k) => k !== 'validate' && k !== 'threads');
        if (used.length) throw new UsageError(`trace stats takes only --validate and --threads (got --${used[0]}).`);
        return stats(await load(positionals, access, values.validate === true, threadsOption(values.threads), setup), io);
      }
      const format = (values.format ?? 'ndjson') as ExportFormat;
      if (format !== 'ndjson' && format !== 'csv') throw new UsageError(`--format must be ndjson or csv, not ${values.format}.`);
      const order = (values.order ?? 'time') as TraceOrder;
      if (order !== 'time' && order !== 'file') throw new UsageError(`--order must be time or file, not ${values.order}.`);
      const levels = list(values.level);
      for (const l of levels ?? []) if (levelFromName(l) === undefined) throw new UsageError(`Unknown level "${l}".`);
      if (values.regex && values.text !== undefined) {
        // eslint-disable-next-line no-new -- compiling is the validation
        try { new RegExp(values.text); } catch (e) { throw new UsageError(`--text is not a valid regular expression: ${(e as Error).message}`); }
      }
      const filter: TraceFilter = {
        levels, sources: list(values.source), processes: list(values.process), threads: list(values.thread),
        activities: list(values.activity), fromMs: timeOption('from', values.from), toMs: timeOption('to', values.to),
        text: values.text, regex: values.regex, damagedOnly: values.damaged,
      };
      const threads = threadsOption(values.threads);
      const c = await load(positionals, access, values.validate === true, threads, setup);
      const view = c.query(filter, order);
      let out = format === 'csv' ? csvHeader() : '';
      const step = 4096;
      for (let i = 0; i < view.length; i += step) {
        for (const row of view.window(i, step)) out += formatRecord(exportRecord(row, c.files[row.file].path), format);
        if (out.length > 1 << 16) { io.out(out); out = ''; }
      }
      if (out) io.out(out);
      return c.damage().some((d) => d.reason !== 'declaration') ? ExitCode.findings : ExitCode.ok;
    },
  };
}

/** Most entries of any list `trace stats` prints, and longest value. */
export const STATS_LIST_MAX = 1000;
const STATS_VALUE_MAX = 500;

async function stats(c: TraceCollection, io: CliIo): Promise<number> {
  const facets = c.facets();
  const graph = buildActivities(c);
  const order = c.timeOrder();
  let first = '', last = '';
  for (let i = 0; i < order.rows.length; i++) {
    const s = c.files[order.files[i]].store, r = order.rows[i];
    if (Number.isFinite(s.ms[r])) { first = formatInstant(s.ms[r], s.ticks[r]); break; }
  }
  for (let i = order.rows.length - 1; i >= 0; i--) {
    const s = c.files[order.files[i]].store, r = order.rows[i];
    if (Number.isFinite(s.ms[r])) { last = formatInstant(s.ms[r], s.ticks[r]); break; }
  }
  // Output is bounded whatever the file holds: the most frequent STATS_LIST_MAX values per facet, the first
  // STATS_LIST_MAX damaged ranges, each with its total, so a hostile file cannot make this print hundreds of MB.
  const obj = (fc: ReadonlyArray<{ value: string; count: number }>): Record<string, number> =>
    Object.fromEntries([...fc].sort((x, y) => y.count - x.count).slice(0, STATS_LIST_MAX).map((f) => [f.value.slice(0, STATS_VALUE_MAX), f.count]));
  const totals = { levels: facets.levels.length, sources: facets.sources.length, processes: facets.processes.length, computers: facets.computers.length };
  const damage = c.damage();
  const acts = graph.activities.filter((a) => !a.isRoot);
  const result = {
    files: c.files.map((f) => ({
      path: f.path,
      bytes: c.fileProgress(f.index).bytesRead,
      encoding: c.encoding(f.index),
      events: f.store.count,
      damagedRanges: damage.filter((d) => d.file === f.index).length,
    })),
    events: c.count,
    levels: obj(facets.levels),
    sources: obj(facets.sources),
    processes: obj(facets.processes),
    computers: obj(facets.computers),
    activities: {
      count: acts.length,
      named: acts.filter((a) => a.name !== '').length,
      withErrors: acts.filter((a) => a.errors > 0).length,
      transfers: graph.edges.length,
    },
    timeRange: { first, last },
    damaged: damage.slice(0, STATS_LIST_MAX).map((d) => ({ file: c.files[d.file ?? 0].path, start: d.start, end: d.end, reason: d.reason })),
    damagedTotal: damage.length,
    /** How many distinct values each facet has (the lists above hold at most STATS_LIST_MAX of them). */
    distinct: totals,
    truncated: damage.length > STATS_LIST_MAX || Object.values(totals).some((n) => n > STATS_LIST_MAX),
  };
  io.out(JSON.stringify(result, null, 2) + '\n');
  return damage.some((d) => d.reason !== 'declaration') ? ExitCode.findings : ExitCode.ok;
}

export const traceCommand: Subcommand = createTraceCommand();
