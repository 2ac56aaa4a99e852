// The `trace` CLI subcommand (stats, export) over real fixtures in memory, through runCli with a captured CliIo.
import * as assert from 'node:assert/strict';
import { runCli } from '../../src/cli/cli';
import { createTraceCommand } from '../../src/cli/traceCommand';
import { ExitCode } from '../../src/cli/types';
import { MemoryFiles, captureIo, event, fx } from './helpers/traceFiles';

describe('trace CLI', () => {
  const tracelog = 'laoluolapegba__finservice__Web_tracelog.svclog';
  const messages = 'laoluolapegba__finservice__Web_messages.svclog';
  const mem = new MemoryFiles();
  mem.files.set(tracelog, fx(tracelog));
  mem.files.set(messages, fx(messages));
  mem.files.set('cut.svclog', fx(messages).subarray(0, 2000));
  const cmd = createTraceCommand(mem);

  it('trace stats prints JSON with counts, time range and no damage (exit 0)', async () => {
    const io = captureIo();
    assert.equal(await runCli(['trace', 'stats', tracelog, messages], io, [cmd], '1'), ExitCode.ok);
    const s = JSON.parse(io.stdout);
    assert.equal(s.events, 64);
    assert.equal(s.levels.Error, 6);
    assert.equal(s.levels.Transfer, 26);
    assert.equal(s.files.length, 2);
    assert.ok(s.sources['System.ServiceModel'] > 0);
    assert.ok(s.activities.count > 0 && s.activities.transfers === 26);
    assert.match(s.timeRange.first, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(s.damaged, []);
  });

  it('trace stats reports damaged ranges and exits 1', async () => {
    const io = captureIo();
    assert.equal(await runCli(['trace', 'stats', 'cut.svclog'], io, [cmd], '1'), ExitCode.findings);
    const s = JSON.parse(io.stdout);
    assert.equal(s.events, 1);
    assert.equal(s.damaged.length, 1);
    assert.equal(s.damaged[0].reason, 'truncated');
    assert.equal(s.damaged[0].end, 2000);
  });

  it('trace stats --validate finds markup damage the fast path does not read', async () => {
    const broken = new MemoryFiles();
    broken.files.set('b.svclog', Buffer.from(event('<a><b></a>', { time: '2024-01-01T10:00:00Z' }) + event('ok', { time: '2024-01-01T10:00:01Z' })));
    const cmd2 = createTraceCommand(broken);
    const plain = captureIo();
    assert.equal(await runCli(['trace', 'stats', 'b.svclog'], plain, [cmd2], '1'), ExitCode.ok);
    const strict = captureIo();
    assert.equal(await runCli(['trace', 'stats', 'b.svclog', '--validate'], strict, [cmd2], '1'), ExitCode.findings);
    const s = JSON.parse(strict.stdout);
    assert.equal(s.events, 2);
    assert.deepEqual(s.damaged.map((d: { reason: string; start: number }) => [d.reason, d.start]), [['malformed', 0]]);
  });

  it('trace export writes NDJSON with the documented fields, filtered', async () => {
    const io = captureIo();
    assert.equal(await runCli(['trace', 'export', tracelog, '--level', 'Error,Warning'], io, [cmd], '1'), ExitCode.ok);
    const lines = io.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 6);
    assert.deepEqual(Object.keys(lines[0]), ['time', 'level', 'eventId', 'source', 'activityId', 'relatedActivityId', 'process', 'processId', 'threadId', 'computer', 'message', 'file', 'offset']);
    assert.equal(lines[0].file, tracelog);
    assert.ok(lines.every((l) => l.level === 'Error'));
  });

  it('trace export --format csv quotes fields and merges files by time', async () => {
    const io = captureIo();
    assert.equal(await runCli(['trace', 'export', tracelog, messages, '--format', 'csv'], io, [cmd], '1'), ExitCode.ok);
    const lines = io.stdout.split('\r\n');
    assert.equal(lines[0], 'time,level,eventId,source,activityId,relatedActivityId,process,processId,threadId,computer,message,file,offset');
    assert.equal(lines.length, 64 + 2);
    assert.ok(lines.some((l) => l.endsWith(`,${messages},0`) || l.includes(`,${messages},`)));
  });

  it('trace export --order file keeps each file in its own order; --activity selects an activity and its transfers', async () => {
    const io = captureIo();
    assert.equal(await runCli(['trace', 'export', messages, tracelog, '--order', 'file'], io, [cmd], '1'), ExitCode.ok);
    const files = io.stdout.trim().split('\n').map((l) => JSON.parse(l).file);
    assert.deepEqual([files[0], files[files.length - 1]], [messages, tracelog]);
    const all = io.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const act = all.find((r) => r.level === 'Transfer').relatedActivityId;
    const io2 = captureIo();
    assert.equal(await runCli(['trace', 'export', tracelog, '--activity', act], io2, [cmd], '1'), ExitCode.ok);
    const sel = io2.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(sel.length >= 2);
    assert.ok(sel.every((r) => r.activityId === act || r.relatedActivityId === act));
  });

  it('usage errors exit 2', async () => {
    for (const argv of [['trace'], ['trace', 'stats'], ['trace', 'export', 'x', '--format', 'xml'], ['trace', 'export', 'x', '--level', 'Loud'], ['trace', 'frob', 'x']]) {
      const io = captureIo();
      assert.equal(await runCli(argv, io, [cmd], '1'), ExitCode.usage, argv.join(' '));
      assert.match(io.stderr, /Usage: exchange-remoting trace/);
    }
  });
});
