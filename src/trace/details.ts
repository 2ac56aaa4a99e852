// Details on demand: one event's bytes → its full structure (System, TraceRecord, exceptions, message log, raw XML).

import { toUtf8 } from './decoder';
import { formatInstant, parseTime } from './time';
import { LEVEL_NAMES, type TextEncodingName } from './types';
import { levelFromNumber } from './decoder';
import {
  attr, childElements, findDescendant, firstChild, ownText, parseXml, serializeXml, textContent,
  type XmlElement, type XmlError,
} from './xml';
import { oneLine } from './text';

export interface SystemDetails {
  readonly eventId: string;
  readonly type: string;
  readonly subType: string;
  /** Level name derived like the list (SubType name, else the Level number). */
  readonly level: string;
  readonly rawLevel: string;
  readonly timeCreated: string;
  /** UTC instant in ISO form with 7 fraction digits ('' when unparseable). */
  readonly instant: string;
  readonly source: string;
  readonly activityId: string;
  readonly relatedActivityId: string;
  readonly processName: string;
  readonly processId: string;
  readonly threadId: string;
  readonly computer: string;
  readonly channel: string;
}

export interface ExceptionDetails {
  readonly type: string;
  readonly message: string;
  /** Stack trace with its line breaks kept. */
  readonly stackTrace: string;
  readonly exceptionString: string;
  /** Nesting depth in the chain (0 = outermost). */
  readonly depth: number;
  readonly dataItems: ReadonlyArray<{ key: string; value: string }>;
}

export interface TraceRecordDetails {
  readonly severity: string;
  readonly traceIdentifier: string;
  /** Last path segment of the TraceIdentifier URL without `.aspx` (stable across locales). */
  readonly traceCode: string;
  readonly description: string;
  readonly appDomain: string;
  readonly source: string;
  /** ExtendedData pretty-printed (namespace bindings kept), '' if none. */
  readonly extendedDataXml: string;
  /** ExtendedData leaves as name/value pairs (path joined with '/'). */
  readonly extendedData: ReadonlyArray<{ name: string; value: string }>;
  readonly activityName: string;
  readonly activityType: string;
}

export interface MessageLogDetails {
  readonly time: string;
  /** Logging point: TransportSend, ServiceLevelReceiveRequest, … */
  readonly source: string;
  readonly type: string;
  readonly direction: 'send' | 'receive' | 'unknown';
  readonly action: string;
  readonly to: string;
  readonly http?: {
    readonly kind: 'request' | 'response';
    readonly method: string;
    readonly queryString: string;
    readonly statusCode: string;
    readonly statusDescription: string;
    readonly headers: ReadonlyArray<{ name: string; value: string }>;
  };
  /** SOAP headers, each pretty-printed with its prefixes bound. */
  readonly headers: ReadonlyArray<{ name: string; namespace: string; value: string; xml: string }>;
  /** SOAP Body pretty-printed (or the logged text, e.g. `... stream ...`). */
  readonly bodyXml: string;
  /** The whole logged message pretty-printed. */
  readonly messageXml: string;
}

export interface TraceEventDetails {
  readonly system: SystemDetails;
  readonly applicationDataKind: 'empty' | 'text' | 'traceData' | 'traceRecord' | 'messageLog' | 'xml';
  /** Plain ApplicationData text (entities decoded once; line breaks kept). */
  readonly text: string;
  /** Text of escaped DataItems (in order). */
  readonly dataItems: readonly string[];
  readonly traceRecord?: TraceRecordDetails;
  /** Exception chain, outermost first. */
  readonly exceptions: readonly ExceptionDetails[];
  readonly messageLog?: MessageLogDetails;
  /** System.Diagnostics footer (LogicalOperationStack, Timestamp, Callstack). */
  readonly diagnostics?: { readonly logicalOperationStack: readonly string[]; readonly timestamp: string; readonly callstack: string };
  /** The event exactly as in the file (decoded to text). */
  readonly rawXml: string;
  /** The event pretty-printed (text content untouched). */
  readonly prettyXml: string;
  /** Parse tree (undefined when nothing could be parsed). */
  readonly root?: XmlElement;
  /** Well-formedness problems found in this event. */
  readonly errors: readonly XmlError[];
}

