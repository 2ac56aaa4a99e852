// String interning for repeated values (sources, processes, computers, threads, activity ids, messages).
// The decoder looks values up straight from bytes (hash + byte compare), so the hot path creates no string for a
// value it has seen before. Id 0 is always the empty string.

import { PackedStrings, type StringTable } from './packedStrings';
import { decodeEntities } from './text';

const latin1 = (b: Uint8Array, s: number, e: number): string => Buffer.prototype.latin1Slice.call(b, s, e) as string;
const utf8 = (b: Uint8Array, s: number, e: number): string => Buffer.prototype.utf8Slice.call(b, s, e) as string;

/**
 * Bytes → small integer, without creating strings: open addressing over FNV-1a hashes, keys kept in one arena.
 * `limit` caps the arena (bytes); once full, new keys are not added (lookups still work).
 */
export class ByteMap {
  private table = new Int32Array(1024);
  private mask = 1023;
  private arena = new Uint8Array(16384);
  private arenaDv = new DataView(this.arena.buffer);
  private arenaLen = 0;
  private keyStart = new Int32Array(256);
  private keyLen = new Int32Array(256);
  private keyHash = new Int32Array(256);
  private keyVal = new Int32Array(256);
  private keys = 0;
  /** Slot of the last failed lookup (valid until the next call). */
  private lastSlot = 0;
  private lastHash = 0;

  /** `small`: start with tiny tables (a released cache that may never be used again). */
  constructor(private readonly limit = 64 << 20, small = false) {
    if (small) {
      this.table = new Int32Array(16); this.mask = 15; this.arena = new Uint8Array(64); this.arenaDv = new DataView(this.arena.buffer);
      this.keyStart = new Int32Array(4); this.keyLen = new Int32Array(4); this.keyHash = new Int32Array(4); this.keyVal = new Int32Array(4);
    }
  }

  /** Value for bytes [s, e), or -1. Hashes at most the first and last 16 bytes (and the length). */
  get(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 ^ (e - s);
    if (e - s <= 32) {
      for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
    } else {
      for (let i = s; i < s + 16; i++) h = Math.imul(h ^ b[i], 0x01000193);
      for (let i = e - 16; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
    }
    return this.getHashed(b, s, e, h);
  }

  /** Like get() with a hash the caller computed (use one hashing scheme per map). */
  getHashed(b: Uint8Array, s: number, e: number, h: number, dv?: DataView): number {
    const len = e - s;
    let slot = h & this.mask;
    const table = this.table;
    for (;;) {
      const k = table[slot];
      if (k === 0) break;
      const key = k - 1;
      if (this.keyHash[key] === h && this.keyLen[key] === len) {
        const ks = this.keyStart[key];
        const arena = this.arena;
        let i = 0;
        if (dv) {
          const adv = this.arenaDv;
          const wl = len & ~3;
          while (i < wl && adv.getInt32(ks + i, true) === dv.getInt32(s + i, true)) i += 4;
          if (i < wl) i = -1;
        }
        if (i >= 0) {
          while (i < len && arena[ks + i] === b[s + i]) i++;
          if (i === len) return this.keyVal[key];
        }
      }
      slot = (slot + 1) & this.mask;
    }
    this.lastSlot = slot;
    this.lastHash = h;
    return -1;
  }

  /** Adds bytes [s, e) → value (false when the arena is full); call right after a get() of the same bytes returned -1. */
  setAfterMiss(b: Uint8Array, s: number, e: number, value: number): boolean {
    const len = e - s;
    if (this.arenaLen + len > this.limit) return false;
    if (this.keys === this.keyStart.length) {
      const n = this.keys * 2;
      this.keyStart = grow32(this.keyStart, n);
      this.keyLen = grow32(this.keyLen, n);
      this.keyHash = grow32(this.keyHash, n);
      this.keyVal = grow32(this.keyVal, n);
    }
    if (this.arenaLen + len > this.arena.length) {
      const a = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLen + len));
      a.set(this.arena.subarray(0, this.arenaLen));
      this.arena = a;
      this.arenaDv = new DataView(a.buffer);
    }
    this.arena.set(b.subarray(s, e), this.arenaLen);
    const key = this.keys++;
    this.keyStart[key] = this.arenaLen;
    this.keyLen[key] = len;
    this.keyHash[key] = this.lastHash;
    this.keyVal[key] = value;
    this.arenaLen += len;
    this.table[this.lastSlot] = key + 1;
    if (this.keys * 2 > this.table.length) this.rehash();
    return true;
  }

  private rehash(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let key = 0; key < this.keys; key++) {
      let slot = this.keyHash[key] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = key + 1;
    }
    this.table = table;
    this.mask = mask;
  }

  bytes(): number {
    return this.table.byteLength + this.arena.byteLength + this.keyStart.byteLength * 4;
  }
}

