// The hot path: a streaming decoder over bytes. It finds `<E2ETraceEvent …>…</E2ETraceEvent>` boundaries with
// Buffer.indexOf, has each event's list fields read by the EventFieldReader (fieldReader.ts: a hand-written tag
// scanner, no DOM, no string per field for repeated values) and writes them into a columnar TraceStore. Anything it
// cannot read becomes a damage range.

import { COLON, EMPTY_DV, EventFieldReader, GT, KEY_LOCAL, L_XMLNS_E2E, LT, SLASH, isNameChar, isNameEnd, isWs, litW } from './fieldReader';
import { FLAG_DAMAGED, TracePools, TraceStore, newScratch } from './store';
import { type DamageRange, type DamageReason, type TextEncodingName } from './types';

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

export { levelFromNumber } from './fieldReader';

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
 * End (exclusive) of a markup declaration starting at b[i] === '<' within [i, z): `<!DOCTYPE …>` (an internal subset in
 * brackets included), `<?…?>` or `<!--…-->`; -1 when there is none complete.
 */
function declarationEnd(b: Uint8Array, i: number, z: number): number {
  const at = (k: number, text: string): boolean => { for (let j = 0; j < text.length; j++) if (b[k + j] !== text.charCodeAt(j)) return false; return true; };
  const find = (text: string, from: number): number => { for (let k = from; k + text.length <= z; k++) if (at(k, text)) return k + text.length; return -1; };
  if (at(i, '<!--')) return find('-->', i + 4);
  if (at(i, '<?')) return find('?>', i + 2);
  if (at(i, '<!DOCTYPE') || at(i, '<!doctype')) {
    let depth = 0;
    for (let k = i + 9; k < z; k++) {
      const c = b[k];
      if (c === 91) depth++; // [
      else if (c === 93) depth = Math.max(0, depth - 1); // ]
      else if (c === GT && depth === 0) return k + 1;
    }
  }
  return -1;
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

  /** The element name events use (`E2ETraceEvent` or `prefix:E2ETraceEvent`), as sniffed or resumed. */
  get eventQName(): string {
    return this.qname;
  }

  /**
   * Parallel decoding: the file goes on with an event start at the current offset (another decoder reads from there).
   * What is pending is settled as at end of file (an unfinished event is `truncated` up to here, as the next start would
   * make it), without the whole-file rules of end() (not-a-trace) and without ending the decoder.
   */
  endRange(): void {
    if (this.ended || this.carryLen === 0) { this.tail = undefined; return; }
    const buf = Buffer.concat(this.carry);
    const cb = this.carryBase;
    this.carry = []; this.carryLen = 0;
    this.process(buf, cb, true);
    this.tail = undefined;
  }

  /** Parallel decoding: damage found by the decoder of a later range, appended in file order. */
  appendDamage(ranges: readonly DamageRange[]): void {
    for (const d of ranges) this.damageList.push({ start: d.start, end: d.end, reason: d.reason, file: this.file });
  }

  /**
   * Index in b (file offset `base`) of the first event start signature at or after `from`, whose following character is
   * in b; -1 if there is none (a signature cut by the end of b counts as none: read on from it).
   */
  nextEventStart(b: Buffer, base: number, from: number): number {
    if (this.encoding === undefined) throw new Error('nextEventStart before the encoding is known');
    const i = this.findStart(b, from, base);
    return i < 0 || i + this.startSig.length + this.unit > b.length ? -1 : i;
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
    // Drop the decode caches (raw bytes → ids, strings → ids); they only speed up decoding.
    this.reader = new EventFieldReader(this.store.pools);
    this.store.pools.release();
    if (this.store.count === 0 && this.fed > 0 && this.damageList.length > 0 && this.damageList.every((d) => d.reason === 'garbage' || d.reason === 'declaration')) {
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
        // <!DOCTYPE …>, <?xml …?>, <!-- … --> between events: an ignored declaration, not stray bytes.
        const decl = c === LT ? declarationEnd(b, i, z) : -1;
        if (decl > 0) {
          if (bad >= 0) { this.addDamage(base + bad, base + lastBad, 'garbage'); bad = -1; }
          this.addDamage(base + i, base + decl, 'declaration');
          i = decl - 1;
          continue;
        }
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

/**
 * What a decoder learns from a file's first bytes: the encoding, the BOM length and the events' element name
 * (undefined when no event start is in `head`).
 */
export function sniffTrace(head: Uint8Array): { encoding: TextEncodingName; bom: number; qname: string | undefined } {
  const buf = Buffer.isBuffer(head) ? head : Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const { encoding, bom } = sniff(buf);
  const part = buf.subarray(0, 1 << 20);
  const qname = encoding === 'utf-8' ? detectQName(part) : detectQName(toUtf8(part.subarray(bom), encoding));
  return { encoding, bom, qname };
}

/** Sniffs the text encoding of a file from its first bytes. */
export function sniffEncoding(head: Uint8Array): { encoding: TextEncodingName; bom: number } {
  return sniff(head);
}

