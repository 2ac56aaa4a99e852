// Export formatting: one record per event as NDJSON or CSV, with a fixed field list.

import type { TraceRow } from './types';

export const EXPORT_FIELDS = [
  'time', 'level', 'eventId', 'source', 'activityId', 'relatedActivityId', 'process', 'processId', 'threadId', 'computer',
  'message', 'file', 'offset',
] as const;
export type ExportField = (typeof EXPORT_FIELDS)[number];
export type ExportFormat = 'ndjson' | 'csv';

export type ExportRecord = { readonly [K in ExportField]: string | number };

/** The export record of a row; `fileName` is the path shown for the row's file. */
export function exportRecord(row: TraceRow, fileName: string): ExportRecord {
  return {
    time: row.time,
    level: row.level,
    eventId: row.eventId,
    source: row.source,
    activityId: row.activityId,
    relatedActivityId: row.relatedActivityId,
    process: row.process,
    processId: row.processId,
    threadId: row.threadId,
    computer: row.computer,
    message: row.message,
    file: fileName,
    offset: row.offset,
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; a leading =, +, - or @ is prefixed with ' (spreadsheet formula guard). */
export function csvField(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(): string {
  return EXPORT_FIELDS.join(',') + '\r\n';
}

/** One line (with its line ending) in the given format. */
export function formatRecord(rec: ExportRecord, format: ExportFormat): string {
  if (format === 'ndjson') return JSON.stringify(rec) + '\n';
  return EXPORT_FIELDS.map((f) => csvField(rec[f])).join(',') + '\r\n';
}
