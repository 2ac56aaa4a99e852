import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceCollection, followFile, openFile, type FileAccess } from '../../src/trace/index';
import { decodeFileIndexed, decodeIndex, encodeIndex, type IndexCacheStore } from '../../src/trace/indexCache';
import { inThreadRanges } from '../../src/trace/parallel';
import { ActivityLabels } from '../../src/traceViewer/labels';
import { nodeFileAccess, nodeIndexCacheStore } from '../../src/util/nodeFileAccess';

// The index cache: a reopened file shows the same rows as a fresh decode, a grown file is decoded only from where its
// index ends, and a stale, rewritten or damaged entry is never used (the file is decoded again and the entry rebuilt).

function event(i: number, extra = ''): string {
  const sub = i % 9 === 0 ? 'Start' : i % 5 === 0 ? 'Error' : 'Information';
  const act = `{${String(i % 13).padStart(8, '0')}-0000-0000-0000-000000000000}`;
  const body = sub === 'Start'
    ? `<TraceData><DataItem><TraceRecord xmlns="http://schemas.microsoft.com/2004/10/E2ETraceEvent/TraceRecord" Severity="Start"><TraceIdentifier>x</TraceIdentifier><Description>start ${i}</Description><AppDomain>a</AppDomain><ExtendedData xmlns="http://schemas.microsoft.com/2006/08/ServiceModel/DictionaryTraceRecord"><ActivityName>Activity ${i % 13} \u00e9\u{1F600}</ActivityName></ExtendedData></TraceRecord></DataItem></TraceData>`
    : `message ${i % 17} &amp; \u0645\u0631\u062d\u0628\u0627${extra}`;
  const time = i % 11 === 0 ? '2024-01-02 03:04:05' : `2024-01-02T03:${String(i % 60).padStart(2, '0')}:05.12345${i % 10}Z`;
  return `<E2ETraceEvent xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"><System xmlns="http://schemas.microsoft.com/2004/06/windows/eventlog/system"><EventID>${i}</EventID><Type>3</Type><SubType Name="${sub}">0</SubType><Level>8</Level><TimeCreated SystemTime="${time}" /><Source Name="Source${i % 4}" /><Correlation ActivityID="${act}" /><Execution ProcessName="proc${i % 3}" ProcessID="${40 + (i % 3)}" ThreadID="${i % 7}" /><Channel/><Computer>PC${i % 2}</Computer></System><ApplicationData>${body}</ApplicationData></E2ETraceEvent>`;
}
const events = (from: number, to: number): string => Array.from({ length: to - from }, (_, k) => event(from + k)).join('');

