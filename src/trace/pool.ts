// String interning for repeated values (sources, processes, computers, threads, activity ids, messages).
// The decoder looks values up straight from bytes (hash + byte compare), so the hot path creates no string for a
// value it has seen before. Id 0 is always the empty string.

import { decodeEntities } from './text';

const latin1 = (b: Uint8Array, s: number, e: number): string => Buffer.prototype.latin1Slice.call(b, s, e) as string;
const utf8 = (b: Uint8Array, s: number, e: number): string => Buffer.prototype.utf8Slice.call(b, s, e) as string;

export class StringPool {
  readonly strings: string[] = [''];
  private readonly byString = new Map<string, number>([['', 0]]);
  // Byte cache: open addressing table of (id + 1); key bytes live in `arena`.
  private table = new Int32Array(1024);
  private mask = 1023;
  private used = 0;
  private arena = new Uint8Array(16384);
  private arenaLen = 0;
  private keyStart = new Int32Array(256);
  private keyLen = new Int32Array(256);
  private keyHash = new Int32Array(256);
  private keyId = new Int32Array(256);
  private keys = 0;
  private lower: string[] | undefined;

  get size(): number {
    return this.strings.length;
  }

  get(id: number): string {
    return this.strings[id] ?? '';
  }

  /** Id of a string, adding it if new. */
  intern(s: string): number {
    let id = this.byString.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.byString.set(s, id);
      this.lower = undefined;
    }
    return id;
  }

  /** Id of an existing string, or -1. */
  find(s: string): number {
    return this.byString.get(s) ?? -1;
  }

  /**
   * Id of the XML text in bytes [s, e) (entities decoded, UTF-8). ASCII values without `&` are cached by their bytes,
   * so a value seen before costs one hash and one compare.
   */
  internBytes(b: Uint8Array, s: number, e: number): number {
    if (s >= e) return 0;
    let h = 0x811c9dc5 | 0;
    let plain = true;
    for (let i = s; i < e; i++) {
      const c = b[i];
      if (c >= 0x80 || c === 0x26) { plain = false; break; }
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (!plain) {
      const text = utf8(b, s, e);
      return this.intern(text.indexOf('&') >= 0 ? decodeEntities(text) : text);
    }
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
        while (i < len && arena[ks + i] === b[s + i]) i++;
        if (i === len) return this.keyId[key];
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.intern(latin1(b, s, e));
    this.addKey(b, s, len, h, id, slot);
    return id;
  }

  private addKey(b: Uint8Array, s: number, len: number, h: number, id: number, slot: number): void {
    if (this.keys === this.keyStart.length) {
      const n = this.keys * 2;
      this.keyStart = grow32(this.keyStart, n);
      this.keyLen = grow32(this.keyLen, n);
      this.keyHash = grow32(this.keyHash, n);
      this.keyId = grow32(this.keyId, n);
    }
    if (this.arenaLen + len > this.arena.length) {
      const a = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLen + len));
      a.set(this.arena.subarray(0, this.arenaLen));
      this.arena = a;
    }
    this.arena.set(b.subarray(s, s + len), this.arenaLen);
    const key = this.keys++;
    this.keyStart[key] = this.arenaLen;
    this.keyLen[key] = len;
    this.keyHash[key] = h;
    this.keyId[key] = id;
    this.arenaLen += len;
    this.table[slot] = key + 1;
    if (++this.used * 2 > this.table.length) this.rehash();
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

  /** Lower-case copies for case-insensitive search (built once, extended as the pool grows). */
  lowered(): readonly string[] {
    let l = this.lower;
    if (!l) l = this.lower = [];
    for (let i = l.length; i < this.strings.length; i++) l.push(this.strings[i].toLowerCase());
    return l;
  }

  /** Approximate retained bytes (strings as one byte per char when Latin-1, plus tables). */
  retainedBytes(): number {
    let chars = 0;
    for (const s of this.strings) chars += s.length + 16;
    return chars + this.strings.length * 40 + this.table.byteLength + this.arena.byteLength + this.keyStart.byteLength * 4;
  }
}

function grow32(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
