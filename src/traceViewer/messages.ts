// The message view's model: every logged message (MessageLogTraceRecord) as one record (time, direction, logging
// point, Action, From/To, size, WS-Addressing ids), and requests paired with their replies. Pure.
//
// Pairing, in this order:
//   1. WS-Addressing: a reply's RelatesTo names the request's MessageID. Of several records of that request (one per
//      logging point), the one at the same layer (transport / service level) in the same process, latest before the
//      reply, is its partner.
//   2. Without those ids: in the same activity (not the empty root) and process, at the same layer, a request (HTTP
//      request, *Request logging point, or simply the first one) and the next message going the other way.

import type { TraceEventDetails, TraceRow } from '../trace';
import type { MessageFields } from './protocol';

/** A logged message as the message view's model holds it: its fields, plus what pairing reads. */
export interface MessageRecord extends MessageFields {
  /** Instant in ms (NaN when unknown). */
  readonly ms: number;
  readonly messageId: string;
  readonly relatesTo: string;
  /** HTTP status of a response ('' when none). */
  readonly status: string;
  readonly kind: 'request' | 'reply' | 'unknown';
}

export interface MessagePairs {
  /** Per record: the index of its partner, or -1. */
  readonly partner: Int32Array;
  /** Per record: 'request' or 'reply' once paired (else its own guess). */
  readonly role: ReadonlyArray<'request' | 'reply' | 'unknown'>;
}

const EMPTY_GUID = /^\{?0{8}-0{4}-0{4}-0{4}-0{12}\}?$/;

function header(d: TraceEventDetails, name: string): string {
  const h = d.messageLog?.headers.find((x) => x.name === name);
  return h ? h.value.trim() : '';
}

/** The message record of one event, or undefined when the event is not a logged message. */
export function messageRecord(d: TraceEventDetails, row: TraceRow): MessageRecord | undefined {
  const m = d.messageLog;
  if (!m) return undefined;
  const relatesTo = header(d, 'RelatesTo');
  const messageId = header(d, 'MessageID');
  const http = m.http;
  let kind: MessageRecord['kind'] = 'unknown';
  if (relatesTo || http?.kind === 'response' || /Reply$/.test(m.source)) kind = 'reply';
  else if (http?.kind === 'request' || /Request$/.test(m.source) || messageId) kind = 'request';
  const host = http?.headers.find((h) => /^host$/i.test(h.name))?.value ?? '';
  return {
    file: row.file, row: row.row, time: row.time, ms: row.instantMs + row.instantTicks / 10000,
    direction: m.direction, source: m.source, action: m.action || header(d, 'Action'),
    from: header(d, 'From') || header(d, 'ReplyTo'), to: m.to || header(d, 'To') || host, size: row.length,
    messageId, relatesTo, activityId: row.activityId, process: row.process, processId: row.processId,
    status: http?.kind === 'response' ? [...new Set([http.statusCode, http.statusDescription].filter((x) => x))].join(' ') : '', kind,
  };
}

function layer(source: string): string {
  return source.startsWith('Transport') ? 'transport' : source.startsWith('ServiceLevel') ? 'service' : 'other';
}

/** Pairs requests with replies (see the file comment). Records must be in time order. */
export function pairMessages(records: readonly MessageRecord[]): MessagePairs {
  const n = records.length;
  const partner = new Int32Array(n).fill(-1);
  const role = records.map((r) => r.kind);
  // 1. MessageID / RelatesTo.
  const byId = new Map<string, number[]>();
  records.forEach((r, i) => {
    if (!r.messageId) return;
    const list = byId.get(r.messageId);
    if (list) list.push(i); else byId.set(r.messageId, [i]);
  });
  for (let i = 0; i < n; i++) {
    const r = records[i];
    if (!r.relatesTo || partner[i] >= 0) continue;
    const cands = (byId.get(r.relatesTo) ?? []).filter((k) => partner[k] < 0 && k !== i);
    if (cands.length === 0) continue;
    const score = (k: number): number => {
      const q = records[k];
      return (layer(q.source) === layer(r.source) ? 4 : 0) + (q.processId === r.processId ? 2 : 0) + (k < i ? 1 : 0);
    };
    let best = cands[0];
    for (const k of cands) if (score(k) > score(best) || (score(k) === score(best) && k < i && k > best)) best = k;
    partner[i] = best; partner[best] = i;
    role[i] = 'reply'; role[best] = 'request';
  }
  // 2. The same activity, process and layer: a request and the next message going the other way.
  const open = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = records[i];
    if (partner[i] >= 0 || !r.activityId || EMPTY_GUID.test(r.activityId) || r.direction === 'unknown') continue;
    const key = `${r.activityId}|${r.processId}|${layer(r.source)}`;
    const k = open.get(key);
    if (k !== undefined && records[k].direction !== r.direction && r.kind !== 'request') {
      partner[i] = k; partner[k] = i;
      role[k] = 'request'; role[i] = 'reply';
      open.delete(key);
    } else if (r.kind !== 'reply') open.set(key, i);
  }
  return { partner, role };
}
