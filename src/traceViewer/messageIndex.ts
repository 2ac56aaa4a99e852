// The message view's data on the host: the logged messages of the collection, read once per collection version
// (each message event is parsed, at most MESSAGES_MAX of them), paired, and handed out a page at a time.
// Pure: the file is read only through a FileAccess.

import type { FileAccess, TraceCollection } from '../trace';
import { messageRecord, pairMessages, type MessagePairs, type MessageRecord } from './messages';
import type { MessageDto } from './protocol';

export const MESSAGES_MAX = 200_000;
const MESSAGE_SOURCE = 'System.ServiceModel.MessageLogging';

export class MessageIndex {
  private built: { version: number; records: MessageRecord[]; pairs: MessagePairs; truncated: boolean } | undefined;
  private building: Promise<void> | undefined;

  constructor(private readonly c: TraceCollection, private readonly access: FileAccess) {}

  /** Reads and pairs every logged message (again only when the collection changed). */
  async build(): Promise<{ records: readonly MessageRecord[]; pairs: MessagePairs; truncated: boolean }> {
    while (!this.built || this.built.version !== this.c.version) {
      this.building ??= this.read().finally(() => { this.building = undefined; });
      await this.building;
    }
    return this.built;
  }

  private async read(): Promise<void> {
    const c = this.c;
    const version = c.version;
    const order = c.timeOrder();
    const src = c.pools.source.find(MESSAGE_SOURCE);
    const records: MessageRecord[] = [];
    let truncated = false;
    for (let i = 0; i < order.rows.length; i++) {
      const f = order.files[i], r = order.rows[i];
      const s = c.files[f].store;
      // Logged messages come from the MessageLogging source; other events are not read.
      if (src < 0 || s.source[r] !== src) continue;
      if (records.length >= MESSAGES_MAX) { truncated = true; break; }
      const row = c.row(f, r);
      try {
        const rec = messageRecord(await c.details(this.access, f, r), row);
        if (rec) records.push(rec);
      } catch { /* an unreadable event is not listed */ }
      if ((records.length & 1023) === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.built = { version, records, pairs: pairMessages(records), truncated };
  }

  /** WS-Addressing ids of the logged messages, by "file:row" (for the graph's message arrows). */
  async ids(): Promise<Map<string, { messageId: string; relatesTo: string; direction: string }>> {
    const { records } = await this.build();
    return new Map(records.map((r) => [`${r.file}:${r.row}`, { messageId: r.messageId, relatesTo: r.relatesTo, direction: r.direction }]));
  }

  /** A page of messages as DTOs. */
  async page(start: number, count: number): Promise<{ total: number; truncated: boolean; messages: MessageDto[] }> {
    const { records, pairs, truncated } = await this.build();
    const from = Math.max(0, Math.floor(start));
    const end = Math.min(records.length, from + Math.max(0, Math.min(1000, Math.floor(count))));
    const messages: MessageDto[] = [];
    for (let i = from; i < end; i++) messages.push(messageDto(records, pairs, i));
    return { total: records.length, truncated, messages };
  }
}

export function messageDto(records: readonly MessageRecord[], pairs: MessagePairs, i: number): MessageDto {
  const r = records[i];
  const p = pairs.partner[i];
  const delta = p >= 0 ? records[Math.max(p, i)].ms - records[Math.min(p, i)].ms : NaN;
  return {
    id: i, file: r.file, row: r.row, time: r.time, direction: r.direction, source: r.source, action: r.action, from: r.from, to: r.to,
    size: r.size, status: r.status || undefined, activityId: r.activityId, process: r.process, processId: r.processId,
    role: pairs.role[i], partner: p, deltaMs: Number.isFinite(delta) ? delta : undefined, messageId: r.messageId || undefined,
    relatesTo: r.relatesTo || undefined,
  };
}
