import * as assert from 'node:assert/strict';
import { readUserTime } from '../../src/traceViewer/userTime';
import { ViewerSession } from '../../src/traceViewer/viewerSession';
import type { FilterDto } from '../../src/traceViewer/protocol';
import { fixture, nodeAccess } from '../webview/nodeAccess';

const CET = (ms: number): number => (new Date(ms).getUTCMonth() >= 3 && new Date(ms).getUTCMonth() <= 9 ? -120 : -60); // a fixed zone for the test
const UTC = (): number => 0;

describe('typed times of the time filter', () => {
  it('reads ISO 8601 with a zone as that instant, and without one as local time', () => {
    assert.equal(readUserTime('2015-12-02T10:00:00Z').ms, Date.UTC(2015, 11, 2, 10));
    assert.equal(readUserTime('2015-12-02T10:00:00+01:00').ms, Date.UTC(2015, 11, 2, 9));
    assert.equal(readUserTime('2015-12-02 10:00', 'de', CET).ms, Date.UTC(2015, 11, 2, 9));
    assert.equal(readUserTime('2015-12-02 10:00', 'de', CET).readAs, '2015-12-02T10:00:00+01:00');
    assert.equal(readUserTime('2015-07-02 10:00', 'de', CET).readAs, '2015-07-02T10:00:00+02:00', 'summer time');
  });

  it('reads the locale\'s numeric dates: day first with dots, slashes by locale (the "12/02/2015 10:00" that read as nothing)', () => {
    assert.equal(readUserTime('02.12.2015 10:00', 'de', UTC).ms, Date.UTC(2015, 11, 2, 10));
    assert.equal(readUserTime('12/02/2015 10:00', 'en-US', UTC).ms, Date.UTC(2015, 11, 2, 10), 'US: month first');
    assert.equal(readUserTime('12/02/2015 10:00', 'en-GB', UTC).ms, Date.UTC(2015, 1, 12, 10), 'UK: day first');
    assert.equal(readUserTime('02.12.2015 10:00:05,250', 'de', UTC).ms, Date.UTC(2015, 11, 2, 10, 0, 5, 250));
    assert.equal(readUserTime('2.12.2015', 'de', UTC).ms, Date.UTC(2015, 11, 2));
  });

  it('refuses what it cannot read, saying which forms it takes', () => {
    assert.throws(() => readUserTime('yesterday', 'de'), /ISO 8601.*02\.12\.2015 10:00/);
    assert.throws(() => readUserTime('31.02.2015 10:00', 'de'), /not a time/);
    assert.throws(() => readUserTime('13/13/2015', 'en-US'), /month first/);
  });

  it('filters a real file by a typed local date and says how it was read', async () => {
    const s = new ViewerSession({ files: [fixture('faiteo__Client__web_tracelog.svclog')], access: nodeAccess, post: () => undefined });
    await s.start();
    const all: FilterDto = { levels: [], sources: [], processes: [], threads: [], showDamage: true };
    const first = (await s.request('getRows', { start: 0, count: 1, version: 0 })).rows[0];
    const d = new Date(first.ms as number);
    const p = (n: number): string => String(n).padStart(2, '0');
    // The first event's minute, typed the German way in the machine's local time.
    const typed = `${p(d.getDate())}.${p(d.getMonth() + 1)}.${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
    const v = await s.request('setFilter', { filter: { ...all, from: typed, locale: 'de' } });
    assert.ok(v.total > 0, 'rows from that minute on');
    assert.match(v.timeRead?.from ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$/);
    await assert.rejects(s.request('setFilter', { filter: { ...all, from: '12/02/2015 10:00 tomorrow' } }), /from time.*ISO 8601/);
  });
});