/** A value the byte cache holds as it is: ASCII without '&' (the empty string aside). */
const PLAIN = /^[^&\u0080-\uffff]+$/;

export class StringPool {
  private list: string[] = [''];
  /** A reopened index's table (strings made when asked for), until something needs them all (see all()). */
  private packed: PackedStrings | undefined;
  /**
   * String → id; built when first needed: a pool filled from bytes alone (activity ids, say) never needs one while it
   * is decoded (see bytesComplete), a pool filled by adopt() or after release() has none until something looks up.
   */
  private byString: Map<string, number> | undefined;
  /** Cache: raw ASCII bytes (no '&') → id. Only speeds up decoding; release() drops it. */
  private byBytes = new ByteMap();
  /**
   * True while every string of the pool that is ASCII without '&' is in byBytes: a miss there is then a new value,
   * added with no string → id lookup. Ends when such a string comes another way (intern, adopt) or byBytes is full.
   */
  private bytesComplete = true;
  private lower: string[] | undefined;
  /** Lookups of bytes since the pool last judged whether looking values up pays, and how many found one. */
  private tries = 0;
  private hits = 0;
  /** Set once lookups stopped paying (a mayRepeat pool only): every value then gets a new id, with no lookup. */
  private appendOnly = false;

  /**
   * `mayRepeat`: the values need not have one id each (messages: only ever shown and searched, never looked up by
   * text). When nearly every value is new (a log whose every message differs), looking each one up costs a hash table
   * of them all and finds nothing, so such a pool stops looking and appends.
   */
  constructor(private readonly mayRepeat = false) {}

  get size(): number {
    return this.packed ? this.packed.length : this.list.length;
  }

  get(id: number): string {
    return this.packed ? this.packed.get(id) : this.list[id] ?? '';
  }

  /** True while the strings are as the index cache holds them: packed, none made but those asked for. */
  get isPacked(): boolean {
    return this.packed !== undefined;
  }

  /** Every string, by id. */
  get strings(): readonly string[] {
    return this.all();
  }

  private all(): string[] {
    const p = this.packed;
    if (p) { this.list = p.toArray(); this.packed = undefined; }
    return this.list;
  }

  private map(): Map<string, number> {
    let m = this.byString;
    if (!m) {
      m = new Map<string, number>();
      const st = this.all();
      for (let i = st.length - 1; i >= 0; i--) m.set(st[i], i); // the first id of a value wins
      this.byString = m;
    }
    return m;
  }

  /** Id of a string, adding it if new (in an append-only pool: a new id for every non-empty string). */
  intern(s: string): number {
    if (s === '') return 0;
    if (this.appendOnly) return this.append(s);
    const m = this.map();
    let id = m.get(s);
    if (id === undefined) {
      id = this.append(s);
      // A plain value that byBytes does not have: a miss there no longer proves a value new.
      if (this.bytesComplete && PLAIN.test(s)) this.bytesComplete = false;
    }
    return id;
  }

  /** Adds a string known to be new (or in a pool whose values may repeat), keeping the lookup map if there is one. */
  private append(s: string): number {
    const list = this.all();
    const id = list.length;
    list.push(s);
    this.byString?.set(s, id);
    return id;
  }

  /**
   * Adds strings [1, n) of a table without looking them up and returns the id the first got (the others follow): for
   * a pool whose values need not have one id each (messages are only ever shown and searched, never looked up by
   * text), so merging a part costs no lookup per string. A value may then have several ids.
   */
  appendAll(strings: StringTable): number {
    const list = this.all(), base = list.length;
    this.bytesComplete = false;
    this.byString = undefined;
    if (strings instanceof PackedStrings) for (let i = 1; i < strings.length; i++) list.push(strings.get(i));
    else for (let i = 1; i < strings.length; i++) list.push(strings[i]);
    return base;
  }

  /** Id of an existing string, or -1. */
  find(s: string): number {
    return this.map().get(s) ?? -1;
  }

  /**
   * Takes a table of distinct strings (`strings[0]` is '') as the pool's content, ids unchanged: an empty pool only.
   * The lookup map is built later, if something is looked up or added (a reopened index may never need it).
   */
  adopt(strings: StringTable): boolean {
    if (this.size !== 1 || strings.length < 2 || (strings instanceof PackedStrings ? strings.get(0) : strings[0]) !== '') return false;
    if (strings instanceof PackedStrings) this.packed = strings;
    else for (let i = 1; i < strings.length; i++) this.list.push(strings[i]);
    this.byString = undefined;
    this.byBytes = new ByteMap();
    this.bytesComplete = false;
    this.lower = undefined;
    return true;
  }

