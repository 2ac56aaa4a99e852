// Counts, history and drift, transcripts: the pure state behind the checklist's rows, notices and documents.
import * as assert from 'node:assert/strict';
import { countStates, countsText } from '../../src/state/counts';
import { History, HISTORY_LIMITS } from '../../src/state/history';
import { bound, renderTranscripts, splitWarnings, TranscriptStore, TRANSCRIPT_LIMITS } from '../../src/state/transcripts';
import type { StoredResult } from '../../src/state/resultStore';
import { localTime } from '../../src/util/localTime';
import { settingsCommandFor } from '../../src/tree/settingsPlace';
import { MemoryStore, t } from './fakes';
import { isWorkbenchNoise } from '../tooling/workbenchNoise';

const result = (stepId: string, status: StoredResult['status'], checkedAt: string, summary = `${status} summary`): StoredResult =>
  ({ stepId, status, summary, evidence: [], reason: '', checkedAt });

describe('state counts', () => {
  it('keeps never-checked steps apart from failed ones, in the row text and the table', () => {
    const never = countStates(['unknown', 'unknown', 'unknown']);
    assert.equal(never.failed, 0);
    assert.equal(never.passed, 0);
    assert.equal(countsText(never, t), 'not checked yet');
    const mixed = countStates(['pass', 'confirmed', 'fail', 'error', 'warn', 'unknown', 'notApplicable']);
    assert.deepEqual(mixed, { total: 7, notChecked: 1, passed: 2, failed: 1, warned: 1, couldNotCheck: 1, notApplicable: 1, running: 0 });
    assert.equal(countsText(mixed, t), '1 failed, 1 could not check, 1 warning, 2 passed, 1 not checked, 1 not applicable');
    assert.equal(countsText(countStates(['fail', 'fail']), t), '2 failed');
  });
});

describe('history and drift', () => {
  it('marks a step whose state changed since the previous run, and calls passed → anything else drift', async () => {
    const h = new History(new MemoryStore(), 'h');
    assert.deepEqual(await h.record('exch01', 'check', '2026-12-01T08:00:00Z', [result('a', 'pass', '2026-12-01T08:00:00Z'), result('b', 'fail', '2026-12-01T08:00:00Z')]), []);
    const changes = await h.record('exch01', 'check', '2026-12-01T09:00:00Z', [result('a', 'fail', '2026-12-01T09:00:00Z'), result('b', 'pass', '2026-12-01T09:00:00Z')]);
    assert.deepEqual(changes.map((c) => [c.stepId, c.before.status, c.after.status, c.drift]), [['a', 'pass', 'fail', true], ['b', 'fail', 'pass', false]]);
    assert.equal(h.changeOf('exch01', 'a')?.drift, true);
    assert.equal(h.changeOf('exch01', 'a')?.before.summary, 'pass summary', 'the earlier result is kept for the side-by-side notice');
    // The same failure again: no new change, so the drift is said once.
    assert.deepEqual(await h.record('exch01', 'periodic', '2026-12-01T10:00:00Z', [result('a', 'fail', '2026-12-01T10:00:00Z')]), []);
    assert.equal(h.changeOf('exch01', 'a'), undefined);
  });

  it('compares each step with its own previous run (a run of one step leaves the others alone), and skips manual ticks', async () => {
    const h = new History(new MemoryStore(), 'h');
    await h.record('s', 'check', 't1', [result('a', 'fail', 't1'), result('b', 'pass', 't1')]);
    await h.record('s', 'remediation', 't2', [result('a', 'pass', 't2')]);
    assert.deepEqual([h.changeOf('s', 'a')?.kind, h.changeOf('s', 'b')], ['remediation', undefined]);
    assert.deepEqual(await h.record('s', 'check', 't3', [{ ...result('b', 'pass', 't3'), manual: { by: 'x', at: 't3' } }]), []);
    assert.equal(h.runsOf('s').length, 2);
  });

  it('is bounded per server and survives a reload; an unreadable stored history is dropped, not thrown', async () => {
    const storage = new MemoryStore();
    const h = new History(storage, 'h');
    for (let i = 0; i < HISTORY_LIMITS.runsPerServer + 5; i++) await h.record('s', 'check', `t${i}`, [result('a', i % 2 ? 'pass' : 'fail', `t${i}`)]);
    assert.equal(h.runsOf('s').length, HISTORY_LIMITS.runsPerServer);
    const again = new History(storage, 'h');
    assert.equal(again.load(), true);
    assert.equal(again.runsOf('s').length, HISTORY_LIMITS.runsPerServer);
    await storage.update('h', { version: 1, servers: { s: [{ at: 1 }] } });
    assert.equal(again.load(), false);
    assert.equal(again.runsOf('s').length, 0);
  });
});

