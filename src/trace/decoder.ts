// The hot path: a streaming decoder over bytes. It finds `<E2ETraceEvent …>…</E2ETraceEvent>` boundaries with
// Buffer.indexOf, reads the list fields of each event with a hand-written tag scanner (no DOM, no string per field
// for repeated values) and writes them into a columnar TraceStore. Anything it cannot read becomes a damage range.

import { ByteMap } from './pool';
import { FLAG_DAMAGED, TracePools, TraceStore, newScratch, type EventScratch } from './store';
import { entityStats, decodeEntities, INVALID_XML_CHARS, MESSAGE_MAX, oneLine } from './text';
import { parseTimeBytes, type ParsedTime } from './time';
import { TraceLevel, type DamageRange, type DamageReason, type TextEncodingName } from './types';

export interface DecoderOptions {
  /** Store to append to (a new one over `pools` otherwise). */
  readonly store?: TraceStore;
  readonly pools?: TracePools;
  /** File index recorded in damage ranges. */
  readonly file?: number;
  /** Largest event accepted (bytes, default 1 GiB); a larger one becomes a `too-large` damage range. */
  readonly maxEventBytes?: number;
  /**
   * Optional full well-formedness check per event (e.g. `checkWellFormed` from ./xml). Returns a reason when the
   * event is damaged. Off by default: the fast path only checks the markup it reads.
   */
  readonly validate?: (eventUtf8: Uint8Array) => DamageReason | undefined;
  /** Continue a file from a byte offset (after a previous decoder ended), with what that decoder learned. */
  readonly resume?: ResumeState;
}

export interface ResumeState {
  readonly offset: number;
  readonly encoding: TextEncodingName;
  readonly bom: number;
  readonly qname: string;
  readonly damage: readonly DamageRange[];
}

const LT = 60, GT = 62, SLASH = 47, EQ = 61, QUOT = 34, APOS = 39, COLON = 58, BANG = 33, QMARK = 63, AMP = 38;

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
const L_XMLNS_E2E = mkLit(' xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"');
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

function litW(dv: DataView, b: Uint8Array, i: number, e: number, l: Lit): boolean {
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

const KEY_LOCAL = Buffer.from('E2ETraceEvent', 'latin1');
const EMPTY_DV = new DataView(new ArrayBuffer(0));

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

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isNameEnd(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === GT || c === SLASH || c === EQ;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46 || c >= 0x80;
}

function eqName(b: Uint8Array, s: number, e: number, lit: Uint8Array): boolean {
  const n = lit.length;
  if (e - s !== n) return false;
  for (let i = 0; i < n; i++) if (b[s + i] !== lit[i]) return false;
  return true;
}

const utf8 = (b: Uint8Array, s: number, e: number): string => Buffer.prototype.utf8Slice.call(b, s, e) as string;

function sniff(b: Uint8Array): { encoding: TextEncodingName; bom: number } {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  if (b.length >= 4 && b[0] === LT && b[1] === 0 && b[2] !== 0 && b[3] === 0) return { encoding: 'utf-16le', bom: 0 };
  if (b.length >= 4 && b[0] === 0 && b[1] === LT && b[2] === 0 && b[3] !== 0) return { encoding: 'utf-16be', bom: 0 };
  return { encoding: 'utf-8', bom: 0 };
}

function encodeAs(text: string, encoding: TextEncodingName): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const b = Buffer.from(text, 'utf16le');
  return encoding === 'utf-16be' ? b.swap16() : b;
}

/** Converts one event's bytes to UTF-8 (a no-op view for UTF-8 files). */
export function toUtf8(bytes: Uint8Array, encoding: TextEncodingName): Buffer {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding === 'utf-8') return buf;
  const copy = Buffer.from(buf.subarray(0, buf.length & ~1));
  if (encoding === 'utf-16be') copy.swap16();
  return Buffer.from(copy.toString('utf16le'), 'utf8');
}

/**
 * Finds the element qualified name used for events (`E2ETraceEvent` or `prefix:E2ETraceEvent`) in a UTF-8 prefix of
 * a file.
 */
function detectQName(b: Buffer): string | undefined {
  const key = Buffer.from('E2ETraceEvent', 'latin1');
  let i = b.indexOf(key);
  while (i >= 0) {
    const after = b[i + key.length];
    if (i > 0 && (after === undefined || isNameEnd(after))) {
      if (b[i - 1] === LT) return 'E2ETraceEvent';
      if (b[i - 1] === COLON) {
        let p = i - 2;
        while (p >= 0 && isNameChar(b[p])) p--;
        if (p >= 0 && b[p] === LT && p < i - 2) return `${b.toString('latin1', p + 1, i - 1)}:E2ETraceEvent`;
      }
    }
    i = b.indexOf(key, i + 1);
  }
  return undefined;
}

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

