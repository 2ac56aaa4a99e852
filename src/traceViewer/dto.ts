// Maps trace-engine objects (rows, details, activities, damage) to the viewer protocol's JSON-safe DTOs. Pure.

import { childElements, parseXml, textContent, type ActivityGraph, type DamageRange, type TraceEventDetails, type TraceRow, type XmlElement } from '../trace';
import { levelName } from './filterVocabulary';
import type { ActivityDto, DamageDto, DetailsDto, DetailsSection, RowDto } from './protocol';

/** Raw XML sent to the webview is cut at this many characters (copy as XML still gives the whole event). */
export const RAW_XML_MAX = 512 * 1024;
/** Longest text of one details field or section sent to the webview. */
export const TEXT_MAX = 256 * 1024;

export { levelName };

export function rowDto(row: TraceRow, index: number, activityName?: string): RowDto {
  return {
    index,
    time: row.time,
    level: levelName(row.level),
    eventId: row.eventId,
    source: row.source,
    activityId: row.activityId,
    activityName: activityName || undefined,
    relatedActivityId: row.relatedActivityId,
    process: row.process,
    processId: row.processId,
    threadId: row.threadId,
    computer: row.computer,
    message: row.message,
    file: row.file,
    row: row.row,
    damaged: row.damaged,
  };
}

export const DAMAGE_REASONS: Readonly<Record<string, string>> = {
  'truncated': 'Truncated event (an event start without its end)',
  'garbage': 'Bytes between events that are not part of any event',
  'malformed': 'Event markup is not well-formed (readable fields kept)',
  'invalid-char': 'Characters that XML forbids (shown as \uFFFD)',
  'not-a-trace': 'Not an E2ETraceEvent trace',
  'too-large': 'Event larger than the decoder limit',
  'declaration': 'Ignored declaration between events (DOCTYPE, XML declaration or comment; nothing in it is applied)',
};

export function damageMessage(d: DamageRange): string {
  return `${DAMAGE_REASONS[d.reason] ?? d.reason}: bytes ${d.start}\u2013${d.end} (${d.end - d.start} bytes)`;
}

/** A marked row standing for a damaged byte range. */
export function damageRowDto(d: DamageRange, index: number): RowDto {
  return {
    index, time: '', level: 'Unknown', eventId: 0, source: '', activityId: '', relatedActivityId: '', process: '', processId: 0,
    threadId: '', computer: '', message: damageMessage(d), file: d.file ?? 0, damaged: true,
    damage: { start: d.start, end: d.end, reason: d.reason },
  };
}

export function damageDto(d: DamageRange): DamageDto {
  return { file: d.file ?? 0, start: d.start, end: d.end, reason: d.reason };
}

/** The body's leaf elements as "Parent/Child" → text (at most 200), for reading a SOAP body at a glance. */
export function bodyFields(bodyXml: string, max = 200): Field[] {
  const out: Field[] = [];
  let roots: XmlElement[];
  try { roots = parseXml(bodyXml.slice(0, TEXT_MAX)).roots; } catch { return out; }
  const walk = (e: XmlElement, path: string[]): void => {
    if (out.length >= max) return;
    const kids = childElements(e);
    const here = [...path, e.local];
    if (kids.length === 0) {
      const value = textContent(e).trim();
      const label = (here.length > 1 && here[0] === 'Body' ? here.slice(1) : here).join('/');
      out.push({ label, value: cut(value) });
      return;
    }
    for (const k of kids) walk(k, here);
  };
  for (const r of roots) walk(r, []);
  return out;
}

function cut(text: string, max = TEXT_MAX): string {
  return text.length > max ? `${text.slice(0, max)}\n\u2026 (${(text.length - max).toLocaleString('en-US')} more characters; copy the event to get all of it)` : text;
}

type Field = { label: string; value: string };

function fields(pairs: ReadonlyArray<readonly [string, string | number | undefined]>): Field[] {
  const out: Field[] = [];
  for (const [label, value] of pairs) if (value !== undefined && value !== '') out.push({ label, value: cut(String(value)) });
  return out;
}