const tmp = mkdtempSync(join(tmpdir(), 'trace-index-cache-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const newDir = (): string => join(tmp, `cache${n++}`);

/** A FileAccess that counts the bytes read. */
function counting(): FileAccess & { bytes: number } {
  const a = {
    bytes: 0,
    size: nodeFileAccess.size,
    stat: nodeFileAccess.stat,
    async read(path: string, offset: number, length: number) { const b = await nodeFileAccess.read(path, offset, length); a.bytes += b.length; return b; },
    async readInto(path: string, offset: number, target: Uint8Array) { const k = await nodeFileAccess.readInto!(path, offset, target); a.bytes += k; return k; },
  };
  return a;
}

async function fresh(path: string): Promise<TraceCollection> {
  const c = new TraceCollection();
  await openFile(c, nodeFileAccess, path, { yieldBetweenChunks: false });
  return c;
}

async function viaCache(path: string, cache: IndexCacheStore, access: FileAccess = nodeFileAccess, misses: string[] = []): Promise<{ c: TraceCollection; source: string }> {
  const c = new TraceCollection();
  const f = c.addFile(path);
  const source = await decodeFileIndexed(c, f, access, { cache, yieldBetweenChunks: false, onCacheMiss: (r) => misses.push(r) });
  return { c, source };
}

function same(a: TraceCollection, b: TraceCollection): void {
  const fa = a.files[0], fb = b.files[0];
  assert.equal(fb.store.count, fa.store.count, 'event count');
  for (let r = 0; r < fa.store.count; r++) assert.deepEqual(fb.store.row(r), fa.store.row(r), `row ${r}`);
  assert.deepEqual(b.damage(), a.damage(), 'damage');
  assert.deepEqual(fb.decoder.resumeState(), fa.decoder.resumeState(), 'decoder state');
  const names = (c: TraceCollection): string[] => [...c.files[0].store.activityNames].map(([k, v]) => `${c.pools.activity.get(k)}=${c.pools.names.get(v)}`).sort();
  assert.deepEqual(names(b), names(a), 'activity names');
  assert.deepEqual(b.facets(), a.facets(), 'facets');
}

describe('trace engine: index cache', () => {
  it('a reopened file comes from the cache with the same rows, damage, names, facets and decoder state', async () => {
    const path = join(tmp, 'a.svclog');
    writeFileSync(path, events(0, 300) + 'garbage' + events(300, 400) + event(400).slice(0, 200));
    const cache = nodeIndexCacheStore(newDir());
    const cold = await viaCache(path, cache);
    assert.equal(cold.source, 'decoded');
    assert.equal(readdirSync(cache.dir).filter((f) => f.endsWith('.idx')).length, 1, 'one entry written');
    const access = counting();
    const warm = await viaCache(path, cache, access);
    assert.equal(warm.source, 'cache');
    same(warm.c, await fresh(path));
    same(cold.c, await fresh(path));
    // Only the check bytes (head, the 4 KiB before the index end) and the unfinished tail were read.
    assert.ok(access.bytes < 4096 * 2 + 1000, `${access.bytes} bytes read`);
  });

  it('a reopened index keeps its strings packed: rows and activity labels need no table of every string', async () => {
    const path = join(tmp, 'packed.svclog');
    writeFileSync(path, events(0, 400));
    const cache = nodeIndexCacheStore(newDir());
    await viaCache(path, cache);
    const warm = await viaCache(path, cache);
    assert.equal(warm.source, 'cache');
    const c = warm.c, want = await fresh(path);
    assert.ok(c.pools.message.isPacked && c.pools.activity.isPacked, 'packed after the reopen');
    const labels = new ActivityLabels(c), wantLabels = new ActivityLabels(want);
    const rows = c.query({}).window(0, 400);
    assert.deepEqual(rows, want.query({}).window(0, 400), 'the same rows');
    for (const r of rows) {
      assert.equal(labels.ofRow(r, 'activity'), wantLabels.label(r.activityId), `label of row ${r.row}`);
      assert.equal(labels.ofRow(r, 'related'), wantLabels.label(r.relatedActivityId));
    }
    assert.deepEqual(c.facets(), want.facets());
    assert.ok(c.pools.message.isPacked && c.pools.activity.isPacked, 'rows, labels and facets made no string table');
    // A lookup by text (a filter by activity, a search) unpacks the pool: same ids, same strings.
    const act = rows[5].activityId;
    assert.equal(c.pools.activity.find(act), want.pools.activity.find(act));
    assert.equal(c.pools.activity.isPacked, false);
    assert.deepEqual(c.pools.activity.strings, want.pools.activity.strings);
    assert.equal(c.query({ text: 'message 3 &' }).length, want.query({ text: 'message 3 &' }).length);
    assert.deepEqual(c.pools.message.strings, want.pools.message.strings);
  });

  it('a grown file is decoded only from where its index ends, and matches a fresh decode', async () => {
    const path = join(tmp, 'grow.svclog');
    writeFileSync(path, events(0, 500) + event(500).slice(0, 300));
    const cache = nodeIndexCacheStore(newDir());
    assert.equal((await viaCache(path, cache)).source, 'decoded');
    const before = statSync(path).size;
    appendFileSync(path, event(500).slice(300) + events(501, 600));
    const appended = statSync(path).size - before;
    const access = counting();
    const grown = await viaCache(path, cache, access);
    assert.equal(grown.source, 'cache+appended');
    same(grown.c, await fresh(path));
    // Read: the appended bytes, the unfinished event before them, the check bytes (head and end, then the new end to store).
    assert.ok(access.bytes < appended + 300 + 4096 * 3 + 100, `${access.bytes} bytes read for ${appended} appended`);
    // The entry now covers the grown file.
    assert.equal((await viaCache(path, cache)).source, 'cache');
  });

  it('a followed file goes on after a cache hit as after a decode', async () => {
    const path = join(tmp, 'follow.svclog');
    writeFileSync(path, events(0, 100));
    const cache = nodeIndexCacheStore(newDir());
    await viaCache(path, cache);
    const { c } = await viaCache(path, cache);
    appendFileSync(path, events(100, 150));
    const r = await followFile(c, nodeFileAccess, 0, { yieldBetweenChunks: false });
    assert.equal(r.kind, 'appended');
    same(c, await fresh(path));
  });

  it('a stale entry (changed modification time, rewritten head, rewritten end, shorter file) is not used', async () => {
    const path = join(tmp, 'stale.svclog');
    const original = events(0, 200);
    const cache = nodeIndexCacheStore(newDir());
    const cases: Array<[string, () => void]> = [
      ['file changed', () => { const t = statSync(path).mtime; utimesSync(path, t, new Date(t.getTime() + 5000)); }],
      ['first bytes differ', () => { const t = statSync(path).mtime; const b = Buffer.from(original); b[60] = 0x58; writeFileSync(path, Buffer.concat([b, Buffer.from(events(200, 210))])); utimesSync(path, t, t); }],
      ['bytes before the end of the index differ', () => { const b = Buffer.from(original); b[b.length - 700] = 0x58; writeFileSync(path, Buffer.concat([b, Buffer.from(events(200, 210))])); }],
      ['file changed', () => { writeFileSync(path, events(0, 150)); }],
    ];
    for (const [why, change] of cases) {
      writeFileSync(path, original);
      await viaCache(path, cache);
      assert.equal((await viaCache(path, cache)).source, 'cache', `${why}: the entry is used before the change`);
      change();
      const misses: string[] = [];
      const again = await viaCache(path, cache, nodeFileAccess, misses);
      assert.equal(again.source, 'decoded', why);
      assert.ok(misses.some((m) => m.includes(why)), `${why}: ${misses.join('; ')}`);
      same(again.c, await fresh(path));
    }
  });

  it('a damaged entry (flipped byte, cut short, garbage, empty) is detected, ignored and rebuilt', async () => {
    const path = join(tmp, 'damaged.svclog');
    writeFileSync(path, events(0, 200));
    const dir = newDir();
    const cache = nodeIndexCacheStore(dir);
    await viaCache(path, cache);
    const entry = (): string => join(dir, readdirSync(dir).find((f) => f.endsWith('.idx')) as string);
    const good = readFileSync(entry());
    const damage: Array<(b: Buffer) => Buffer> = [
      (b) => { const c = Buffer.from(b); c[Math.floor(c.length / 2)] ^= 0x40; return c; },
      (b) => b.subarray(0, b.length - 100),
      () => Buffer.from('not an index at all'),
      () => Buffer.alloc(0),
    ];
    for (const d of damage) {
      writeFileSync(entry(), d(good));
      const misses: string[] = [];
      const r = await viaCache(path, cache, nodeFileAccess, misses);
      assert.equal(r.source, 'decoded');
      same(r.c, await fresh(path));
      assert.equal((await viaCache(path, cache)).source, 'cache', 'rebuilt');
    }
    assert.throws(() => decodeIndex(Buffer.from('ERSTIDX1 and then nothing useful')), /damaged/);
  });

  it('an entry of another path (a hash collision) is not used', async () => {
    const a = join(tmp, 'one.svclog'), b = join(tmp, 'two.svclog');
    writeFileSync(a, events(0, 50));
    writeFileSync(b, events(0, 50));
    const entries = new Map<string, Uint8Array>();
    const collide: IndexCacheStore = {
      async read() { return entries.get('x'); },
      async write(_p, parts) { entries.set('x', Buffer.concat(parts)); },
      async remove() { entries.delete('x'); },
    };
    await viaCache(a, collide);
    const misses: string[] = [];
    assert.equal((await viaCache(b, collide, nodeFileAccess, misses)).source, 'decoded');
    assert.deepEqual(misses, ['entry of another file']);
  });

  it('UTF-16 files and files decoded on several threads round-trip through the cache', async () => {
    const path = join(tmp, 'utf16.svclog');
    writeFileSync(path, Buffer.from('\uFEFF' + events(0, 120), 'utf16le'));
    const cache = nodeIndexCacheStore(newDir());
    const c = new TraceCollection();
    const f = c.addFile(path);
    assert.equal(await decodeFileIndexed(c, f, nodeFileAccess, { cache, ranges: inThreadRanges(nodeFileAccess, 2), splitTargets: [1001, 5003, 20000] }), 'decoded');
    same(c, await fresh(path));
    const warm = await viaCache(path, cache);
    assert.equal(warm.source, 'cache');
    same(warm.c, await fresh(path));
  });

  it('keeps the cache folder within its size budget (least recently used entries go first)', async () => {
    const dir = newDir();
    const one = (await encodeIndex((await fresh(writeTemp(events(0, 200)))).files[0], { size: 1, mtimeMs: 1 }, { start: 0, crc: 0 })).length;
    const cache = nodeIndexCacheStore(dir, one * 3.5);
    const paths = Array.from({ length: 6 }, (_, i) => writeTemp(events(i, 200 + i)));
    for (const p of paths) await viaCache(p, cache);
    const total = readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
    assert.ok(total <= one * 3.5, `${total} bytes for a budget of ${one * 3.5}`);
    assert.equal((await viaCache(paths[5], cache)).source, 'cache', 'the newest entry is kept');
    assert.equal((await viaCache(paths[0], cache)).source, 'decoded', 'the oldest entry was evicted');
    // An entry larger than half the budget is not written.
    const small = nodeIndexCacheStore(newDir(), 1000);
    await viaCache(paths[1], small);
    assert.ok(!existsSync(small.dir) || readdirSync(small.dir).length === 0);
  });
});

let t = 0;
function writeTemp(text: string): string {
  const p = join(tmp, `t${t++}.svclog`);
  writeFileSync(p, text);
  return p;
}