/**
 * Streaming decoder for one file. Feed chunks in file order with push(); call end() at end of file (or keep pushing
 * when following a growing file). Events go into `store`; unreadable ranges into `damage`.
 */
export class TraceDecoder {
  readonly store: TraceStore;
  readonly file: number;
  encoding: TextEncodingName | undefined;
  /** Bytes of the BOM at the start of the file. */
  bom = 0;
  private reader: EventFieldReader;
  private readonly sc = newScratch();
  private readonly maxEventBytes: number;
  private readonly validate: DecoderOptions['validate'];
  private startSig: Buffer = Buffer.alloc(0);
  private endSig: Buffer = Buffer.alloc(0);
  private unit = 1;
  private fed = 0;
  private carry: Buffer[] = [];
  private carryLen = 0;
  private carryBase = 0;
  private carryIsEvent = false;
  private readonly damageList: DamageRange[] = [];
  private tail: DamageRange | undefined;
  private ended = false;
  private qnameKnown = false;

  constructor(options: DecoderOptions = {}) {
    this.store = options.store ?? new TraceStore(options.pools ?? new TracePools());
    this.file = options.file ?? 0;
    this.maxEventBytes = options.maxEventBytes ?? 1024 * 1024 * 1024;
    this.validate = options.validate;
    this.reader = new EventFieldReader(this.store.pools);
    const r = options.resume;
    if (r) {
      this.encoding = r.encoding;
      this.bom = r.bom;
      this.unit = r.encoding === 'utf-8' ? 1 : 2;
      this.fed = r.offset;
      this.qnameKnown = true;
      this.setQName(r.qname);
      this.damageList.push(...r.damage);
    }
  }

  /** State to continue this file after end(): from the end of the last complete event. */
  resumeState(): ResumeState {
    const s = this.store;
    const offset = s.count > 0 ? s.offset[s.count - 1] + s.length[s.count - 1] : this.bom;
    return {
      offset, encoding: this.encoding ?? 'utf-8', bom: this.bom, qname: this.qname,
      damage: this.damageList.filter((d) => d.end <= offset),
    };
  }

  /** Bytes consumed so far (the file offset the next chunk starts at). */
  get bytesFed(): number {
    return this.fed;
  }

  /** File offset just after the last complete event or checked gap: decoding can resume from here. */
  get safeOffset(): number {
    return this.carryLen > 0 ? this.carryBase : this.fed;
  }

  /** Damaged ranges so far, including a provisional one for an unfinished trailing event. */
  get damage(): readonly DamageRange[] {
    return this.tail ? [...this.damageList, this.tail] : this.damageList;
  }