describe('transcripts', () => {
  it('keeps output, errors, warnings, duration and target of the last check and remediation per step, bounded', async () => {
    const storage = new MemoryStore();
    const store = new TranscriptStore(storage, 'tr');
    const split = splitWarnings('line 1\nWARNING: listener is HTTP only\nline 2');
    assert.deepEqual(split, { output: 'line 1\nline 2', warnings: ['listener is HTTP only'] });
    await store.record({ server: 'exch01', stepIds: ['a', 'b'], kind: 'check', target: 'exch01 over WinRM HTTPS', startedAt: '2026-12-01T09:00:00Z', durationMs: 812, outcome: 'ok', output: 'x'.repeat(TRANSCRIPT_LIMITS.outputChars * 2), errors: ['Access is denied'], warnings: split.warnings });
    await store.record({ server: 'exch01', stepIds: ['a'], kind: 'remediation', target: 'exch01 over WinRM HTTPS', startedAt: '2026-12-01T09:05:00Z', durationMs: 40, outcome: 'script-error', output: 'Added', errors: [], warnings: [] });
    const a = store.forStep('exch01', 'a');
    assert.deepEqual(a.map((x) => x.kind), ['remediation', 'check'], 'newest first');
    assert.ok((a[1]?.output.length ?? 0) <= TRANSCRIPT_LIMITS.outputChars + 3);
    assert.equal(a[1]?.truncated, true);
    assert.equal(store.forStep('exch01', 'b').length, 1, 'one round trip, both steps');
    const reloaded = new TranscriptStore(storage, 'tr');
    reloaded.load();
    assert.equal(reloaded.get('exch01', 'b', 'check')?.durationMs, 812);
    const text = renderTranscripts('A — exch01', a, t, (iso) => `local ${iso}`);
    assert.match(text, /== Remediation · local 2026-12-01T09:05:00Z · 40 ms ==/);
    assert.match(text, /Target: exch01 over WinRM HTTPS/);
    assert.match(text, /-- Errors --\nAccess is denied/);
    assert.match(text, /-- Warnings --\nlistener is HTTP only/);
    assert.match(text, /-- Output \(shortened\) --/);
    assert.deepEqual(bound('abcdef', 4), { text: 'ab\n…\nef', truncated: true });
  });
});

describe('times and settings for people', () => {
  it('shows instants in the user\'s locale and time zone, never as UTC ISO text', () => {
    assert.equal(localTime('2026-12-01T09:30:00.000Z', 'de-DE', 'Europe/Berlin'), '01.12.2026, 10:30');
    assert.equal(localTime('2026-12-01T09:30:00.000Z', 'en-GB', 'Europe/London'), '1 Dec 2026, 09:30');
    assert.equal(localTime('not a time', 'en-GB'), 'not a time');
  });

  it('opens the Remote settings tab for a machine setting when VS Code runs against a remote', () => {
    assert.deepEqual(settingsCommandFor('ssh-remote', 'exchangeRemoting.powershell.executable'), ['workbench.action.openRemoteSettings', 'exchangeRemoting.powershell.executable']);
    assert.deepEqual(settingsCommandFor(undefined, 'k'), ['workbench.action.openSettings', 'k']);
  });
});

describe('host-tier output', () => {
  it('leaves out workbench messages about unreachable online services, keeps real errors', () => {
    assert.equal(isWorkbenchNoise('Error: getaddrinfo ENOTFOUND open-vsx.org\n    at GetAddrInfoReqWrap.onlookup (node:dns:120:26)'), true);
    assert.equal(isWorkbenchNoise('[AgentHost] sign-in unavailable'), true);
    assert.equal(isWorkbenchNoise("Unable to read file 'vscode-remote:/tmp/u/User/tasks.json' (Canceled: Canceled): Error: …\n    at ume.restoreReadError (workbench.js:5225)"), true);
    assert.equal(isWorkbenchNoise('AssertionError: expected 3 servers'), false);
    assert.equal(isWorkbenchNoise('  1) checklist commands as VS Code calls them'), false);
  });
});