/** Parses one event's bytes (as located by the decoder) into its full structure. */
export function parseEventDetails(bytes: Uint8Array, encoding: TextEncodingName = 'utf-8'): TraceEventDetails {
  const utf8 = toUtf8(bytes, encoding);
  const rawXml = utf8.toString('utf8');
  return parseEventDetailsText(rawXml);
}

export function parseEventDetailsText(rawXml: string): TraceEventDetails {
  const { roots, errors } = parseXml(rawXml);
  const root = roots.find((r) => r.local === 'E2ETraceEvent') ?? roots[0];
  const sys = firstChild(root, 'System');
  const t = (local: string): string => textContent(firstChild(sys, local)).trim();
  const a = (local: string, name: string): string => attr(firstChild(sys, local), name) ?? '';
  const subType = a('SubType', 'Name');
  const rawLevel = t('Level');
  const timeCreated = a('TimeCreated', 'SystemTime');
  const pt = parseTime(timeCreated);
  const levelIdx = LEVEL_NAMES.indexOf(subType);
  const system: SystemDetails = {
    eventId: t('EventID'),
    type: t('Type'),
    subType,
    level: LEVEL_NAMES[levelIdx > 0 ? levelIdx : levelFromNumber(/^\s*\d+/.test(rawLevel) ? parseInt(rawLevel, 10) : -1)],
    rawLevel,
    timeCreated,
    instant: Number.isFinite(pt.ms) ? formatInstant(pt.ms, pt.ticks) : '',
    source: a('Source', 'Name'),
    activityId: a('Correlation', 'ActivityID'),
    relatedActivityId: a('Correlation', 'RelatedActivityID'),
    processName: a('Execution', 'ProcessName'),
    processId: a('Execution', 'ProcessID'),
    threadId: a('Execution', 'ThreadID'),
    computer: t('Computer'),
    channel: t('Channel'),
  };
  const appData = firstChild(root, 'ApplicationData');
  let kind: TraceEventDetails['applicationDataKind'] = 'empty';
  let text = '';
  const dataItems: string[] = [];
  let traceRecord: TraceRecordDetails | undefined;
  let messageLog: MessageLogDetails | undefined;
  const exceptions: ExceptionDetails[] = [];
  let diagnostics: TraceEventDetails['diagnostics'];
  if (appData) {
    text = ownText(appData);
    if (text.trim() !== '') kind = 'text';
    const traceData = firstChild(appData, 'TraceData');
    let recordEl: XmlElement | undefined;
    let messageEl: XmlElement | undefined;
    if (traceData) {
      kind = 'traceData';
      for (const item of childElements(traceData, 'DataItem')) {
        const rec = childElements(item)[0];
        if (rec && rec.local === 'TraceRecord' && !recordEl) recordEl = rec;
        else if (rec && rec.local === 'MessageLogTraceRecord' && !messageEl) messageEl = rec;
        else if (!rec) dataItems.push(textContent(item));
      }
    } else {
      recordEl = firstChild(appData, 'TraceRecord');
      messageEl = firstChild(appData, 'MessageLogTraceRecord');
      if (!recordEl && !messageEl && childElements(appData).some((c) => c.local !== 'System.Diagnostics')) kind = 'xml';
    }
    if (recordEl) {
      kind = 'traceRecord';
      traceRecord = traceRecordDetails(recordEl);
      const ex = firstChild(recordEl, 'Exception');
      if (ex) exceptionChain(ex, 0, exceptions);
    }
    if (messageEl) {
      kind = 'messageLog';
      messageLog = messageLogDetails(messageEl);
    }
    const diag = firstChild(appData, 'System.Diagnostics');
    if (diag) {
      diagnostics = {
        logicalOperationStack: childElements(firstChild(diag, 'LogicalOperationStack') ?? diag, 'LogicalOperation').map((e) => textContent(e)),
        timestamp: textContent(firstChild(diag, 'Timestamp')).trim(),
        callstack: textContent(firstChild(diag, 'Callstack')),
      };
    }
  }
  return {
    system, applicationDataKind: kind, text, dataItems, traceRecord, exceptions, messageLog, diagnostics, rawXml,
    prettyXml: root ? serializeXml(root, { indent: '  ' }) : rawXml, root, errors,
  };
}

