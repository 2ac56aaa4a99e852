// The field reader of the hot path: a hand-written tag scanner that reads the list fields of one event (UTF-8 bytes)
// into an EventScratch, without a DOM and without a string per repeated value. TraceDecoder (decoder.ts) finds the
// event boundaries and calls it once per event.

import { ByteMap } from './pool';
import { FLAG_DAMAGED, TracePools, type EventScratch } from './store';
import { entityStats, decodeEntities, INVALID_XML_CHARS, MESSAGE_MAX, oneLine } from './text';
import { parseTimeBytes, type ParsedTime } from './time';
import { TraceLevel, type DamageReason } from './types';

export const LT = 60, GT = 62, SLASH = 47, EQ = 61, QUOT = 34, APOS = 39, COLON = 58, BANG = 33, QMARK = 63, AMP = 38;

const enc = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const N_EventID = enc('EventID'), N_SubType = enc('SubType'), N_Level = enc('Level');
const N_Source = enc('Source'), N_Computer = enc('Computer');
const N_System = enc('System'), N_ApplicationData = enc('ApplicationData'), N_TraceData = enc('TraceData'), N_DataItem = enc('DataItem');
const N_TraceRecord = enc('TraceRecord'), N_MessageLogTraceRecord = enc('MessageLogTraceRecord'), N_Description = enc('Description');
const N_ActivityName = enc('ActivityName'), N_Name = enc('Name'), N_SystemTime = enc('SystemTime'), N_ActivityID = enc('ActivityID');
const N_RelatedActivityID = enc('RelatedActivityID'), N_ProcessName = enc('ProcessName'), N_ProcessID = enc('ProcessID');
const N_ThreadID = enc('ThreadID'), N_Action = enc('Action'), N_Body = enc('Body'), N_Method = enc('Method'), N_CDATA = enc('[CDATA[');

// The stock XmlWriterTraceListener layout of everything before the ApplicationData content, in literal pieces.
const L_HEAD = mkLit('<E2ETraceEvent xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"><System xmlns="http://schemas.microsoft.com/2004/06/windows/eventlog/system"><EventID>');
const L_SUBTYPE = mkLit('</EventID><Type>3</Type><SubType Name="');
const L_LEVEL = mkLit('">0</SubType><Level>');
const L_TIME = mkLit('</Level><TimeCreated SystemTime="');
const L_SOURCE = mkLit('" /><Source Name="');
const L_CORR = mkLit('" /><Correlation ActivityID="');
const L_RELATED = mkLit('" RelatedActivityID="');
const L_EXEC = mkLit('" /><Execution ProcessName="');
const L_PID = mkLit('" ProcessID="');
const L_TID = mkLit('" ThreadID="');
const L_COMPUTER = mkLit('" /><Channel/><Computer>');
const L_APPDATA = mkLit('</Computer></System><ApplicationData>');
const L_TRACEID = enc('<TraceIdentifier>');
const L_TD_TR = mkLit('<TraceData><DataItem><TraceRecord xmlns="http://schemas.microsoft.com/2004/10/E2ETraceEvent/TraceRecord" Severity="');
const L_TD_ML = mkLit('<TraceData><DataItem><MessageLogTraceRecord ');
export const L_XMLNS_E2E = mkLit(' xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"');
const L_DESC = enc('</TraceIdentifier><Description>');

/** A literal for word-wise comparison: 4 bytes at a time through a DataView, then the remaining bytes. */
interface Lit {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  readonly length: number;
}

function mkLit(text: string): Lit {
  const bytes = enc(text);
  const words = new Int32Array(bytes.length >> 2);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let k = 0; k < words.length; k++) words[k] = dv.getInt32(k * 4, true);
  return { bytes, words, length: bytes.length };
}

export function litW(dv: DataView, b: Uint8Array, i: number, e: number, l: Lit): boolean {
  const n = l.length;
  if (i + n > e) return false;
  const w = l.words;
  let k = 0;
  for (let j = 0; j < w.length; j++, k += 4) if (dv.getInt32(i + k, true) !== w[j]) return false;
  const bytes = l.bytes;
  for (; k < n; k++) if (b[i + k] !== bytes[k]) return false;
  return true;
}

function lit(b: Uint8Array, i: number, e: number, l: Uint8Array): boolean {
  const n = l.length;
  if (i + n > e) return false;
  for (let k = 0; k < n; k++) if (b[i + k] !== l[k]) return false;
  return true;
}

