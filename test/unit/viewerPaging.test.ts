// Issue 10 item 5: no message to the webview is larger than what it can show. A file with thousands of distinct
// sources (long names) and thousands of damaged ranges: every posted message stays small, facets and damage come a
// page at a time with their totals, and getFacet / getDamage page through all of them.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ViewerSession } from '../../src/traceViewer/viewerSession';
import { MESSAGE_LIMITS, type ToWebview } from '../../src/traceViewer/protocol';
import { facetValuesPage } from '../../src/traceViewer/paging';
import { nodeAccess, traceEvent } from '../webview/nodeAccess';

const N = 3000;
/** Far below the 88–126 MB messages of the issue; one page of each list fits easily. */
const MESSAGE_MAX_BYTES = 256 * 1024;

describe('viewer session: paged damage and facets (issue 10)', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ers-paging-'));
    const parts: string[] = [];
    for (let i = 0; i < N; i++) {
      parts.push(traceEvent({ time: `2026-01-02T03:04:${String(i % 60).padStart(2, '0')}.0000000Z`, source: `Source.${i}.${'s'.repeat(1000)}`, process: `proc${i}`, thread: `t${i}` }));
      parts.push('<broken>');
    }
    file = join(dir, 'many.svclog');
    writeFileSync(file, parts.join('\n'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('posts only small messages, with the first page and the totals', async () => {
    const posted: ToWebview[] = [];
    const s = new ViewerSession({ files: [file], access: nodeAccess, post: (m) => posted.push(m) });
    await s.start();
    await s.handle({ type: 'ready' });
    await s.request('setFilter', { filter: { levels: [], sources: [], processes: [], threads: [], showDamage: true } });
    const sizes = posted.map((m) => JSON.stringify(m).length);
    assert.ok(Math.max(...sizes) < MESSAGE_MAX_BYTES, `a message of ${Math.max(...sizes)} bytes`);
    const init = posted.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init');
    const f = init.init.view.facets;
    assert.equal(f.sources.length, MESSAGE_LIMITS.facetValues);
    assert.equal(f.totals.sources, N);
    assert.equal(f.totals.processes, N);
    assert.ok(f.sources.every((x) => x.value.length <= MESSAGE_LIMITS.facetValueLength));
    const damage = posted.filter((m) => m.type === 'damage').at(-1);
    assert.ok(damage && damage.type === 'damage');
    assert.ok(damage.total >= N - 1, `total ${damage.total}`);
    assert.equal(damage.ranges.length, MESSAGE_LIMITS.damagePage);
    s.dispose();
  });

  it('pages through every facet value and every damaged range on request', async () => {
    const s = new ViewerSession({ files: [file], access: nodeAccess, post: () => undefined });
    await s.start();
    const seen = new Set<string>();
    for (let start = 0; ; start += MESSAGE_LIMITS.facetValues) {
      const page = await s.request('getFacet', { facet: 'processes', start, count: 100_000 });
      assert.ok(page.values.length <= MESSAGE_LIMITS.facetValues);
      for (const v of page.values) seen.add(v.value);
      if (start + page.values.length >= page.total) break;
    }
    assert.equal(seen.size, N);
    const hit = await s.request('getFacet', { facet: 'sources', start: 0, count: 10, contains: 'SOURCE.1234.' });
    assert.equal(hit.total, 1);
    assert.match(hit.values[0]!.value, /^Source\.1234\./);
    let ranges = 0;
    let total = 0;
    for (let start = 0; ; start += MESSAGE_LIMITS.damagePage) {
      const page = await s.request('getDamage', { start, count: 1_000_000 });
      assert.ok(page.ranges.length <= MESSAGE_LIMITS.damagePage);
      ranges += page.ranges.length;
      total = page.total;
      if (page.ranges.length === 0 || ranges >= total) break;
    }
    assert.equal(ranges, total);
    await assert.rejects(s.request('getFacet', { facet: 'nope' as never, start: 0, count: 1 }), /Unknown facet/);
    s.dispose();
  });

  it('getFacet contains matches a value\'s label as well as its key (threads show their process name)', () => {
    const threads = [
      { value: '42:7', count: 5, label: '7 \u00b7 Intune.Connector (42)' },
      { value: '43:8', count: 3, label: '8 \u00b7 w3wp (43)' },
      { value: '44:9', count: 1 },
    ];
    const byLabel = facetValuesPage(threads, 0, 10, 'intune.CONN');
    assert.deepEqual(byLabel.values.map((v) => v.value), ['42:7']);
    assert.equal(byLabel.total, 1);
    assert.deepEqual(facetValuesPage(threads, 0, 10, '44:').values.map((v) => v.value), ['44:9']);
    assert.equal(facetValuesPage(threads, 0, 10, 'nothing').total, 0);
  });
});