function traceRecordDetails(rec: XmlElement): TraceRecordDetails {
  const traceIdentifier = textContent(firstChild(rec, 'TraceIdentifier')).trim();
  const seg = traceIdentifier.split('/').pop() ?? '';
  const ext = firstChild(rec, 'ExtendedData');
  const pairs: Array<{ name: string; value: string }> = [];
  if (ext) leaves(ext, '', pairs);
  return {
    severity: attr(rec, 'Severity') ?? '',
    traceIdentifier,
    traceCode: seg.replace(/\.aspx$/i, ''),
    description: textContent(firstChild(rec, 'Description')),
    appDomain: textContent(firstChild(rec, 'AppDomain')),
    source: textContent(firstChild(rec, 'Source')),
    extendedDataXml: ext ? serializeXml(ext, { indent: '  ' }) : '',
    extendedData: pairs,
    activityName: textContent(findDescendant(ext, 'ActivityName')),
    activityType: textContent(findDescendant(ext, 'ActivityType')),
  };
}

function leaves(el: XmlElement, path: string, out: Array<{ name: string; value: string }>): void {
  const kids = childElements(el);
  if (kids.length === 0) {
    if (path) out.push({ name: path, value: textContent(el) });
    return;
  }
  for (const k of kids) leaves(k, path ? `${path}/${k.local}` : k.local, out);
}

function exceptionChain(ex: XmlElement, depth: number, out: ExceptionDetails[]): void {
  if (depth > 64) return;
  const items: Array<{ key: string; value: string }> = [];
  const dataItems = firstChild(ex, 'DataItems');
  if (dataItems) {
    for (const d of childElements(dataItems)) {
      items.push({ key: attr(d, 'Key') ?? textContent(firstChild(d, 'Key')) ?? d.local, value: textContent(firstChild(d, 'Value')) || textContent(d) });
    }
  }
  out.push({
    type: textContent(firstChild(ex, 'ExceptionType')).trim(),
    message: textContent(firstChild(ex, 'Message')),
    stackTrace: textContent(firstChild(ex, 'StackTrace')),
    exceptionString: textContent(firstChild(ex, 'ExceptionString')),
    depth,
    dataItems: items,
  });
  const inner = firstChild(ex, 'InnerException');
  if (inner) exceptionChain(inner, depth + 1, out);
}

function messageLogDetails(rec: XmlElement): MessageLogDetails {
  const source = attr(rec, 'Source') ?? '';
  const direction: MessageLogDetails['direction'] = /Send/i.test(source) ? 'send' : /Receive/i.test(source) ? 'receive' : 'unknown';
  const httpReq = firstChild(rec, 'HttpRequest');
  const httpRes = firstChild(rec, 'HttpResponse');
  const http = httpReq ?? httpRes;
  const addressing = firstChild(rec, 'Addressing');
  const envelope = childElements(rec).find((c) => c.local === 'Envelope');
  const header = firstChild(envelope, 'Header');
  const body = firstChild(envelope, 'Body');
  const actionEl = findDescendant(rec, 'Action');
  const toEl = firstChild(addressing, 'To') ?? firstChild(header, 'To');
  const messageEls = childElements(rec).filter((c) => c.local !== 'HttpRequest' && c.local !== 'HttpResponse' && c.local !== 'Addressing');
  const textBody = ownText(rec).trim();
  return {
    time: attr(rec, 'Time') ?? '',
    source,
    type: attr(rec, 'Type') ?? '',
    direction,
    action: textContent(actionEl).trim(),
    to: textContent(toEl).trim(),
    http: http ? {
      kind: httpReq ? 'request' : 'response',
      method: textContent(firstChild(http, 'Method')),
      queryString: textContent(firstChild(http, 'QueryString')),
      statusCode: textContent(firstChild(http, 'StatusCode')),
      statusDescription: textContent(firstChild(http, 'StatusDescription')),
      headers: childElements(firstChild(http, 'WebHeaders') ?? http).filter(() => firstChild(http, 'WebHeaders') !== undefined)
        .map((h) => ({ name: h.local, value: textContent(h) })),
    } : undefined,
    headers: header ? childElements(header).map((h) => ({
      name: h.local, namespace: h.ns, value: oneLine(textContent(h)), xml: serializeXml(h, { indent: '  ' }),
    })) : [],
    bodyXml: body
      ? childElements(body).map((c) => serializeXml(c, { indent: '  ' })).join('\n') || textContent(body)
      : textBody,
    messageXml: messageEls.map((m) => serializeXml(m, { indent: '  ' })).join('\n') || textBody,
  };
}
