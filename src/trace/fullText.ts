// Full-text search over whole events: the event XML as written in the file (System block, TraceRecord, exception,
// the logged SOAP envelope and its body), not only the list fields. Plain text is searched in the raw bytes, a few
// MiB of consecutive events per read (ASCII case folded in place, then Buffer.indexOf); a regular expression is
// tested on each event's text. The result is one flag per event (per file), extended incrementally as files grow.
// Pure: files are read only through a FileAccess.

import type { TraceCollection } from './collection';
import { toUtf8 } from './decoder';
import { TraceCancelledError, type CancelSignal, type FileAccess } from './types';

export interface FullTextQuery {
  readonly text: string;
  readonly regex?: boolean;
  readonly caseSensitive?: boolean;
}

/** Matching events per file: `masks[f][row] === 1`; `searched[f]` rows of file f have been searched. */
export interface FullTextHits {
  readonly key: string;
  readonly masks: Uint8Array[];
  readonly searched: number[];
  /** Matching events found so far (all files). */
  count: number;
}

export interface FullTextOptions {
  readonly signal?: CancelSignal;
  /** Stop after this many matching events (default: all). */
  readonly limit?: number;
  /** Bytes per read (default 4 MiB; a larger event is read on its own). */
  readonly chunkSize?: number;
  /** Hits of the same query from an earlier call: only events not searched then are searched now. */
  readonly previous?: FullTextHits;
  readonly onProgress?: (p: { readonly bytes: number; readonly hits: number }) => void;
}

export function fullTextKey(q: FullTextQuery): string {
  return `${q.regex ? 're' : 'tx'}:${q.caseSensitive ? 'cs' : 'ci'}:${q.text}`;
}

/** The text a search also tries in the raw XML: the needle with & < > " ' written as the writer escapes them. */
export function escapedForms(text: string): string[] {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  return esc === text ? [text] : [text, esc];
}

/** ASCII upper case to lower case, in place (UTF-8 multi-byte sequences never contain bytes below 0x80). */
function foldAscii(b: Uint8Array): void {
  for (let i = 0; i < b.length; i++) { const c = b[i]; if (c >= 65 && c <= 90) b[i] = c + 32; }
}

/**
 * Searches every event of the collection (or the events added since `previous`) for the query. Throws
 * TraceCancelledError when the signal is set; a bad regular expression throws its SyntaxError.
 */
export async function searchFullText(c: TraceCollection, access: FileAccess, q: FullTextQuery, o: FullTextOptions = {}): Promise<FullTextHits> {
  const key = fullTextKey(q);
  const prev = o.previous && o.previous.key === key ? o.previous : undefined;
  const masks: Uint8Array[] = [];
  const searched: number[] = [];
  let count = 0;
  for (const f of c.files) {
    const n = f.store.count;
    const m = new Uint8Array(n);
    const old = prev?.masks[f.index];
    let from = 0;
    if (old && (prev?.searched[f.index] ?? 0) <= n) {
      from = prev?.searched[f.index] ?? 0;
      m.set(old.subarray(0, from));
      for (let r = 0; r < from; r++) count += m[r];
    }
    masks.push(m);
    searched.push(from);
  }
  const hits: FullTextHits = { key, masks, searched, count };
  if (!q.text) return hits;
  const limit = o.limit ?? Infinity;
  const chunk = Math.max(64 << 10, o.chunkSize ?? 4 << 20);
  const re = q.regex ? new RegExp(q.text, q.caseSensitive ? 'u' : 'iu') : undefined;
  const asciiNeedle = !re && /^[\x20-\x7e]*$/.test(q.text);
  const needles = re ? [] : escapedForms(q.caseSensitive ? q.text : q.text.toLowerCase()).map((s) => Buffer.from(s, 'utf8'));
  const forms = escapedForms(q.caseSensitive ? q.text : q.text.toLowerCase());
  let bytesDone = 0;
  let sinceYield = 0;
  for (const f of c.files) {
    const s = f.store;
    const enc = c.encoding(f.index);
    const m = masks[f.index];
    let r = searched[f.index];
    const n = s.count;
    while (r < n && hits.count < limit) {
      if (o.signal?.aborted) throw new TraceCancelledError();
      // Consecutive events r..k-1 that fit in one read (at least one).
      const start = s.offset[r];
      let k = r + 1;
      let end = start + s.length[r];
      while (k < n && s.offset[k] >= end && s.offset[k] + s.length[k] - start <= chunk && s.offset[k] - end < 64 << 10) { end = s.offset[k] + s.length[k]; k++; }
      const raw = await access.read(f.path, start, end - start);
      const utf8 = enc === 'utf-8';
      if (!re && asciiNeedle && utf8) {
        // A copy: the FileAccess may hand out its own buffer.
        const buf = Buffer.allocUnsafe(raw.length);
        buf.set(raw);
        if (!q.caseSensitive) foldAscii(buf);
        // Each hit marks its event; the search goes on after that event's end.
        for (const needle of needles) {
          let e = r;
          let pos = buf.indexOf(needle, 0);
          while (pos >= 0 && e < k) {
            const at = start + pos;
            while (e < k && s.offset[e] + s.length[e] <= at) e++;
            if (e >= k) break;
            if (at >= s.offset[e] && at + needle.length <= s.offset[e] + s.length[e]) {
              if (m[e] === 0) { m[e] = 1; hits.count++; }
              pos = buf.indexOf(needle, s.offset[e] + s.length[e] - start);
              e++;
            } else pos = buf.indexOf(needle, pos + 1);
          }
        }
      } else {
        for (let e = r; e < k; e++) {
          const a = s.offset[e] - start, b = a + s.length[e];
          const bytes = raw.subarray(a, Math.min(b, raw.length));
          const text = utf8 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : toUtf8(bytes, enc).toString('utf8');
          let ok: boolean;
          if (re) { re.lastIndex = 0; ok = re.test(text); }
          else {
            const hay = q.caseSensitive ? text : text.toLowerCase();
            ok = forms.some((x) => hay.includes(x));
          }
          if (ok && m[e] === 0) { m[e] = 1; hits.count++; }
        }
      }
      bytesDone += end - start;
      searched[f.index] = k;
      r = k;
      o.onProgress?.({ bytes: bytesDone, hits: hits.count });
      sinceYield += end - start;
      if (sinceYield >= 16 << 20) { sinceYield = 0; await new Promise<void>((resolve) => setImmediate(resolve)); } // stay responsive
    }
  }
  return hits;
}