  /**
   * Drops what only decoding needs (the byte cache and the lookup map, rebuilt on demand): called when a decoder ends,
   * so a decoded file keeps its strings and ids, not the tables that found them.
   */
  release(): void {
    this.byBytes = new ByteMap(64 << 20, true);
    this.byString = undefined;
    this.bytesComplete = false;
  }

  /**
   * Id of the XML text in bytes [s, e) (entities decoded, UTF-8). ASCII values without `&` are cached by their bytes,
   * so a value seen before costs one hash and one compare.
   */
  internBytes(b: Uint8Array, s: number, e: number, dv?: DataView, latin1Text = false): number {
    if (s >= e) return 0;
    if (this.appendOnly) return this.internSlow(b, s, e, latin1Text);
    // Hash of little-endian 32-bit words, then the tail bytes; a word with a byte ≥ 0x80 or '&' takes the string path.
    let h = 0x811c9dc5 | 0;
    let i = s;
    const wEnd = s + ((e - s) & ~3);
    if (dv) {
      for (; i < wEnd; i += 4) {
        const w = dv.getInt32(i, true);
        const x = w ^ 0x26262626;
        if ((w & 0x80808080) !== 0 || (((x - 0x01010101) & ~x & 0x80808080) !== 0)) return this.internSlow(b, s, e, latin1Text);
        h = Math.imul(h ^ w, 0x01000193);
      }
    } else {
      for (; i < wEnd; i += 4) {
        const w = b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
        const x = w ^ 0x26262626;
        if ((w & 0x80808080) !== 0 || (((x - 0x01010101) & ~x & 0x80808080) !== 0)) return this.internSlow(b, s, e, latin1Text);
        h = Math.imul(h ^ w, 0x01000193);
      }
    }
    for (; i < e; i++) {
      const c = b[i];
      if (c >= 0x80 || c === 0x26) return this.internSlow(b, s, e, latin1Text);
      h = Math.imul(h ^ c, 0x01000193);
    }
    const hit = this.byBytes.getHashed(b, s, e, h, dv);
    if (this.mayRepeat && ++this.tries >= 16384) this.judge(hit >= 0);
    if (hit >= 0) { this.hits++; return hit; }
    const text = latin1(b, s, e);
    const id = this.bytesComplete ? this.append(text) : this.intern(text);
    if (!this.byBytes.setAfterMiss(b, s, e, id)) this.bytesComplete = false;
    return id;
  }

  /** After a window of lookups: fewer than one in eight found a value, so the pool appends from now on. */
  private judge(hit: boolean): void {
    if ((this.hits + (hit ? 1 : 0)) * 8 < this.tries) {
      this.appendOnly = true;
      this.byBytes = new ByteMap(64 << 20, true);
      this.byString = undefined;
      this.bytesComplete = false;
    }
    this.tries = this.hits = 0;
  }

  private internSlow(b: Uint8Array, s: number, e: number, latin1Text: boolean): number {
    if (latin1Text) return this.intern(latin1(b, s, e));
    const text = utf8(b, s, e);
    return this.intern(text.indexOf('&') >= 0 ? decodeEntities(text) : text);
  }

  /**
   * Id of a value given as its Latin-1 bytes (a worker's packed table, not XML: no entities): plain values are looked
   * up by their bytes like the decoder's, so merging a part makes a string only for a value new to the pool.
   */
  internLatin1(b: Uint8Array, s: number, e: number): number {
    return this.internBytes(b, s, e, undefined, true);
  }

  /** Lower-case copies for case-insensitive search (built once, extended as the pool grows). */
  lowered(): readonly string[] {
    let l = this.lower;
    if (!l) l = this.lower = [];
    const st = this.all();
    for (let i = l.length; i < st.length; i++) l.push(st[i].toLowerCase());
    return l;
  }

  /** Approximate retained bytes (strings as one byte per char when Latin-1, the id array, the lookup tables if built). */
  retainedBytes(): number {
    let chars = 0;
    if (this.packed) chars = this.packed.retainedBytes();
    else for (const s of this.list) chars += s.length + 16;
    return chars + this.list.length * 8 + (this.byString ? this.byString.size * 32 : 0) + this.byBytes.bytes();
  }
}

function grow32(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