/** Index of the closing quote of an attribute value from i, or -1 if a '<' or the end comes first. */
function quoteEnd(b: Uint8Array, i: number, e: number): number {
  for (; i < e; i++) {
    const c = b[i];
    if (c === QUOT) return i;
    if (c === LT) return -1;
  }
  return -1;
}

/**
 * End of a "simple" text run from i: printable ASCII with single inner spaces, no '&', ending at a tag that is not
 * a comment/CDATA/PI, at most MESSAGE_MAX bytes. Its one-line form is the bytes themselves. -1 otherwise.
 */
function simpleTextEnd(b: Uint8Array, i: number, e: number): number {
  const max = Math.min(e, i + MESSAGE_MAX);
  let prev = 32;
  let k = i;
  for (; k < max; k++) {
    const c = b[k];
    if (c === LT) break;
    if (c === 32) { if (prev === 32) return -1; }
    else if (c < 33 || c > 126 || c === AMP) return -1;
    prev = c;
  }
  if (k >= max || prev === 32 && k > i) return -1;
  const n = b[k + 1];
  return n === BANG || n === QMARK ? -1 : k;
}

export const KEY_LOCAL = Buffer.from('E2ETraceEvent', 'latin1');
export const EMPTY_DV = new DataView(new ArrayBuffer(0));

const SUBTYPES: Array<[Uint8Array, number]> = [
  [enc('Information'), TraceLevel.Information], [enc('Transfer'), TraceLevel.Transfer], [enc('Start'), TraceLevel.Start],
  [enc('Stop'), TraceLevel.Stop], [enc('Warning'), TraceLevel.Warning], [enc('Error'), TraceLevel.Error],
  [enc('Verbose'), TraceLevel.Verbose], [enc('Critical'), TraceLevel.Critical], [enc('Suspend'), TraceLevel.Suspend],
  [enc('Resume'), TraceLevel.Resume],
];

const SUBTYPE_NAMES = SUBTYPES.map(([n]) => n);
const SUBTYPE_LEVELS = SUBTYPES.map(([, l]) => l);

/** Level of a SubType name in bytes [s, e) (Unknown when not one of the ten). */
function subtypeOf(b: Uint8Array, s: number, e: number): number {
  for (let k = 0; k < SUBTYPE_NAMES.length; k++) if (eqName(b, s, e, SUBTYPE_NAMES[k])) return SUBTYPE_LEVELS[k];
  return TraceLevel.Unknown;
}

/** Level when SubType is absent or unknown: the TraceEventType value written in `<Level>`. */
export function levelFromNumber(n: number): number {
  switch (n) {
    case 1: return TraceLevel.Critical;
    case 2: return TraceLevel.Error;
    case 4: return TraceLevel.Warning;
    case 8: return TraceLevel.Information;
    case 16: return TraceLevel.Verbose;
    default: return TraceLevel.Unknown;
  }
}

export function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

export function isNameEnd(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === GT || c === SLASH || c === EQ;
}

export function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46 || c >= 0x80;
}

function eqName(b: Uint8Array, s: number, e: number, lit: Uint8Array): boolean {
  const n = lit.length;
  if (e - s !== n) return false;
  for (let i = 0; i < n; i++) if (b[s + i] !== lit[i]) return false;
  return true;
}

const utf8 = (b: Uint8Array, s: number, e: number): string => Buffer.prototype.utf8Slice.call(b, s, e) as string;


/**
 * Most characters of an element's text that are ever decoded: the index keeps MESSAGE_MAX characters after
 * whitespace runs collapse, so four times that is plenty, and memory per event stays bounded whatever its text
 * (a 50 MB run of entity references is scanned past, never decoded).
 */
export const TEXT_DECODE_MAX = MESSAGE_MAX * 4;
/** Longest encoding of one character in the text: a numeric reference such as `&#x10FFFF;` (10 bytes) plus slack. */
const MAX_BYTES_PER_CHAR = 12;

/**
 * Text content from i up to the next element tag: entities decoded outside CDATA, CDATA literal, comments/PIs skipped.
 * Decodes at most `max` characters (the rest of the text is skipped by scanning, without decoding).
 */
