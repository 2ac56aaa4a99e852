// A table of strings kept as one text and where each string ends in it: what a reopened index holds until something
// needs every string (interning more, a lookup by text, a search). A string is made only when it is asked for, so a
// big reopened file shows its first rows without making hundreds of thousands of strings first. Pure.

export class PackedStrings {
  /** `ends[i]` is where string i ends in `text`; string 0 is '' (ends[0] = 0). */
  constructor(private readonly text: string, private readonly ends: Uint32Array) {}

  /** A table from each string's length (what the index cache stores); undefined when they do not add up to the text. */
  static of(text: string, lengths: Uint32Array): PackedStrings | undefined {
    const ends = new Uint32Array(lengths.length);
    let at = 0;
    for (let i = 0; i < lengths.length; i++) { at += lengths[i]; ends[i] = at; }
    return at === text.length && lengths.length > 0 && lengths[0] === 0 ? new PackedStrings(text, ends) : undefined;
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
