// The viewer's search state: full-text hits of the last two texts searched (the filter's and the last find's),
// extended as files grow instead of searched again. Pure: the file is read only through a FileAccess.

import { fullTextKey, searchFullText, type CancelSignal, type FileAccess, type FullTextHits, type TraceCollection } from '../trace';
import type { FilterDto } from './protocol';

export class TextSearch {
  private readonly hits = new Map<string, FullTextHits>();
  private topUp: Promise<void> | undefined;

  constructor(private readonly c: TraceCollection, private readonly access: FileAccess, private readonly signal: CancelSignal) {}

  /** Hits of a text, searching only the events not searched before for the same text. */
  async search(text: string, regex: boolean): Promise<FullTextHits> {
    const key = fullTextKey({ text, regex });
    const previous = this.hits.get(key);
    const hits = await searchFullText(this.c, this.access, { text, regex }, { previous, signal: this.signal });
    this.hits.delete(key);
    this.hits.set(key, hits);
    while (this.hits.size > 2) this.hits.delete(this.hits.keys().next().value as string);
    return hits;
  }

  /** The known hits of the filter's text (undefined when it has none or they are not known yet). */
  forFilter(f: FilterDto): FullTextHits | undefined {
    return f.text ? this.hits.get(fullTextKey({ text: f.text, regex: !!f.regex })) : undefined;
  }

  /** When the filter's hits miss events (decoding, follow), searches those in the background, then calls `done`. */
  catchUp(f: FilterDto, done: () => void): void {
    if (!f.text || this.topUp) return;
    const hits = this.forFilter(f);
    if (hits && this.c.files.every((file) => (hits.searched[file.index] ?? 0) >= file.store.count)) return;
    this.topUp = this.search(f.text, !!f.regex).then(() => { this.topUp = undefined; done(); }, () => { this.topUp = undefined; });
  }
}