/** The details pane for one event. `fileName` is the file the event came from. */
export function detailsDto(d: TraceEventDetails, index: number, row: TraceRow, fileName: string): DetailsDto {
  const s = d.system;
  const sections: DetailsSection[] = [];
  sections.push({
    title: 'Event', kind: 'event', fields: fields([
      ['Time', s.timeCreated], ['Instant (UTC)', s.instant], ['Level', s.level], ['Type', s.type], ['SubType', s.subType],
      ['Level number', s.rawLevel], ['Event ID', s.eventId], ['Source', s.source], ['Activity', s.activityId],
      ['Related activity', s.relatedActivityId], ['Process', s.processName], ['Process ID', s.processId], ['Thread', s.threadId],
      ['Computer', s.computer], ['Channel', s.channel], ['File', fileName], ['Offset', row.offset], ['Length', row.length],
    ]),
  });
  const tr = d.traceRecord;
  if (tr) {
    const children: DetailsSection[] = [];
    if (tr.extendedData.length > 0 || tr.extendedDataXml) {
      children.push({
        title: 'ExtendedData', kind: 'extendedData',
        fields: tr.extendedData.slice(0, 500).map((p) => ({ label: p.name, value: cut(p.value) })),
        text: tr.extendedDataXml ? cut(tr.extendedDataXml) : undefined,
      });
    }
    sections.push({
      title: 'TraceRecord', kind: 'traceRecord', fields: fields([
        ['Severity', tr.severity], ['Trace code', tr.traceCode], ['Trace identifier', tr.traceIdentifier], ['Description', tr.description],
        ['AppDomain', tr.appDomain], ['Source', tr.source], ['Activity name', tr.activityName], ['Activity type', tr.activityType],
      ]),
      children,
    });
  }
  if (d.exceptions.length > 0) {
    sections.push({
      title: d.exceptions.length > 1 ? `Exceptions (${d.exceptions.length}, outermost first)` : 'Exception', kind: 'exception',
      children: d.exceptions.map((e) => ({
        title: `${e.depth > 0 ? 'Inner exception: ' : ''}${e.type || 'Exception'}`, kind: 'exception' as const,
        fields: fields([['Type', e.type], ['Message', e.message], ...e.dataItems.map((i) => [`Data: ${i.key}`, i.value] as const)]),
        text: cut(e.stackTrace || e.exceptionString),
      })),
    });
  }
  const m = d.messageLog;
  if (m) {
    const children: DetailsSection[] = [];
    if (m.http) {
      children.push({
        title: m.http.kind === 'request' ? 'HTTP request' : 'HTTP response', kind: 'message',
        fields: fields([['Method', m.http.method], ['Query string', m.http.queryString], ['Status code', m.http.statusCode],
          ['Status description', m.http.statusDescription], ...m.http.headers.map((h) => [h.name, h.value] as const)]),
      });
    }
    if (m.headers.length > 0) {
      children.push({
        title: 'SOAP headers', kind: 'message',
        fields: m.headers.map((h) => ({ label: h.name, value: cut(h.value) })),
        text: cut(m.headers.map((h) => h.xml).join('\n')),
      });
    }
    if (m.bodyXml) {
      const leaves = bodyFields(m.bodyXml);
      if (leaves.length > 0) children.push({ title: 'Body fields', kind: 'message', fields: leaves });
      children.push({ title: 'SOAP body', kind: 'message', text: cut(m.bodyXml) });
    }
    if (m.messageXml && m.messageXml !== m.bodyXml) children.push({ title: 'Envelope (indented)', kind: 'message', text: cut(m.messageXml) });
    sections.push({
      title: 'Message', kind: 'message', fields: fields([
        ['Direction', m.direction], ['Logging point', m.source], ['Action', m.action], ['To', m.to], ['Time', m.time], ['Type', m.type],
      ]),
      children,
    });
  }
  if (d.text.trim()) sections.push({ title: 'Text', kind: 'text', text: cut(d.text) });
  if (d.dataItems.length > 0) {
    sections.push({ title: 'Data items', kind: 'text', children: d.dataItems.slice(0, 200).map((t, i) => ({ title: `DataItem ${i + 1}`, kind: 'text' as const, text: cut(t) })) });
  }
  if (d.diagnostics) {
    const g = d.diagnostics;
    sections.push({
      title: 'System.Diagnostics', kind: 'diagnostics',
      fields: fields([['Timestamp', g.timestamp], ...g.logicalOperationStack.map((o, i) => [`Logical operation ${i + 1}`, o] as const)]),
      text: g.callstack ? cut(g.callstack) : undefined,
    });
  }
  if (d.errors.length > 0) {
    sections.push({ title: 'Problems in this event', kind: 'problems', fields: d.errors.slice(0, 50).map((e, i) => ({ label: String(i + 1), value: JSON.stringify(e) })) });
  }
  const truncated = d.rawXml.length > RAW_XML_MAX || d.prettyXml.length > RAW_XML_MAX;
  const pretty = d.prettyXml && d.prettyXml !== d.rawXml ? d.prettyXml.slice(0, RAW_XML_MAX) : undefined;
  return { index, sections, rawXml: d.rawXml.slice(0, RAW_XML_MAX), prettyXml: pretty, rawXmlTruncated: truncated || undefined };
}

