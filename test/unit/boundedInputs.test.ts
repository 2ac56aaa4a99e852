// Issue 10 item 8: sizes have sensible caps. `trace stats` prints a bounded document whatever the file holds (was
// 272 MB of JSON for 30 MB of start tags); the server list is capped and every entry's fields are type-checked.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/cli';
import { subcommands } from '../../src/cli/registry';
import { MAX_SERVERS, parseServerList } from '../../src/servers/server';
import { traceEvent } from '../webview/nodeAccess';

describe('bounded inputs (issue 10)', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'ers-bounded-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('trace stats: at most 1000 facet values and damaged ranges, with the totals, on a file of thousands of each', async () => {
    const parts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      parts.push(traceEvent({ time: '2026-01-02T03:04:05.0000000Z', source: `Source.${i}.${'x'.repeat(40)}`, process: `p${i}`, computer: `PC${i}` }));
      parts.push('<garbage>'); // one damaged range between every two events
    }
    const file = join(dir, 'many.svclog');
    writeFileSync(file, parts.join('\n'));
    let out = '';
    const code = await runCli(['trace', 'stats', file], { out: (t) => { out += t; }, err: () => undefined, env: {} }, subcommands, 'test');
    assert.equal(code, 1);
    const s = JSON.parse(out) as { sources: Record<string, number>; processes: Record<string, number>; computers: Record<string, number>; damaged: unknown[]; damagedTotal: number; distinct: Record<string, number>; truncated: boolean; events: number };
    assert.equal(s.events, 3000);
    assert.equal(Object.keys(s.sources).length, 1000);
    assert.equal(Object.keys(s.processes).length, 1000);
    assert.equal(Object.keys(s.computers).length, 1000);
    assert.equal(s.damaged.length, 1000);
    assert.ok(s.damagedTotal >= 2999, `damagedTotal ${s.damagedTotal}`);
    assert.equal(s.distinct.sources, 3000);
    assert.equal(s.truncated, true);
    assert.ok(out.length < 600_000, `stats printed ${out.length} characters`);
  });

  it('the server list is capped, with a problem row saying so', () => {
    const list = parseServerList(Array.from({ length: MAX_SERVERS + 500 }, (_, i) => `exch${i}.contoso.test`));
    assert.equal(list.servers.length, MAX_SERVERS);
    assert.match(list.problems[0]?.message ?? '', new RegExp(`${MAX_SERVERS + 500} entries; only the first ${MAX_SERVERS}`));
  });

  it('wrong-typed server fields are reported, never silently dropped or thrown', () => {
    const list = parseServerList([
      { fqdn: 'a.contoso.test', serviceAccount: 42 },
      { fqdn: 'b.contoso.test', notes: { x: 1 } },
      { fqdn: 'c.contoso.test', notes: 'n'.repeat(5000) },
      { fqdn: 'd.contoso.test', port: 'x' },
      { fqdn: 'e.contoso.test' },
    ]);
    assert.deepEqual(list.servers.map((s) => s.fqdn), ['e.contoso.test']);
    assert.equal(list.problems.length, 4);
    for (const p of list.problems) assert.match(p.message, /serviceAccount|notes|port/);
  });
});
