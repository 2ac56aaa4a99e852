import * as assert from 'node:assert/strict';
import { ResultStore, isStale, type StoredResult } from '../../src/state/resultStore';
import { MemoryStore } from './fakes';

const KEY = 'results';
const CORRUPT = 'results.corrupt';

function result(stepId: string, status: StoredResult['status'], checkedAt = '2026-11-22T10:00:00.000Z'): StoredResult {
  return { stepId, status, summary: `${stepId} ${status}`, evidence: [{ label: 'Group', value: 'Remote Management Users' }], reason: 'because', checkedAt };
}

describe('result store', () => {
  it('keeps the last result per server and step, fires changes, and survives a reload', async () => {
    const storage = new MemoryStore();
    const store = new ResultStore(storage, KEY, CORRUPT);
    const changes: string[] = [];
    store.onDidChange((c) => changes.push(`${c.server}/${c.stepId ?? '*'}`));
    store.setRunning('exch01.contoso.com', 'ps-remoting', true);
    assert.equal(store.isRunning('exch01.contoso.com', 'ps-remoting'), true);
    await store.set('exch01.contoso.com', result('ps-remoting', 'fail'));
    await store.set('exch01.contoso.com', result('ps-remoting', 'pass'));
    assert.equal(store.isRunning('exch01.contoso.com', 'ps-remoting'), false, 'a result ends the running state');
    assert.deepEqual(changes, ['exch01.contoso.com/ps-remoting', 'exch01.contoso.com/ps-remoting', 'exch01.contoso.com/ps-remoting']);

    const reloaded = new ResultStore(storage, KEY, CORRUPT);
    assert.equal(await reloaded.load(), undefined);
    assert.equal(reloaded.get('exch01.contoso.com', 'ps-remoting')?.status, 'pass');
    assert.equal(reloaded.forServer('exch01.contoso.com').size, 1);
  });

  for (const [what, raw] of [
    ['a string', 'garbage'],
    ['a wrong version', { version: 99, results: {} }],
    ['a result with an unknown status', { version: 1, results: { 'exch01.contoso.com': { 'ps-remoting': { ...result('ps-remoting', 'pass'), status: 'great' } } } }],
    ['a result filed under another step', { version: 1, results: { 'exch01.contoso.com': { 'ps-remoting': result('trusted-hosts', 'pass') } } }],
    ['evidence that is not label/value', { version: 1, results: { a: { 'ps-remoting': { ...result('ps-remoting', 'pass'), evidence: [42] } } } }],
    // Issue 10 item 8: the optional fields are type-checked too (else presentStep threw on every refresh).
    ['a code that is a number', { version: 1, results: { 'exch01.contoso.com': { 'ps-remoting': { ...result('ps-remoting', 'error'), code: 42 } } } }],
    ['a code that is an object', { version: 1, results: { 'exch01.contoso.com': { 'ps-remoting': { ...result('ps-remoting', 'error'), code: { replace: 1 } } } } }],
    ['a policy that is a string', { version: 1, results: { 'exch01.contoso.com': { 'ps-remoting': { ...result('ps-remoting', 'warn'), policy: 'GPO' } } } }],
    ['a policy with a numeric field', { version: 1, results: { 'exch01.contoso.com': { 'ps-remoting': { ...result('ps-remoting', 'warn'), policy: { setting: 's', policy: 1, proposal: 'p' } } } } }],
    ['a manual confirmation that is true', { version: 1, results: { 'exch01.contoso.com': { 'ps-remoting': { ...result('ps-remoting', 'pass'), manual: true } } } }],
    ['a manual confirmation without a date', { version: 1, results: { 'exch01.contoso.com': { 'ps-remoting': { ...result('ps-remoting', 'pass'), manual: { by: 'me' } } } } }],
    ['a huge summary', { version: 1, results: { 'exch01.contoso.com': { 'ps-remoting': { ...result('ps-remoting', 'pass'), summary: 'x'.repeat(200_000) } } } }],
  ] as const) {
    it(`sets aside a corrupted state (${what}) with a warning and starts empty`, async () => {
      const storage = new MemoryStore();
      await storage.update(KEY, raw);
      const store = new ResultStore(storage, KEY, CORRUPT);
      const warning = await store.load();
      assert.ok(warning && warning.length > 10, 'a warning to show');
      assert.equal(storage.get(KEY), undefined);
      const aside = storage.get<{ raw: unknown; reason: string }>(CORRUPT);
      assert.deepEqual(aside?.raw, raw, 'the unreadable state is kept for inspection, not lost');
      assert.equal(store.forServer('exch01.contoso.com').size, 0);
      await store.set('exch01.contoso.com', result('ps-remoting', 'pass'));
      assert.equal(new ResultStore(storage, KEY, CORRUPT).get('exch01.contoso.com', 'ps-remoting'), undefined, 'new store is empty until loaded');
    });
  }

  it('clears one step or a whole server', async () => {
    const store = new ResultStore(new MemoryStore(), KEY, CORRUPT);
    await store.set('a.contoso.com', result('ps-remoting', 'pass'));
    await store.set('a.contoso.com', result('trusted-hosts', 'fail'));
    await store.clear('a.contoso.com', 'ps-remoting');
    assert.deepEqual([...store.forServer('a.contoso.com').keys()], ['trusted-hosts']);
    await store.clear('a.contoso.com');
    assert.equal(store.forServer('a.contoso.com').size, 0);
  });

  it('marks results older than the configured age stale, never manual confirmations', () => {
    const now = new Date('2026-11-22T12:00:00.000Z');
    assert.equal(isStale(result('x', 'pass', '2026-11-22T11:30:00.000Z'), now, 60), false);
    assert.equal(isStale(result('x', 'pass', '2026-11-22T10:30:00.000Z'), now, 60), true);
    assert.equal(isStale(result('x', 'pass', 'not a date'), now, 60), true);
    assert.equal(isStale({ ...result('x', 'pass', '2020-01-01T00:00:00Z'), manual: { by: 'admin', at: '2020-01-01' } }, now, 60), false);
  });
});
