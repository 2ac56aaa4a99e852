// What the viewer shows or hands out for one position of a view (details, the event's XML or JSON) and the export
// of a whole view. Pure: the file is read only through a FileAccess.

import { csvHeader, exportRecord, formatRecord, type FileAccess, type TraceCollection, type TraceRow } from '../trace';
import { damageDetailsDto, damageDto, detailsDto, detailsJson } from './dto';
import { fullMessage, isCut } from './labels';
import type { DetailsDto } from './protocol';
import type { ViewModel } from './viewModel';

/** Longest damaged range shown in the details pane (copy gives all of it). */
const DAMAGE_DETAILS_MAX = 64 * 1024;

export interface ViewContext {
  readonly collection: TraceCollection;
  readonly access: FileAccess;
  readonly view: ViewModel;
  /** Path of each file, by file index. */
  readonly paths: readonly string[];
}

function itemAt(ctx: ViewContext, index: number): ReturnType<ViewModel['at']> & object {
  const what = ctx.view.at(index);
  if (!what) throw new Error(`No row ${index} in the current view`);
  return what;
}

async function damageText(ctx: ViewContext, file: number, start: number, length: number): Promise<string> {
  const bytes = await ctx.access.read(ctx.paths[file], start, length);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

export async function detailsAt(ctx: ViewContext, index: number): Promise<DetailsDto> {
  const what = itemAt(ctx, index);
  if ('damage' in what) {
    const d = what.damage;
    const file = d.file ?? 0;
    const text = await damageText(ctx, file, d.start, Math.min(DAMAGE_DETAILS_MAX, d.end - d.start));
    return damageDetailsDto(d, index, ctx.paths[file], text, d.end - d.start > DAMAGE_DETAILS_MAX);
  }
  const row = ctx.view.engine.row(what.event) as TraceRow;
  const details = await ctx.collection.details(ctx.access, row.file, row.row);
  return detailsDto(details, index, row, ctx.paths[row.file]);
}

/** The event at a view position exactly as in its file (or the damaged bytes), as text. */
export async function eventXmlAt(ctx: ViewContext, index: number): Promise<string> {
  const what = itemAt(ctx, index);
  if ('damage' in what) {
    const d = what.damage;
    return damageText(ctx, d.file ?? 0, d.start, d.end - d.start);
  }
  const row = ctx.view.engine.row(what.event) as TraceRow;
  return (await ctx.collection.details(ctx.access, row.file, row.row)).rawXml;
}

/** The event at a view position as JSON (System, TraceRecord, exceptions, message…). */
export async function eventJsonAt(ctx: ViewContext, index: number): Promise<string> {
  const what = itemAt(ctx, index);
  if ('damage' in what) return JSON.stringify({ damage: damageDto(what.damage), file: ctx.paths[what.damage.file ?? 0] }, null, 2);
  const row = ctx.view.engine.row(what.event) as TraceRow;
  const details = await ctx.collection.details(ctx.access, row.file, row.row);
  return detailsJson(details, row, ctx.paths[row.file]);
}

/** The view's events (damage rows left out) as CSV (with header) or a JSON array, in chunks of text. */
export async function* exportView(ctx: ViewContext, format: 'csv' | 'json', chunkRows: number): AsyncIterable<string> {
  const e = ctx.view.engine;
  const n = e.length;
  if (format === 'csv') yield csvHeader();
  else yield '[\n';
  for (let i = 0; i < n; i += chunkRows) {
    const parts: string[] = [];
    for (const row of e.window(i, chunkRows)) {
      let rec = exportRecord(row, ctx.paths[row.file]);
      // The list cuts long messages; the export has all of it (read from the event).
      if (isCut(row.message)) rec = { ...rec, message: fullMessage(await ctx.collection.details(ctx.access, row.file, row.row)) };
      if (format === 'csv') parts.push(formatRecord(rec, 'csv'));
      else parts.push(`${row.index > 0 ? ',\n' : ''}  ${JSON.stringify(rec)}`);
    }
    yield parts.join('');
    await new Promise<void>((r) => setImmediate(r));
  }
  if (format === 'json') yield n > 0 ? '\n]\n' : ']\n';
}
