import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inThreadRanges } from '../../src/trace/parallel';
import type { ToWebview } from '../../src/traceViewer/protocol';
import { ViewerSession } from '../../src/traceViewer/viewerSession';
import { nodeFileAccess, nodeIndexCacheStore } from '../../src/util/nodeFileAccess';

// The viewer decodes on several threads and reopens from the index cache, showing the same rows and counts.

function event(i: number): string {
  const sub = ['Information', 'Warning', 'Error', 'Start', 'Stop'][i % 5];
  return `<E2ETraceEvent xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"><System xmlns="http://schemas.microsoft.com/2004/06/windows/eventlog/system"><EventID>${i}</EventID><Type>3</Type><SubType Name="${sub}">0</SubType><Level>8</Level><TimeCreated SystemTime="2024-01-02T03:04:${String(59 - (i % 60)).padStart(2, '0')}.1234567Z" /><Source Name="S${i % 3}" /><Correlation ActivityID="{${String(i % 9).padStart(8, '0')}-0000-0000-0000-000000000000}" /><Execution ProcessName="p" ProcessID="1" ThreadID="${i % 4}" /><Channel/><Computer>C</Computer></System><ApplicationData>row ${i}</ApplicationData></E2ETraceEvent>`;
}

describe('ViewerSession: decoding threads and the index cache', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'viewer-cache-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const path = join(tmp, 'big.svclog');
  writeFileSync(path, Array.from({ length: 2000 }, (_, i) => event(i)).join('') + 'trailing garbage');

  async function open(withCache: boolean, threads: boolean): Promise<{ s: ViewerSession; sources: string[]; posted: ToWebview[]; ranges: number[] }> {
    const sources: string[] = [];
    const ranges: number[] = [];
    const posted: ToWebview[] = [];
    const s = new ViewerSession({
      files: [path], access: nodeFileAccess, post: (m) => posted.push(m),
      indexCache: withCache ? nodeIndexCacheStore(join(tmp, 'cache')) : undefined,
      decodeThreads: threads ? () => {
        const r = inThreadRanges(nodeFileAccess, 2, 0);
        return { threads: r.threads, minFileBytes: 0, decode: (t) => { ranges.push(t.start); return r.decode(t); } };
      } : undefined,
      onIndexed: (_i, src) => sources.push(src),
    });
    await s.handle({ type: 'ready' });
    await s.start();
    return { s, sources, posted, ranges };
  }

  const snapshot = async (s: ViewerSession): Promise<unknown> => {
    const all = (await s.getRows(0, 1000)).rows.concat((await s.getRows(1000, 1000)).rows, (await s.getRows(2000, 1000)).rows);
    const errors = await s.setFilter({ levels: ['Error'], sources: [], processes: [], threads: [], showDamage: true });
    const errorRows = (await s.getRows(0, 1000)).rows;
    await s.setFilter({ levels: [], sources: [], processes: [], threads: [], showDamage: true });
    return { all, total: errors.total, facets: errors.facets, errorRows, damage: s.damageRanges() };
  };

  it('the first opening decodes (on two threads) and stores the index; the next comes from the cache, identical', async () => {
    const plain = await open(false, false);
    assert.deepEqual(plain.sources, ['decoded']);
    const first = await open(true, true);
    assert.deepEqual(first.sources, ['decoded']);
    assert.ok(first.ranges.length >= 1, 'a range was decoded by the threads');
    const again = await open(true, true);
    assert.deepEqual(again.sources, ['cache']);
    assert.deepEqual(again.ranges, [], 'nothing decoded from a cache hit');
    const want = await snapshot(plain.s);
    assert.deepEqual(await snapshot(first.s), want);
    assert.deepEqual(await snapshot(again.s), want);
    const done = again.posted.flatMap((m) => (m.type === 'progress' && m.progress.done ? [m.progress] : []));
    assert.equal(done[done.length - 1]?.events, 2000);
    for (const x of [plain, first, again]) x.s.dispose();
  });
});