function textValue(b: Uint8Array, i: number, e: number, max = TEXT_DECODE_MAX): string {
  let out = '';
  let pos = i;
  const room = (): number => (max - out.length) * MAX_BYTES_PER_CHAR;
  for (;;) {
    let lt = pos;
    while (lt < e && b[lt] !== LT) lt++;
    if (lt > pos && out.length < max) {
      const raw = utf8(b, pos, Math.min(lt, pos + room()));
      out += raw.indexOf('&') >= 0 ? decodeEntities(raw) : raw;
    }
    if (lt >= e) break;
    const c = b[lt + 1];
    if (c === BANG && eqName(b, lt + 2, lt + 9, N_CDATA)) {
      const k = indexIn(b as Buffer, ']]>', lt + 9, e, 0);
      const stop = k < 0 ? e : k;
      if (out.length < max) out += utf8(b, lt + 9, Math.min(stop, lt + 9 + room()));
      pos = stop + 3;
    } else if (c === BANG && b[lt + 2] === 45 && b[lt + 3] === 45) {
      const k = indexIn(b as Buffer, '-->', lt + 4, e, 3);
      pos = k < 0 ? e : k;
    } else if (c === QMARK) {
      const k = indexIn(b as Buffer, '?>', lt + 2, e, 2);
      pos = k < 0 ? e : k;
    } else break;
  }
  return out.length > max ? out.slice(0, max) : out;
}

/**
 * Field reader for one event in UTF-8 bytes [s, e). Keeps its scratch state between calls; not re-entrant.
 */
export class EventFieldReader {
  private readonly t: ParsedTime = { ms: NaN, ticks: 0, tz: 0, digits: 255 };
  // Tag scanner state.
  private nameS = 0; private nameE = 0; private localS = 0; private tagEnd = 0; private selfClosing = false; private bad = false;
  private invalid = false;
  private view: Buffer | undefined;

  constructor(private readonly pools: TracePools) {}

  /** Fills `sc` from the event; returns the damage reason when markup or characters were damaged (fields still set). */
  read(b: Buffer, s: number, e: number, sc: EventScratch): DamageReason | undefined {
    const pools = this.pools;
    sc.ms = NaN; sc.ticks = 0; sc.tz = 0; sc.digits = 255; sc.rawTime = ''; sc.level = 0; sc.rawLevel = -1; sc.eventId = 0;
    sc.source = 0; sc.activity = 0; sc.related = 0; sc.process = 0; sc.processId = 0; sc.thread = 0; sc.computer = 0;
    sc.message = 0; sc.flags = 0; sc.name = 0;
    this.sc = sc;
    this.lastSubtype = -1;
    this.bad = false;
    this.invalid = false;
    this.view = undefined;
    entityStats.invalidRefs = 0;
    const app = this.readStock(b, s, e, sc);
    if (app >= 0) {
      this.readApplicationData(b, app, e, sc, sc.level);
      if (entityStats.invalidRefs > 0) this.invalid = true;
      if (this.invalid) { sc.flags |= FLAG_DAMAGED; return 'invalid-char'; }
      return undefined;
    }
    // Not the stock layout: the general tag scanner, from scratch.
    sc.ms = NaN; sc.ticks = 0; sc.tz = 0; sc.digits = 255; sc.rawTime = ''; sc.level = 0; sc.rawLevel = -1; sc.eventId = 0;
    sc.source = 0; sc.activity = 0; sc.related = 0; sc.process = 0; sc.processId = 0; sc.thread = 0; sc.computer = 0;
    let sawSystem = false;
    let subtype = -1;
    let i = s + 1;
    // Skip the E2ETraceEvent start tag itself.
    if (!this.scanTag(b, i, e)) return 'malformed';
    i = this.tagEnd;
    for (;;) {
      let lt = i;
      while (lt < e && b[lt] !== LT) lt++;
      if (lt >= e) { this.bad = true; break; }
      const c1 = b[lt + 1];
      if (c1 === SLASH) {
        // End tag: stop at the event's own end.
        let j = lt + 2;
        while (j < e && !isNameEnd(b[j])) j++;
        let ls = lt + 2;
        for (let k = lt + 2; k < j; k++) if (b[k] === COLON) ls = k + 1;
        if (j - ls === 13 && b[ls] === 69 /* E */ && b[ls + 1] === 50 /* 2 */) break;
        i = j;
        continue;
      }
      if (c1 === BANG || c1 === QMARK) {
        i = this.skipSpecial(b, lt, e);
        continue;
      }
      if (!this.scanTag(b, lt + 1, e)) break;
      const ls = this.localS, ne = this.nameE;
      const len = ne - ls;
      const after = this.tagEnd;
      i = after;
      switch (len) {
        case 7:
          if (eqName(b, ls, ne, N_EventID)) {
            if (!this.selfClosing) { let v = 0; let k = after; while (k < e && isWs(b[k])) k++; while (k < e && b[k] >= 48 && b[k] <= 57) { v = v * 10 + b[k] - 48; k++; } sc.eventId = v > 0xffffffff ? 0xffffffff : v; }
          } else if (eqName(b, ls, ne, N_SubType)) {
            // attribute handled in scanTag via attrHook
            if (this.lastSubtype >= 0) subtype = this.lastSubtype;
            this.lastSubtype = -1;
          }
          break;
        case 5:
          if (eqName(b, ls, ne, N_Level) && !this.selfClosing) {
            let v = 0; let k = after; let any = false;
            while (k < e && isWs(b[k])) k++;
            while (k < e && b[k] >= 48 && b[k] <= 57) { v = v * 10 + b[k] - 48; k++; any = true; }
            sc.rawLevel = any ? Math.min(v, 32767) : -1;
          }
          break;
        case 8:
          if (eqName(b, ls, ne, N_Computer) && !this.selfClosing) {
            let k = after; while (k < e && b[k] !== LT) k++;
            let a = after, z = k; while (a < z && isWs(b[a])) a++; while (z > a && isWs(b[z - 1])) z--;
            sc.computer = pools.computer.internBytes(b, a, z);
          }
          break;
        case 6:
          if (eqName(b, ls, ne, N_System)) sawSystem = true;
          break;
        case 15:
          if (eqName(b, ls, ne, N_ApplicationData)) {
            if (!this.selfClosing) this.readApplicationData(b, after, e, sc, subtype);
            i = e;
          }
          break;
        default:
          break;
      }
      if (i >= e) break;
    }
    sc.level = subtype >= 0 ? subtype : levelFromNumber(sc.rawLevel);
    if (entityStats.invalidRefs > 0) this.invalid = true;
    if (this.bad || !sawSystem) { sc.flags |= FLAG_DAMAGED; return 'malformed'; }
    if (this.invalid) { sc.flags |= FLAG_DAMAGED; return 'invalid-char'; }
    return undefined;
  }

