import * as assert from 'node:assert/strict';
import {
  TraceCollection, openFile, readWholeFile, searchFullText, escapedForms, type FileAccess,
} from '../../src/trace';
import { fixture, nodeAccess, traceEvent } from '../webview/nodeAccess';

/** In-memory files, counting the bytes read. */
function memory(files: Record<string, Buffer>): FileAccess & { bytes: number } {
  const a = {
    bytes: 0,
    async size(p: string) { return files[p].length; },
    async read(p: string, o: number, l: number) { const b = files[p].subarray(o, o + l); a.bytes += b.length; return b; },
  };
  return a;
}

/** The oracle: events whose XML (as in the file) holds the text, case-insensitive, by reading each one. */
async function oracle(c: TraceCollection, test: (xml: string) => boolean): Promise<number> {
  let n = 0;
  for (const f of c.files) for (let r = 0; r < f.store.count; r++) if (test((await c.details(nodeAccess, f.index, r)).rawXml)) n++;
  return n;
}

describe('full-text search over whole events', () => {
  it('finds a value that is only in SOAP bodies of a real message log (the list fields find none)', async () => {
    const c = new TraceCollection();
    await openFile(c, nodeAccess, fixture('faiteo__Client__web_messages.svclog'));
    assert.equal(c.query({ text: 'Tolkien' }).length, 0, 'not in any list field');
    const hits = await searchFullText(c, nodeAccess, { text: 'tolkien' });
    const expected = await oracle(c, (x) => x.toLowerCase().includes('tolkien'));
    assert.ok(expected >= 20);
    assert.equal(hits.count, expected);
    assert.equal(c.query({ text: 'tolkien', textHits: hits.masks }).length, expected);
    const re = await searchFullText(c, nodeAccess, { text: 'tol[k]ien', regex: true });
    assert.equal(re.count, expected);
    assert.equal((await searchFullText(c, nodeAccess, { text: 'TOLKIEN', caseSensitive: true })).count, await oracle(c, (x) => x.includes('TOLKIEN')));
  });

  it('stops after `limit` hits, and reads fewer bytes for the first hit', async () => {
    const c = new TraceCollection();
    await openFile(c, nodeAccess, fixture('faiteo__Client__web_messages.svclog'));
    const all = await searchFullText(c, nodeAccess, { text: 'Tolkien' });
    let bytesAll = 0, bytesFirst = 0;
    await searchFullText(c, nodeAccess, { text: 'Tolkien' }, { chunkSize: 64 << 10, onProgress: (p) => { bytesAll = p.bytes; } });
    const first = await searchFullText(c, nodeAccess, { text: 'Tolkien' }, { limit: 1, chunkSize: 64 << 10, onProgress: (p) => { bytesFirst = p.bytes; } });
    assert.ok(first.count >= 1 && first.count < all.count);
    assert.ok(bytesFirst < bytesAll, `${bytesFirst} < ${bytesAll}`);
    const firstRow = first.masks[0].indexOf(1);
    assert.equal(firstRow, all.masks[0].indexOf(1), 'the first hit is the first matching event');
  });

  it('matches text the writer escaped (& < > " \') and searches only new events when given the previous hits', async () => {
    const e = (msg: string, s: number): string => traceEvent({ time: `2024-01-01T10:00:0${s}Z`, dataItem: msg });
    const files: Record<string, Buffer> = { 'a.svclog': Buffer.from(e('Tom & Jerry <b>', 1) + e('nothing here', 2)) };
    const mem = memory(files);
    const c = new TraceCollection();
    c.addFile('a.svclog');
    await readWholeFile(c, mem, 0, { keepOpen: true });
    assert.deepEqual(escapedForms('Tom & Jerry'), ['Tom & Jerry', 'Tom &amp; Jerry']);
    const h1 = await searchFullText(c, mem, { text: 'tom & jerry <b>' });
    assert.deepEqual([...h1.masks[0]], [1, 0]);
    files['a.svclog'] = Buffer.concat([files['a.svclog'], Buffer.from(e('and Tom &amp; Jerry again', 3))]);
    await readWholeFile(c, mem, 0);
    mem.bytes = 0;
    const h2 = await searchFullText(c, mem, { text: 'tom & jerry <b>' }, { previous: h1 });
    assert.deepEqual([...h2.masks[0]], [1, 0, 0]);
    assert.ok(mem.bytes > 0 && mem.bytes < files['a.svclog'].length / 2, 'only the new event was read');
    const h3 = await searchFullText(c, mem, { text: 'Tom &amp; Jerry' });
    assert.deepEqual([...h3.masks[0]], [1, 0, 1], 'the text as written in the XML is found too (and its escaped form)');
  });

  it('searches UTF-16 files and non-ASCII text', async () => {
    const ev = traceEvent({ time: '2024-01-01T10:00:00Z', dataItem: 'Grüße aus Köln' });
    const files: Record<string, Buffer> = { 'u.svclog': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ev, 'utf16le')]) };
    const mem = memory(files);
    const c = new TraceCollection();
    c.addFile('u.svclog');
    await readWholeFile(c, mem, 0);
    assert.equal((await searchFullText(c, mem, { text: 'KÖLN' })).count, 1);
    assert.equal((await searchFullText(c, mem, { text: 'datAitem' })).count, 1, 'the XML is searched, not only the text');
  });
});
