// Readable labels for what a row alone does not say: the name of an activity that has none (its first event's
// message, e.g. the logged message's Action), where a Transfer goes, and which exception an Error row threw. Pure.

import { MESSAGE_MAX, oneLine, type ExceptionDetails, type TraceCollection, type TraceEventDetails } from '../trace';

/** Short form of an activity id for a label: the first 8 hex digits. */
export function shortGuid(id: string): string {
  const m = /^\{?([0-9a-f]{8})/i.exec(id);
  return m ? m[1].toLowerCase() : id.slice(0, 12);
}

/**
 * Activity labels over a growing collection: the activity's name (from its Start event) or else the first non-empty
 * message of its events (file order), or else "activity 1a2b3c4d". Learns new events incrementally.
 */
export class ActivityLabels {
  /** Per activity pool id: pooled message id of its first event with a message (0: none seen yet). */
  private first = new Uint32Array(0);
  private scanned: number[] = [];
  private version = -1;

  constructor(private readonly c: TraceCollection) {}

  private update(): void {
    const v = this.c.version;
    if (v === this.version) return;
    // A file that got fewer rows was reset: start over.
    if (this.c.files.some((f, i) => (this.scanned[i] ?? 0) > f.store.count)) { this.first = new Uint32Array(0); this.scanned = []; }
    const size = this.c.pools.activity.size;
    if (this.first.length < size) {
      const grown = new Uint32Array(Math.max(size, Math.ceil(this.first.length * 1.5)));
      grown.set(this.first);
      this.first = grown;
    }
    const first = this.first;
    for (const f of this.c.files) {
      const s = f.store, act = s.activity, msg = s.message;
      for (let r = this.scanned[f.index] ?? 0; r < s.count; r++) {
        const a = act[r];
        if (a !== 0 && first[a] === 0) first[a] = msg[r];
      }
      this.scanned[f.index] = s.count;
    }
    this.version = v;
  }

  /** The activity's name, '' when it has none (from its Start event in any file). */
  name(activityId: string): string {
    return activityId ? this.nameOf(this.c.pools.activity.find(activityId)) : '';
  }

  /** A readable label: the name, else the first event's message, else "activity <first 8 hex digits>". */
  label(activityId: string): string {
    return activityId ? this.labelOf(this.c.pools.activity.find(activityId), activityId) : '';
  }

  /**
   * The label of a row's activity (or the activity it transfers to), by the pool id its row holds: no lookup of the
   * id text, so the first rows of a reopened file need no table of every activity.
   */
  ofRow(row: { readonly file: number; readonly row: number }, which: 'activity' | 'related'): string {
    const f = this.c.files[row.file];
    if (!f || row.row >= f.store.count) return '';
    const id = f.store[which][row.row];
    return id > 0 ? this.labelOf(id, this.c.pools.activity.get(id)) : '';
  }

  private nameOf(id: number): string {
    if (id <= 0) return '';
    for (const f of this.c.files) {
      const name = f.store.activityNames.get(id);
      if (name !== undefined) return this.c.pools.names.get(name);
    }
    return '';
  }

  private labelOf(id: number, activityId: string): string {
    const named = this.nameOf(id);
    if (named) return named;
    if (id > 0) {
      this.update();
      const m = this.first[id];
      if (m !== undefined && m !== 0) return this.c.pools.message.get(m);
    }
    return `activity ${shortGuid(activityId)}`;
  }
}

/** The message of a Transfer row that has none: where it goes. */
export function transferMessage(targetLabel: string): string {
  return `\u2192 ${targetLabel}`;
}

/**
 * The type name of an assembly-qualified .NET type ("System.ServiceModel.EndpointNotFoundException, System.ServiceModel,
 * Version=4.0.0.0, …" → "System.ServiceModel.EndpointNotFoundException"; generic arguments in brackets are kept).
 */
export function typeName(qualified: string): string {
  let depth = 0;
  for (let i = 0; i < qualified.length; i++) {
    const c = qualified[i];
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) return qualified.slice(0, i).trim();
  }
  return qualified.trim();
}

/** "Type: message" of the outermost exception (the type without its assembly), one line, or '' when there is none. */
export function exceptionSummary(exceptions: readonly ExceptionDetails[]): string {
  const e = exceptions[0];
  if (!e) return '';
  const text = [typeName(e.type), e.message].filter((x) => x !== '').join(': ');
  return oneLine(text);
}

/** The row message of an event that carries an exception: its own text, then the exception, cut to the list length. */
export function appendException(message: string, summary: string): string {
  if (!summary) return message;
  return oneLine(message ? `${message} \u2014 ${summary}` : summary);
}

/**
 * The whole message of an event, as the list shows it but not cut at MESSAGE_MAX: the plain text, the first DataItem,
 * the TraceRecord description or the logged message's logging point and Action.
 */
export function fullMessage(d: TraceEventDetails): string {
  // eslint-disable-next-line no-control-regex -- characters XML forbids are shown as U+FFFD, as in the list
  const one = (s: string): string => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD').replace(/\s+/g, ' ').trim();
  switch (d.applicationDataKind) {
    case 'text': return one(d.text);
    case 'traceData': return one(d.dataItems[0] ?? '');
    case 'traceRecord': return one(d.traceRecord?.description ?? '');
    case 'messageLog': {
      const m = d.messageLog;
      return m ? one(m.action ? `${m.source} ${m.action}` : m.source) : '';
    }
    default: return one(d.text);
  }
}

/** True when a list message was cut at MESSAGE_MAX (the export then reads the whole one). */
export function isCut(message: string): boolean {
  return message.length === MESSAGE_MAX && message.endsWith('\u2026');
}