  private lastSubtype = -1;
  private sc: EventScratch | undefined;

  /**
   * The stock writer's fixed layout, compared literally: returns the index just after `<ApplicationData>`, or -1 as
   * soon as anything differs (the general scanner then reads the event).
   */
  private dvBuf: Uint8Array | undefined;
  private dv: DataView = EMPTY_DV;

  /** Drops references to the last buffer read (called after each chunk). */
  release(): void {
    this.dvBuf = undefined;
    this.dv = EMPTY_DV;
    this.view = undefined;
  }

  private readStock(b: Buffer, s: number, e: number, sc: EventScratch): number {
    const pools = this.pools;
    if (this.dvBuf !== b) { this.dvBuf = b; this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength); }
    const dv = this.dv;
    if (!litW(dv, b, s, e, L_HEAD)) return -1;
    let i = s + L_HEAD.length;
    let v = 0;
    let k = i;
    while (k < e && b[k] >= 48 && b[k] <= 57) { v = v * 10 + b[k] - 48; k++; }
    if (k === i || !litW(dv, b, k, e, L_SUBTYPE)) return -1;
    sc.eventId = v > 0xffffffff ? 0xffffffff : v;
    i = k + L_SUBTYPE.length;
    k = quoteEnd(b, i, e);
    if (k < 0) return -1;
    let level = TraceLevel.Unknown as number;
    level = subtypeOf(b, i, k);
    if (!litW(dv, b, k, e, L_LEVEL)) return -1;
    i = k + L_LEVEL.length;
    v = 0; k = i;
    while (k < e && b[k] >= 48 && b[k] <= 57) { v = v * 10 + b[k] - 48; k++; }
    if (k === i || !litW(dv, b, k, e, L_TIME)) return -1;
    sc.rawLevel = Math.min(v, 32767);
    sc.level = level === TraceLevel.Unknown ? levelFromNumber(sc.rawLevel) : level;
    i = k + L_TIME.length;
    k = quoteEnd(b, i, e);
    if (k < 0 || !litW(dv, b, k, e, L_SOURCE)) return -1;
    const t = this.t;
    parseTimeBytes(b, i, k, t);
    sc.ms = t.ms; sc.ticks = t.ticks; sc.tz = t.tz; sc.digits = t.digits;
    if (t.digits === 255) sc.rawTime = decodeEntities(utf8(b, i, k));
    i = k + L_SOURCE.length;
    k = quoteEnd(b, i, e);
    if (k < 0 || !litW(dv, b, k, e, L_CORR)) return -1;
    sc.source = pools.source.internBytes(b, i, k, dv);
    i = k + L_CORR.length;
    k = quoteEnd(b, i, e);
    if (k < 0) return -1;
    sc.activity = pools.activity.internBytes(b, i, k, dv);
    if (litW(dv, b, k, e, L_RELATED)) {
      i = k + L_RELATED.length;
      k = quoteEnd(b, i, e);
      if (k < 0) return -1;
      sc.related = pools.activity.internBytes(b, i, k, dv);
    }
    if (!litW(dv, b, k, e, L_EXEC)) return -1;
    i = k + L_EXEC.length;
    k = quoteEnd(b, i, e);
    if (k < 0 || !litW(dv, b, k, e, L_PID)) return -1;
    sc.process = pools.process.internBytes(b, i, k, dv);
    i = k + L_PID.length;
    v = 0; k = i;
    while (k < e && b[k] >= 48 && b[k] <= 57) { v = v * 10 + b[k] - 48; k++; }
    if (!litW(dv, b, k, e, L_TID)) return -1;
    sc.processId = v > 0xffffffff ? 0xffffffff : v;
    i = k + L_TID.length;
    k = quoteEnd(b, i, e);
    if (k < 0 || !litW(dv, b, k, e, L_COMPUTER)) return -1;
    sc.thread = pools.thread.internBytes(b, i, k, dv);
    i = k + L_COMPUTER.length;
    k = i;
    while (k < e && b[k] !== LT) k++;
    if (!litW(dv, b, k, e, L_APPDATA)) return -1;
    let a = i, z = k;
    while (a < z && isWs(b[a])) a++;
    while (z > a && isWs(b[z - 1])) z--;
    sc.computer = pools.computer.internBytes(b, a, z, dv);
    return k + L_APPDATA.length;
  }

  // Caches from raw bytes to ids for values that need decoding (entities, whitespace, long text), so a repeated
  // value is decoded once. Capped; values with invalid characters are never cached (the event must be marked).
  private readonly msgCache = new ByteMap(32 << 20);
  private readonly nameCache = new ByteMap(8 << 20);
  private readonly mlCache = new ByteMap(32 << 20);
  private readonly keyScratch = Buffer.alloc(8192);

  /** Index of the '<' ending the plain text run from i (no comment/CDATA/PI follows, ≤ 4 KiB), else -1. */
  private runEnd(b: Buffer, i: number, e: number): number {
    const max = Math.min(e, i + 4096);
    let k = i;
    while (k < max && b[k] !== LT) k++;
    if (k >= max) return -1;
    const n = b[k + 1];
    return n === BANG || n === QMARK ? -1 : k;
  }

  /** Interns the one-line text starting at i (bytes fast path when simple, else a cached decode). */
  private textMessage(b: Buffer, i: number, e: number): number {
    const z = simpleTextEnd(b, i, e);
    if (z >= 0) return this.pools.message.internBytes(b, i, z);
    const r = this.runEnd(b, i, e);
    if (r >= 0) { const hit = this.msgCache.get(b, i, r); if (hit >= 0) return hit; }
    const before = this.invalid;
    this.invalid = false;
    const refs = entityStats.invalidRefs;
    const id = this.pools.message.intern(this.msg(textValue(b, i, e)));
    const bad = this.invalid || entityStats.invalidRefs !== refs;
    this.invalid = before || bad;
    if (r >= 0 && !bad) this.msgCache.setAfterMiss(b, i, r, id);
    return id;
  }

  /** Activity name id from the ActivityName text at i. */
  private nameFrom(b: Buffer, i: number, e: number): number {
    const r = this.runEnd(b, i, e);
    if (r >= 0) { const hit = this.nameCache.get(b, i, r); if (hit >= 0) return hit; }
    const name = oneLine(textValue(b, i, e));
    const id = name ? this.pools.names.intern(name) : 0;
    if (r >= 0) this.nameCache.setAfterMiss(b, i, r, id);
    return id;
  }

  /** Attributes of System children (the only ones read on the hot path). */
  private attr(b: Buffer, an: number, ae: number, vs: number, ve: number): void {
    const sc = this.sc!;
    const pools = this.pools;
    let ls = an;
    for (let k = an; k < ae; k++) if (b[k] === COLON) ls = k + 1;
    const elemLen = this.nameE - this.localS;
    const len = ae - ls;
    switch (len) {
      case 4:
        if (eqName(b, ls, ae, N_Name)) {
          if (elemLen === 7 && eqName(b, this.localS, this.nameE, N_SubType)) {
            this.lastSubtype = subtypeOf(b, vs, ve);
          } else if (elemLen === 6 && eqName(b, this.localS, this.nameE, N_Source)) {
            sc.source = pools.source.internBytes(b, vs, ve);
          }
        }
        break;
      case 10:
        if (eqName(b, ls, ae, N_SystemTime)) {
          const t = this.t;
          parseTimeBytes(b, vs, ve, t);
          sc.ms = t.ms; sc.ticks = t.ticks; sc.tz = t.tz; sc.digits = t.digits;
          if (t.digits === 255) sc.rawTime = decodeEntities(utf8(b, vs, ve));
        } else if (eqName(b, ls, ae, N_ActivityID)) sc.activity = pools.activity.internBytes(b, vs, ve);
        break;
      case 17:
        if (eqName(b, ls, ae, N_RelatedActivityID)) sc.related = pools.activity.internBytes(b, vs, ve);
        break;
      case 11:
        if (eqName(b, ls, ae, N_ProcessName)) sc.process = pools.process.internBytes(b, vs, ve);
        break;
      case 9:
        if (eqName(b, ls, ae, N_ProcessID)) {
          let v = 0; for (let k = vs; k < ve; k++) { const d = b[k] - 48; if (d < 0 || d > 9) break; v = v * 10 + d; }
          sc.processId = v > 0xffffffff ? 0xffffffff : v;
        }
        break;
      case 8:
        if (eqName(b, ls, ae, N_ThreadID)) sc.thread = pools.thread.internBytes(b, vs, ve);
        break;
      default:
        break;
    }
  }

  /**
   * Scans a start tag whose name begins at i (just after '<'). Sets nameS/nameE/localS/tagEnd/selfClosing and calls
   * attr() for System-block attributes when `withAttrs`. Returns false when the tag is not well-formed.
   */
  private scanTag(b: Buffer, i: number, e: number, withAttrs = true): boolean {
    const ns = i;
    let ls = i;
    while (i < e) {
      const c = b[i];
      if (isNameEnd(c)) break;
      if (c === COLON) ls = i + 1;
      else if (c === LT || c === QUOT || c === APOS) { this.bad = true; return false; }
      i++;
    }
    this.nameS = ns; this.nameE = i; this.localS = ls;
    if (i === ns) { this.bad = true; return false; }
    for (;;) {
      while (i < e && isWs(b[i])) i++;
      if (i >= e) { this.bad = true; return false; }
      const c = b[i];
      if (c === GT) { this.tagEnd = i + 1; this.selfClosing = false; return true; }
      if (c === SLASH) {
        if (b[i + 1] !== GT) { this.bad = true; return false; }
        this.tagEnd = i + 2; this.selfClosing = true; return true;
      }
      const an = i;
      while (i < e && !isNameEnd(b[i])) {
        const d = b[i];
        if (d === LT || d === QUOT || d === APOS) { this.bad = true; return false; }
        i++;
      }
      const ae = i;
      while (i < e && isWs(b[i])) i++;
      if (b[i] !== EQ || ae === an) { this.bad = true; return false; }
      i++;
      while (i < e && isWs(b[i])) i++;
      const q = b[i];
      if (q !== QUOT && q !== APOS) { this.bad = true; return false; }
      const vs = i + 1;
      let ve = vs;
      while (ve < e && b[ve] !== q) { if (b[ve] === LT) { this.bad = true; return false; } ve++; }
      if (ve >= e) { this.bad = true; return false; }
      if (withAttrs) this.attr(b, an, ae, vs, ve);
      i = ve + 1;
      if (i < e && !isWs(b[i]) && b[i] !== GT && b[i] !== SLASH) { this.bad = true; return false; }
    }
  }

  private skipSpecial(b: Buffer, lt: number, e: number): number {
    let end: number;
    if (b[lt + 1] === QMARK) end = indexIn(b, '?>', lt + 2, e, 2);
    else if (b[lt + 2] === 45 && b[lt + 3] === 45) end = indexIn(b, '-->', lt + 4, e, 3);
    else if (eqName(b, lt + 2, lt + 9, N_CDATA)) end = indexIn(b, ']]>', lt + 9, e, 3);
    else { this.bad = true; end = indexIn(b, '>', lt + 2, e, 1); } // DOCTYPE and other declarations are never read
    if (end < 0) { this.bad = true; return e; }
    return end;
  }

  /** Message (and activity name for Start) from the ApplicationData content starting at i. */
  private readApplicationData(b: Buffer, i: number, e: number, sc: EventScratch, subtype: number): void {
    const pools = this.pools;
    let q = i;
    while (q < e && isWs(b[q])) q++;
    if (q >= e) return;
    if (b[q] !== LT || b[q + 1] === BANG) {
      sc.message = this.textMessage(b, i, e);
      if (subtype === TraceLevel.Start && sc.message !== 0) sc.name = pools.names.intern(pools.message.get(sc.message));
      return;
    }
    if (b[q + 1] === SLASH || b[q + 1] === QMARK) return;
    // Stock shapes first: TraceData/DataItem/TraceRecord and TraceData/DataItem/MessageLogTraceRecord.
    let kind = 0; // 1 TraceRecord, 2 MessageLogTraceRecord
    let after = 0;
    const dv = this.dvBuf === b ? this.dv : (this.dvBuf = b, this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength));
    if (litW(dv, b, q, e, L_TD_TR)) {
      const k = quoteEnd(b, q + L_TD_TR.length, e);
      if (k >= 0 && b[k + 1] === GT) { kind = 1; after = k + 2; this.selfClosing = false; }
    } else if (litW(dv, b, q, e, L_TD_ML)) {
      if (this.scanTag(b, q + L_TD_ML.length - 22, e, false)) { kind = 2; after = this.tagEnd; }
      else return;
    }
    if (kind === 0) {
      if (!this.scanTag(b, q + 1, e, false)) return;
      let ls = this.localS, ne = this.nameE;
      after = this.tagEnd;
      if (eqName(b, ls, ne, N_TraceData)) {
        if (this.selfClosing) return;
        const di = this.nextStartTag(b, after, e);
        if (di < 0 || !this.scanTag(b, di + 1, e, false) || !eqName(b, this.localS, this.nameE, N_DataItem) || this.selfClosing) return;
        after = this.tagEnd;
        let k = after;
        while (k < e && isWs(b[k])) k++;
        if (b[k] !== LT || b[k + 1] === BANG) {
          sc.message = this.textMessage(b, after, e);
          if (subtype === TraceLevel.Start && sc.message !== 0) sc.name = pools.names.intern(pools.message.get(sc.message));
          return;
        }
        if (b[k + 1] === SLASH || !this.scanTag(b, k + 1, e, false)) return;
        ls = this.localS; ne = this.nameE; after = this.tagEnd;
      }
      kind = eqName(b, ls, ne, N_TraceRecord) ? 1 : eqName(b, ls, ne, N_MessageLogTraceRecord) ? 2 : 0;
    }
    if (kind === 1) {
      if (this.selfClosing) return;
      let d = -1;
      if (lit(b, after, e, L_TRACEID)) {
        // Stock order: TraceIdentifier (text only) then Description.
        let k = after + L_TRACEID.length;
        while (k < e && b[k] !== LT) k++;
        if (lit(b, k, e, L_DESC)) { d = k; this.tagEnd = k + L_DESC.length; this.selfClosing = false; }
      }
      if (d < 0) d = this.findChildTag(b, after, e, N_Description, N_TraceRecord);
      if (d >= 0 && !this.selfClosing) sc.message = this.textMessage(b, this.tagEnd, e);
      if (subtype === TraceLevel.Start) {
        const a = this.findChildTag(b, d >= 0 ? this.tagEnd : after, e, N_ActivityName, N_TraceRecord);
        if (a >= 0 && !this.selfClosing) sc.name = this.nameFrom(b, this.tagEnd, e);
      }
    } else if (kind === 2) {
      // Source attribute of the record: scan the attributes again for it.
      const recSelfClosing = this.selfClosing;
      const source = this.attrValue(b, this.nameS, e, N_Source);
      const srcS = this.attrS, srcE = this.attrE;
      let action = '';
      let keyLen = -1;
      if (!recSelfClosing) {
        const view = this.view ?? (this.view = b.subarray(0, e));
        const a = this.findElementByName(view, after, e, N_Action);
        if (a >= 0 && !this.selfClosing) {
          // Cache on (Source attribute bytes, Action text bytes).
          const r = this.runEnd(b, this.tagEnd, e);
          const n1 = srcE - srcS, n2 = r - this.tagEnd;
          if (r >= 0 && srcS >= 0 && n1 + n2 + 1 <= this.keyScratch.length) {
            const key = this.keyScratch;
            b.copy(key, 0, srcS, srcE);
            key[n1] = 0;
            b.copy(key, n1 + 1, this.tagEnd, r);
            keyLen = n1 + n2 + 1;
            const hit = this.mlCache.get(key, 0, keyLen);
            if (hit >= 0) { sc.message = hit; return; }
          }
          action = textValue(b, this.tagEnd, e).trim();
        }
        if (!action) {
          const body = this.findElementByName(view, after, e, N_Body);
          if (body >= 0 && !this.selfClosing) {
            const c = this.nextStartTag(b, this.tagEnd, e);
            if (c >= 0 && this.scanTag(b, c + 1, e, false)) action = utf8(b, this.localS, this.nameE);
          }
        }
        if (!action) {
          const m = this.findElementByName(view, after, e, N_Method);
          if (m >= 0 && !this.selfClosing) action = textValue(b, this.tagEnd, e).trim();
        }
      }
      const before = this.invalid;
      this.invalid = false;
      const refs = entityStats.invalidRefs;
      sc.message = pools.message.intern(this.msg(action ? `${source} ${action}` : source));
      const bad = this.invalid || entityStats.invalidRefs !== refs;
      this.invalid = before || bad;
      if (keyLen >= 0 && !bad) this.mlCache.setAfterMiss(this.keyScratch, 0, keyLen, sc.message);
    }
  }

  private msg(text: string): string {
    if (INVALID_XML_CHARS.test(text)) this.invalid = true;
    return oneLine(text);
  }

  /** Raw value range of the last attrValue() hit (-1 when not found). */
  private attrS = -1;
  private attrE = -1;

  /** Value of attribute `name` (local name) on the start tag whose name begins at nameS. */
  private attrValue(b: Buffer, nameS: number, e: number, name: Uint8Array): string {
    this.attrS = -1; this.attrE = -1;
    let i = nameS;
    while (i < e && !isNameEnd(b[i])) i++;
    for (;;) {
      while (i < e && isWs(b[i])) i++;
      if (i >= e || b[i] === GT || b[i] === SLASH) return '';
      const an = i;
      while (i < e && !isNameEnd(b[i])) i++;
      const ae = i;
      while (i < e && b[i] !== QUOT && b[i] !== APOS) i++;
      const q = b[i];
      const vs = i + 1;
      let ve = vs;
      while (ve < e && b[ve] !== q) ve++;
      let ls = an;
      for (let k = an; k < ae; k++) if (b[k] === COLON) ls = k + 1;
      if (eqName(b, ls, ae, name)) { this.attrS = vs; this.attrE = ve; return decodeEntities(utf8(b, vs, ve)); }
      i = ve + 1;
    }
  }

  /** Index of the next start tag's '<' from i (skipping text, comments, PIs); -1 at an end tag or the end. */
  private nextStartTag(b: Buffer, i: number, e: number): number {
    for (;;) {
      let lt = i;
      while (lt < e && b[lt] !== LT) lt++;
      if (lt >= e) return -1;
      const c = b[lt + 1];
      if (c === SLASH) return -1;
      if (c === BANG || c === QMARK) { i = this.skipSpecial(b, lt, e); continue; }
      return lt;
    }
  }

  /** First start tag with local name `want` before the end tag of `stop`; scanTag state is left on it. */
  private findChildTag(b: Buffer, i: number, e: number, want: Uint8Array, stop: Uint8Array): number {
    for (;;) {
      let lt = i;
      while (lt < e && b[lt] !== LT) lt++;
      if (lt >= e) return -1;
      const c = b[lt + 1];
      if (c === SLASH) {
        let j = lt + 2; while (j < e && !isNameEnd(b[j])) j++;
        let ls = lt + 2; for (let k = lt + 2; k < j; k++) if (b[k] === COLON) ls = k + 1;
        if (eqName(b, ls, j, stop)) return -1;
        i = j;
        continue;
      }
      if (c === BANG || c === QMARK) { i = this.skipSpecial(b, lt, e); continue; }
      if (!this.scanTag(b, lt + 1, e, false)) return -1;
      if (eqName(b, this.localS, this.nameE, want)) return lt;
      i = this.tagEnd;
    }
  }

  /** First start tag (document order, from i) whose local name is `name`, found with indexOf; scanTag state is left on it. */
  private findElementByName(view: Buffer, i: number, e: number, name: Uint8Array): number {
    let h = view.indexOf(name, i);
    while (h >= 0 && h < e) {
      const after = view[h + name.length];
      if (after !== undefined && isNameEnd(after) && after !== EQ) {
        let p = h - 1;
        if (view[p] === COLON) { p--; while (p > i && isNameChar(view[p])) p--; }
        if (view[p] === LT && this.scanTag(view, p + 1, e, false)) return p;
      }
      h = view.indexOf(name, h + 1);
    }
    return -1;
  }
}

function indexIn(b: Buffer, pat: string, from: number, e: number, add: number): number {
  const k = b.indexOf(pat, from, 'latin1');
  return k < 0 || k + add > e ? -1 : k + add;
}