  get done(): boolean {
    return this.ended;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('TraceDecoder.push after end()');
    if (chunk.length === 0) return;
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.encoding === undefined) {
      const head = this.carryLen ? Buffer.concat([...this.carry, buf]) : buf;
      if (head.length < 4 && this.fed + buf.length < 4) {
        this.carry = [head]; this.carryLen = head.length; this.carryBase = 0; this.fed += buf.length;
        return;
      }
      this.fed += buf.length;
      this.carry = []; this.carryLen = 0;
      this.begin(head);
      this.process(head, 0, false);
      return;
    }
    const base = this.fed;
    this.fed += buf.length;
    if (this.carryLen === 0) {
      this.process(buf, base, false);
      return;
    }
    if (this.carryIsEvent && this.carryLen > 65536) {
      // A long event in progress: only look at the new bytes (plus an overlap) for its end or a new start.
      const last = this.carry[this.carry.length - 1];
      const overlap = Math.min(last.length, this.endSig.length + 4);
      const probe = Buffer.concat([last.subarray(last.length - overlap), buf]);
      if (probe.indexOf(this.endSig) < 0 && probe.indexOf(this.startSig) < 0) {
        this.carry.push(Buffer.from(buf));
        this.carryLen += buf.length;
        if (this.carryLen > this.maxEventBytes) {
          this.addDamage(this.carryBase, this.carryBase + this.carryLen, 'too-large');
          this.carry = []; this.carryLen = 0; this.carryIsEvent = false; this.tail = undefined;
          this.skipping = true;
        } else {
          this.tail = { start: this.carryBase, end: this.fed, reason: 'truncated', file: this.file };
        }
        return;
      }
    }
    // Join the carried partial event only with the head of the new chunk (up to the first end tag), then process
    // the rest of the chunk in place: no copy of the whole chunk.
    const k = buf.indexOf(this.endSig);
    if (k >= 0) {
      let j = k + this.endSig.length;
      let c = this.unitAt(buf, j);
      while (c === 32 || c === 9 || c === 10 || c === 13) { j += this.unit; c = this.unitAt(buf, j); }
      if (c === GT) {
        j += this.unit;
        const head = Buffer.concat([...this.carry, buf.subarray(0, j)]);
        const cb = this.carryBase;
        this.carry = []; this.carryLen = 0;
        this.process(head, cb, false);
        if (this.carryLen === 0) {
          this.process(buf, base, false, j);
          return;
        }
        const rest = Buffer.concat([...this.carry, buf.subarray(j)]);
        const cb2 = this.carryBase;
        this.carry = []; this.carryLen = 0;
        this.process(rest, cb2, false);
        return;
      }
    }
    buf = Buffer.concat([...this.carry, buf]);
    const cb = this.carryBase;
    this.carry = []; this.carryLen = 0;
    this.process(buf, cb, false);
  }

  /** End of file: whatever is pending becomes damage. */
  end(): void {
    if (this.ended) return;
    if (this.encoding === undefined) {
      const head = this.carryLen ? Buffer.concat(this.carry) : Buffer.alloc(0);
      this.carry = []; this.carryLen = 0;
      if (head.length > 0) { this.begin(head); this.process(head, 0, true); }
    } else if (this.carryLen > 0) {
      const buf = Buffer.concat(this.carry);
      const cb = this.carryBase;
      this.carry = []; this.carryLen = 0;
      this.process(buf, cb, true);
    }
    this.tail = undefined;
    this.ended = true;
    // Drop the decode caches (raw bytes → ids); they only speed up decoding.
    this.reader = new EventFieldReader(this.store.pools);
    if (this.store.count === 0 && this.fed > 0 && this.damageList.length > 0 && this.damageList.every((d) => d.reason === 'garbage')) {
      this.damageList.length = 0;
      this.damageList.push({ start: 0, end: this.fed, reason: 'not-a-trace', file: this.file });
    }
    this.store.trim();
  }

  /** After a too-large event: bytes up to the next event start are part of it, not garbage. */
  private skipping = false;

  private begin(head: Buffer): void {
    const { encoding, bom } = sniff(head);
    this.encoding = encoding;
    this.bom = bom;
    this.unit = encoding === 'utf-8' ? 1 : 2;
    let qname = 'E2ETraceEvent';
    if (encoding === 'utf-8') {
      const q = detectQName(head.subarray(0, 1 << 20));
      if (q) { qname = q; this.qnameKnown = true; }
    } else {
      const q = detectQName(toUtf8(head.subarray(bom, Math.min(head.length, 1 << 20)), encoding));
      if (q) { qname = q; this.qnameKnown = true; }
    }
    this.setQName(qname);
  }

  private qname = 'E2ETraceEvent';

  /** `prefix:` of the event element's name (empty when unprefixed), as bytes. */
  private prefix: Buffer = Buffer.alloc(0);

  private setQName(qname: string): void {
    this.qname = qname;
    this.prefix = Buffer.from(qname.slice(0, qname.length - 'E2ETraceEvent'.length), 'latin1');
    this.startSig = encodeAs(`<${qname}`, this.encoding!);
    this.endSig = encodeAs(`</${qname}`, this.encoding!);
  }

  private addDamage(start: number, end: number, reason: DamageReason): void {
    if (end <= start) return;
    const last = this.damageList[this.damageList.length - 1];
    if (last && last.reason === reason && last.end === start && reason === 'garbage') {
      this.damageList[this.damageList.length - 1] = { start: last.start, end, reason, file: this.file };
      return;
    }
    this.damageList.push({ start, end, reason, file: this.file });
  }

  /** Code unit at byte i (1 or 2 bytes), or -1 beyond the buffer. */
  private unitAt(b: Buffer, i: number): number {
    if (this.unit === 1) return i < b.length ? b[i] : -1;
    if (i + 1 >= b.length) return -1;
    return this.encoding === 'utf-16le' ? b[i] | (b[i + 1] << 8) : (b[i] << 8) | b[i + 1];
  }

  private findStart(b: Buffer, from: number, base: number): number {
    const sig = this.startSig;
    // Stock files put the next event right after the previous one: check that before searching.
    if (this.unit === 1 && b[from] === LT && from + sig.length < b.length) {
      let k = 1;
      while (k < sig.length && b[from + k] === sig[k]) k++;
      if (k === sig.length) {
        const c = b[from + k];
        if (c === 32 || c === 9 || c === 10 || c === 13 || c === GT || c === SLASH) return from;
      }
    }
    let i = b.indexOf(sig, from);
    while (i >= 0) {
      if (this.unit === 2 && ((base + i - this.bom) & 1) !== 0) { i = b.indexOf(sig, i + 1); continue; }
      const c = this.unitAt(b, i + sig.length);
      if (c === -1) return i; // caller treats a signature at the very end as a possible start
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === GT || c === SLASH) return i;
      i = b.indexOf(sig, i + 1);
    }
    return -1;
  }

  /** Index just after the end tag's '>' of the event starting at st, or -1 if not in the buffer. */
  private findEnd(b: Buffer, from: number, base: number): number {
    const sig = this.endSig;
    const u = this.unit;
    let i = b.indexOf(sig, from);
    while (i >= 0) {
      if (u === 2 && ((base + i - this.bom) & 1) !== 0) { i = b.indexOf(sig, i + 1); continue; }
      let j = i + sig.length;
      let c = this.unitAt(b, j);
      while (c === 32 || c === 9 || c === 10 || c === 13) { j += u; c = this.unitAt(b, j); }
      if (c === GT) return j + u;
      if (c === -1) return -1;
      i = b.indexOf(sig, i + 1);
    }
    return -1;
  }

  private scanEnd = -1;
  private scanNested = -1;
  private procBuf: Buffer | undefined;
  private procDv: DataView = EMPTY_DV;

  /**
   * UTF-8 only: searches the local name `E2ETraceEvent` from i. Sets scanEnd to the index after the '>' of the first
   * end tag, or scanNested to the '<' of a start tag met first (each -1 when not in the buffer).
   */
  private scanUtf8(b: Buffer, i: number): void {
    const key = KEY_LOCAL;
    const pre = this.prefix;
    const pl = pre.length;
    this.scanEnd = -1;
    this.scanNested = -1;
    if (pl === 0 && i + L_XMLNS_E2E.length < b.length) {
      if (this.procBuf !== b) { this.procBuf = b; this.procDv = new DataView(b.buffer, b.byteOffset, b.byteLength); }
      if (litW(this.procDv, b, i, b.length, L_XMLNS_E2E)) i += L_XMLNS_E2E.length;
    }
    let h = b.indexOf(key, i);
    while (h >= 0) {
      const p = h - pl;
      let prefixOk = p >= i - 1;
      for (let k = 0; k < pl && prefixOk; k++) if (b[p + k] !== pre[k]) prefixOk = false;
      if (prefixOk) {
        const after = h + key.length;
        if (b[p - 1] === LT) {
          const c = b[after];
          if (c === undefined) { this.scanNested = p - 1; return; }
          if (c === 32 || c === 9 || c === 10 || c === 13 || c === GT || c === SLASH) { this.scanNested = p - 1; return; }
        } else if (b[p - 1] === SLASH && b[p - 2] === LT) {
          let j = after;
          while (j < b.length && isWs(b[j])) j++;
          if (j >= b.length) return;
          if (b[j] === GT) { this.scanEnd = j + 1; return; }
        }
      }
      h = b.indexOf(key, h + 1);
    }
  }

  /** Bytes [a, z) between events: whitespace and BOMs are fine, anything else is garbage. */
  private gap(b: Buffer, base: number, a: number, z: number): void {
    if (z <= a) return;
    if (this.skipping) return;
    let bad = -1;
    let lastBad = -1;
    if (this.unit === 1) {
      for (let i = a; i < z; i++) {
        const c = b[i];
        if (c === 32 || c === 10 || c === 13 || c === 9) continue;
        if (c === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf && i + 2 < z) { i += 2; continue; }
        if (bad < 0) bad = i;
        lastBad = i + 1;
      }
    } else {
      for (let i = a; i + 1 < z; i += 2) {
        const c = this.unitAt(b, i);
        if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) continue;
        if (bad < 0) bad = i;
        lastBad = i + 2;
      }
      if ((z - a) & 1) { if (bad < 0) bad = z - 1; lastBad = z; }
    }
    if (bad >= 0) this.addDamage(base + bad, base + lastBad, 'garbage');
  }

  /** Decodes b (file offset `base`) from index `from`; keeps an unfinished tail as carry unless final. */
  private process(b: Buffer, base: number, final: boolean, from = 0): void {
    try {
      this.processInner(b, base, final, from);
    } finally {
      // Do not keep the caller's chunk alive between pushes.
      this.procBuf = undefined;
      this.procDv = EMPTY_DV;
      this.reader.release();
    }
  }

  private processInner(b: Buffer, base: number, final: boolean, from: number): void {
    const sigLen = this.startSig.length;
    if (!this.qnameKnown && this.store.count === 0 && this.encoding === 'utf-8') {
      const q = detectQName(b);
      if (q) { this.qnameKnown = true; this.setQName(q); }
    }
    let pos = from;
    if (base + pos < this.bom && b.length >= this.bom - base) pos = this.bom - base;
    const len = b.length;
    let st = this.findStart(b, pos, base);
    for (;;) {
      if (st < 0 || (!final && st + sigLen + this.unit > len)) {
        // No (complete) start signature: keep a tail that might hold a partial signature.
        if (final) {
          this.gap(b, base, pos, len);
          this.tail = undefined;
          return;
        }
        const keep = st >= 0 ? st : Math.max(pos, len - sigLen - this.unit);
        const keepAligned = this.unit === 2 && ((base + keep - this.bom) & 1) !== 0 ? keep - 1 : keep;
        const k = Math.max(pos, keepAligned);
        this.gap(b, base, pos, k);
        this.setCarry(b, k, base, false);
        return;
      }
      this.gap(b, base, pos, st);
      this.skipping = false;
      let en: number;
      let nx: number;
      if (this.unit === 1) {
        // One pass over the event for the local name: finds its end tag, or a new start first (truncated event).
        this.scanUtf8(b, st + sigLen);
        en = this.scanEnd;
        nx = this.scanNested;
      } else {
        en = this.findEnd(b, st + sigLen, base);
        nx = this.findStart(b, st + sigLen, base);
      }
      if (nx >= 0 && (en < 0 || nx < en)) {
        this.addDamage(base + st, base + nx, 'truncated');
        pos = nx;
        st = nx;
        continue;
      }
      if (en < 0) {
        if (final) {
          this.addDamage(base + st, base + len, 'truncated');
          this.tail = undefined;
          return;
        }
        if (len - st > this.maxEventBytes) {
          this.addDamage(base + st, base + len, 'too-large');
          this.skipping = true;
          this.tail = undefined;
          return;
        }
        this.setCarry(b, st, base, true);
        return;
      }
      if (en - st > this.maxEventBytes) this.addDamage(base + st, base + en, 'too-large');
      else this.decodeEvent(b, st, en, base);
      pos = en;
      st = this.unit === 1 ? this.findStart(b, en, base) : nx;
    }
  }

  private setCarry(b: Buffer, from: number, base: number, isEvent: boolean): void {
    if (from >= b.length) {
      this.carry = []; this.carryLen = 0; this.carryIsEvent = false; this.tail = undefined;
      return;
    }
    // Copy: the caller's chunk may be reused by the reader.
    this.carry = [Buffer.from(b.subarray(from))];
    this.carryLen = b.length - from;
    this.carryBase = base + from;
    this.carryIsEvent = isEvent;
    this.tail = isEvent ? { start: this.carryBase, end: base + b.length, reason: 'truncated', file: this.file } : undefined;
  }

  private decodeEvent(b: Buffer, st: number, en: number, base: number): void {
    const sc = this.sc;
    let src = b, s = st, e = en;
    if (this.unit === 2) {
      src = toUtf8(b.subarray(st, en), this.encoding!);
      s = 0; e = src.length;
    }
    let reason = this.reader.read(src, s, e, sc);
    if (this.validate && !reason) {
      reason = this.validate(src.subarray(s, e));
      if (reason) sc.flags |= FLAG_DAMAGED;
    }
    sc.offset = base + st;
    sc.length = en - st;
    this.store.push(sc);
    if (reason) this.addDamage(base + st, base + en, reason);
  }
}

/** Decodes a whole in-memory buffer (tests, small files). */
export function decodeBuffer(bytes: Uint8Array, options: DecoderOptions & { chunkSize?: number } = {}): TraceDecoder {
  const d = new TraceDecoder(options);
  const size = options.chunkSize ?? 1 << 20;
  for (let i = 0; i < bytes.length; i += size) d.push(bytes.subarray(i, Math.min(bytes.length, i + size)));
  d.end();
  return d;
}

/** Sniffs the text encoding of a file from its first bytes. */
export function sniffEncoding(head: Uint8Array): { encoding: TextEncodingName; bom: number } {
  return sniff(head);
}