/** The details pane for a damaged byte range: where it is, why, and the bytes themselves as text. */
export function damageDetailsDto(d: DamageRange, index: number, fileName: string, bytesText: string, bytesCut: boolean): DetailsDto {
  return {
    index,
    sections: [{
      title: 'Damaged range', kind: 'damage', fields: fields([
        ['Reason', DAMAGE_REASONS[d.reason] ?? d.reason], ['Code', d.reason], ['File', fileName], ['Start byte', d.start], ['End byte', d.end],
        ['Length', d.end - d.start],
      ]),
    }],
    rawXml: bytesText,
    rawXmlTruncated: bytesCut || undefined,
  };
}

/** A JSON-safe copy of an event's details (no parse tree), for "Copy as JSON". */
export function detailsJson(d: TraceEventDetails, row: TraceRow, fileName: string): string {
  return JSON.stringify({
    file: fileName, offset: row.offset, length: row.length, system: d.system, applicationDataKind: d.applicationDataKind,
    text: d.text || undefined, dataItems: d.dataItems.length ? d.dataItems : undefined, traceRecord: d.traceRecord,
    exceptions: d.exceptions.length ? d.exceptions : undefined, messageLog: d.messageLog, diagnostics: d.diagnostics,
    problems: d.errors.length ? d.errors : undefined,
  }, null, 2);
}

function iso(ms: number): string | undefined {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * Activities with their transfer targets and a parent: the first activity that transferred into it, skipping edges that
 * would close a cycle, so the webview can draw a tree.
 */
export function activityDtos(g: ActivityGraph, max = 50_000): ActivityDto[] {
  const targets = new Map<string, string[]>();
  const parent = new Map<string, string>();
  const rootOf = (id: string): string => {
    let cur = id;
    for (let i = 0; i < 10_000; i++) { const p = parent.get(cur); if (p === undefined) return cur; cur = p; }
    return cur;
  };
  for (const e of g.edges) {
    if (e.from === e.to) continue;
    let list = targets.get(e.from);
    if (!list) targets.set(e.from, (list = []));
    if (!list.includes(e.to)) list.push(e.to);
    if (!parent.has(e.to) && rootOf(e.from) !== e.to) parent.set(e.to, e.from);
  }
  return g.activities.slice(0, max).map((a) => {
    const start = Number.isFinite(a.startMs) ? a.startMs : a.firstMs;
    const end = Number.isFinite(a.stopMs) ? a.stopMs : a.lastMs;
    return {
      id: a.id,
      name: a.name,
      events: a.events,
      errors: a.errors,
      warnings: a.warnings,
      start: iso(start),
      end: iso(end),
      durationMs: Number.isFinite(a.durationMs) ? a.durationMs : undefined,
      transfersTo: targets.get(a.id) ?? [],
      parent: parent.get(a.id),
    };
  });
}
