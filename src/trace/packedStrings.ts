// A table of strings kept as one text and where each string ends in it: what a reopened index holds until something
// needs every string (interning more, a lookup by text, a search). A string is made only when it is asked for, so a
// big reopened file shows its first rows without making hundreds of thousands of strings first. Pure.

export class PackedStrings {
  /**
   * `ends[i]` is where string i ends in `text`; string 0 is '' (ends[0] = 0). `latin1`: the text's bytes, one per char,
   * when every char fits in one (a pool merged from them can look values up by bytes, without making strings).
   */
  constructor(private readonly text: string, readonly ends: Uint32Array, readonly latin1?: Uint8Array) {}

  /** A table from each string's length (what the index cache stores); undefined when they do not add up to the text. */
  static of(text: string, lengths: Uint32Array, latin1?: Uint8Array): PackedStrings | undefined {
    const ends = new Uint32Array(lengths.length);
    let at = 0;
    for (let i = 0; i < lengths.length; i++) { at += lengths[i]; ends[i] = at; }
    return at === text.length && lengths.length > 0 && lengths[0] === 0 ? new PackedStrings(text, ends, latin1) : undefined;
  }

  /** A packed message (see pack()) read back; undefined when it does not hold together. */
  static unpack(p: PackedBytes): PackedStrings | undefined {
    const bytes = Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength);
    return PackedStrings.of(bytes.toString(p.latin1 ? 'latin1' : 'utf16le'), p.lengths, p.latin1 ? p.bytes : undefined);
  }

  get length(): number {
    return this.ends.length;
  }

  get(i: number): string {
    if (!(i >= 0 && i < this.ends.length)) return '';
    return this.text.slice(i > 0 ? this.ends[i - 1] : 0, this.ends[i]);
  }

  toArray(): string[] {
    const out = new Array<string>(this.ends.length);
    const text = this.text, ends = this.ends;
    let at = 0;
    for (let i = 0; i < ends.length; i++) { out[i] = text.slice(at, ends[i]); at = ends[i]; }
    return out;
  }

  /** The text (one byte per char when it is Latin-1, else two) and the ends. */
  retainedBytes(): number {
    // eslint-disable-next-line no-control-regex
    return this.text.length * (/[^\u0000-\u00ff]/.test(this.text) ? 2 : 1) + this.ends.byteLength;
  }
}

/** A part's string table: an array (decoded here or by a worker) or packed (read from the index cache). */
export type StringTable = readonly string[] | PackedStrings;

export function tableArray(t: StringTable): readonly string[] {
  return t instanceof PackedStrings ? t.toArray() : t;
}

/** A string table as bytes: what a worker sends (the buffers are transferred, no string is copied) and the cache stores. */
export interface PackedBytes {
  readonly bytes: Uint8Array;
  readonly lengths: Uint32Array;
  readonly latin1: boolean;
}

/** Packs strings into one text (Latin-1 when every char fits, else UTF-16LE) and their lengths. */
export function pack(strings: readonly string[]): PackedBytes {
  const lengths = new Uint32Array(strings.length);
  for (let i = 0; i < strings.length; i++) lengths[i] = strings[i].length;
  const joined = strings.join('');
  // eslint-disable-next-line no-control-regex
  const latin1 = !/[^\u0000-\u00ff]/.test(joined);
  const b = Buffer.from(joined, latin1 ? 'latin1' : 'utf16le');
  return { bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength), lengths, latin1 };
}
