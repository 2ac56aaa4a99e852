import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTraceCommand } from '../../src/cli/traceCommand';
import type { CliIo } from '../../src/cli/types';
import { TraceCollection, openFile, type FileAccess } from '../../src/trace/index';
import { findSplits, inThreadRanges, openFileParallel, planTargets, type RangeDecoder } from '../../src/trace/parallel';
import { sniffTrace } from '../../src/trace/decoder';
import { nodeFileAccess } from '../../src/util/nodeFileAccess';
import { WORKER_SCRIPT, workerRanges } from '../../src/util/traceWorkers';
import { fixtureDir, fixtureFiles } from './helpers/traceFiles';

// The parallel decoder must give exactly what the single decoder gives: the same `trace export --order file` bytes, the
// same damage, the same final decoder state, wherever the file is cut.

// Every real fixture the repository keeps (test/fixtures/svclog, with its MANIFEST).
const fixtures = fixtureFiles;

function event(message: string, opts: { subType?: string; time?: string; activity?: string; name?: string } = {}): string {
  const ext = opts.name ? `<TraceData><DataItem><TraceRecord xmlns="http://schemas.microsoft.com/2004/10/E2ETraceEvent/TraceRecord" Severity="Start"><TraceIdentifier>x</TraceIdentifier><Description>${message}</Description><AppDomain>a</AppDomain><ExtendedData xmlns="http://schemas.microsoft.com/2006/08/ServiceModel/DictionaryTraceRecord"><ActivityName>${opts.name}</ActivityName></ExtendedData></TraceRecord></DataItem></TraceData>` : message;
  return `<E2ETraceEvent xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"><System xmlns="http://schemas.microsoft.com/2004/06/windows/eventlog/system"><EventID>7</EventID><Type>3</Type><SubType Name="${opts.subType ?? 'Information'}">0</SubType><Level>8</Level><TimeCreated SystemTime="${opts.time ?? '2024-01-02T03:04:05.1234567Z'}" /><Source Name="Test" /><Correlation ActivityID="${opts.activity ?? '{00000000-0000-0000-0000-000000000000}'}" /><Execution ProcessName="proc" ProcessID="42" ThreadID="1" /><Channel/><Computer>PC</Computer></System><ApplicationData>${ext}</ApplicationData></E2ETraceEvent>`;
}

function captureIo(): CliIo & { text: () => string } {
  const out: string[] = [];
  return { env: {}, out: (s: string) => { out.push(s); }, err: () => undefined, text: () => out.join('') };
}

const tmp = mkdtempSync(join(tmpdir(), 'trace-parallel-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let fileNo = 0;
function write(bytes: Buffer | string, ext = 'svclog'): string {
  const p = join(tmp, `f${fileNo++}.${ext}`);
  writeFileSync(p, bytes);
  return p;
}

/** `trace <action> <path> --order file` with one thread, and with the given cuts on two in-thread "workers". */
async function cliBoth(action: 'export' | 'stats', path: string, targets: readonly number[], ranges?: (n: number) => RangeDecoder): Promise<{ single: string; parallel: string; codes: [number, number] }> {
  const args = action === 'export' ? ['export', path, '--order', 'file'] : ['stats', path];
  const one = captureIo();
  const c1 = await createTraceCommand(nodeFileAccess).run([...args, '--threads', '1'], one);
  const par = captureIo();
  const c2 = await createTraceCommand(nodeFileAccess, {
    ranges: ranges ?? (() => inThreadRanges(nodeFileAccess, 2)),
    splitTargets: () => targets,
  }).run([...args, '--threads', '2'], par);
  return { single: one.text(), parallel: par.text(), codes: [c1, c2] };
}

/** Engine-level comparison: rows, damage, activity names and the decoder's final state. */
async function engineBoth(path: string, targets: readonly number[], access: FileAccess = nodeFileAccess): Promise<{ cuts: number[] }> {
  const a = new TraceCollection();
  await openFile(a, access, path, { yieldBetweenChunks: false });
  const b = new TraceCollection();
  await openFileParallel(b, access, path, { yieldBetweenChunks: false, ranges: inThreadRanges(access, 2), splitTargets: targets });
  const fa = a.files[0], fb = b.files[0];
  assert.equal(fb.store.count, fa.store.count, 'event count');
  for (let r = 0; r < fa.store.count; r++) assert.deepEqual(b.row(0, r), a.row(0, r), `row ${r}`);
  assert.deepEqual(b.damage(), a.damage(), 'damage');
  assert.deepEqual(fb.decoder.resumeState(), fa.decoder.resumeState(), 'final decoder state');
  assert.equal(fb.decoder.done, fa.decoder.done);
  const names = (c: TraceCollection): string[] => [...c.files[0].store.activityNames].map(([act, n]) => `${c.pools.activity.get(act)}=${c.pools.names.get(n)}`).sort();
  assert.deepEqual(names(b), names(a), 'activity names');
  assert.deepEqual(Buffer.from(fb.head), Buffer.from(fa.head), 'head kept for follow');
  const size = readFileSync(path).length;
  const sn = sniffTrace(readFileSync(path).subarray(0, 1 << 20));
  const cuts = sn.qname ? await findSplits(access, path, size, { ...sn, qname: sn.qname }, targets) : [];
  return { cuts };
}

/** Cut targets at every k-th byte (and a few odd offsets). */
function everyK(size: number, parts: number): number[] {
  const out: number[] = [];
  for (let k = 1; k < parts; k++) out.push(Math.floor((size * k) / parts) | 1);
  return out;
}

describe('trace engine: parallel decode gives what the single decoder gives', () => {
  it('every real fixture, cut into up to 12 ranges: `trace export --order file` and `trace stats` are byte-identical', async function () {
    this.timeout(120_000);
    let cutFiles = 0;
    for (const name of fixtures) {
      const path = join(fixtureDir, name);
      const size = readFileSync(path).length;
      const targets = everyK(size, 12);
      const ex = await cliBoth('export', path, targets);
      assert.equal(ex.parallel, ex.single, `${name}: export differs`);
      assert.equal(ex.codes[1], ex.codes[0], `${name}: exit code`);
      const st = await cliBoth('stats', path, targets);
      assert.equal(st.parallel, st.single, `${name}: stats differ`);
      const { cuts } = await engineBoth(path, targets);
      if (cuts.length > 0) cutFiles++;
    }
    assert.ok(cutFiles >= Math.min(3, fixtures.length), `the fixtures were really cut (${cutFiles} of ${fixtures.length})`);
  });

  it('crafted damage: truncated events, garbage, a BOM in the middle, invalid characters, malformed markup, a truncated tail', async () => {
    const ev = (i: number): string => event(`message ${i} &amp; more`, { time: `2024-01-02T03:04:${String(i % 60).padStart(2, '0')}.1234567Z`, activity: `{0000000${i % 5}-0000-0000-0000-000000000000}`, subType: i % 7 === 0 ? 'Start' : 'Information', name: i % 7 === 0 ? `act ${i}` : undefined });
    const parts: string[] = [];
    for (let i = 0; i < 60; i++) {
      parts.push(ev(i));
      if (i === 5) parts.push('garbage between events');
      if (i === 9) parts.push(ev(100).slice(0, 250)); // truncated, followed by a complete event
      if (i === 14) parts.push('\uFEFF\n  ');
      if (i === 20) parts.push(event('bell \u0007 and &#x1B; inside'));
      if (i === 26) parts.push(event('x').replace('<Level>8</Level>', '<Level>8</Lev>'));
      if (i === 33) parts.push('<E2ETraceEvent>'); // a bare start, truncated by the next
      if (i === 40) parts.push(' \n\t');
    }
    parts.push(ev(200).slice(0, 300)); // truncated at end of file
    const text = parts.join('');
    const path = write(Buffer.from(text, 'utf8'));
    const size = Buffer.byteLength(text);
    // Cuts land everywhere: inside the garbage, inside truncated events, at the BOM, in the tail.
    for (const n of [2, 5, 17, 40]) {
      const targets = everyK(size, n);
      const ex = await cliBoth('export', path, targets);
      assert.equal(ex.parallel, ex.single, `export, ${n} parts`);
      const st = await cliBoth('stats', path, targets);
      assert.equal(st.parallel, st.single, `stats, ${n} parts`);
      const { cuts } = await engineBoth(path, targets);
      assert.ok(cuts.length >= Math.min(n - 1, 3), `cut ${cuts.length} times`);
    }
    assert.match((await cliBoth('stats', path, [1000])).single, /"reason": "garbage"/);
  });

  it('cuts that fall inside a CDATA section and a comment holding event start tags', async () => {
    const inCdata = event('<![CDATA[ raw <E2ETraceEvent xmlns="x"> and </E2ETraceEvent> inside ]]> after');
    const inComment = event('<!-- <E2ETraceEvent > commented out --> text');
    const text = [event('one'), inCdata, event('two'), inComment, event('three'), inCdata, event('four')].join('\n');
    const path = write(text);
    const b = Buffer.from(text);
    const cdataSig = b.indexOf('<E2ETraceEvent xmlns="x">');
    const commentSig = b.indexOf('<E2ETraceEvent > commented');
    // Targets just inside the CDATA and the comment: the cut is the start tag written inside them.
    const targets = [cdataSig - 3, commentSig - 2, b.lastIndexOf('<![CDATA[') + 4];
    const { cuts } = await engineBoth(path, targets);
    assert.ok(cuts.includes(cdataSig), 'a cut inside the CDATA section');
    assert.ok(cuts.includes(commentSig), 'a cut inside the comment');
    const ex = await cliBoth('export', path, targets);
    assert.equal(ex.parallel, ex.single);
    const st = await cliBoth('stats', path, targets);
    assert.equal(st.parallel, st.single);
  });

  for (const enc of ['utf-16le', 'utf-16be'] as const) {
    it(`${enc}: cuts inside surrogate pairs and at odd offsets`, async () => {
      const text = '\uFEFF' + Array.from({ length: 40 }, (_, i) => event(`emoji \u{1F600}\u{1F4A9} number ${i} \u00e9`)).join('\r\n');
      let bytes = Buffer.from(text, 'utf16le');
      if (enc === 'utf-16be') bytes = Buffer.from(bytes).swap16();
      const path = write(bytes);
      // Every surrogate pair's second byte and its low surrogate: odd and even offsets inside the pairs.
      const targets: number[] = [];
      const hi = enc === 'utf-16le' ? Buffer.from([0x3d, 0xd8]) : Buffer.from([0xd8, 0x3d]);
      for (let i = bytes.indexOf(hi); i >= 0 && targets.length < 30; i = bytes.indexOf(hi, i + 40)) targets.push(i + 1, i + 2, i + 3);
      const { cuts } = await engineBoth(path, targets);
      assert.ok(cuts.length >= 10, `cut ${cuts.length} times`);
      for (const c of cuts) assert.equal(c % 2, 0, 'cuts are on code units');
      const ex = await cliBoth('export', path, targets);
      assert.equal(ex.parallel, ex.single);
      assert.match(ex.single, /\u{1F600}/u);
      const st = await cliBoth('stats', path, targets);
      assert.equal(st.parallel, st.single);
    });
  }

  it('a cut inside a damaged range (garbage, and a truncated event) keeps one range, as the single decoder has it', async () => {
    const text = event('a') + 'x'.repeat(5000) + event('b') + event('c').slice(0, 400) + ' '.repeat(3000) + event('d');
    const path = write(text);
    const targets = [event('a').length + 2500, event('a').length + 5000 + event('b').length + 200];
    await engineBoth(path, targets);
    const st = await cliBoth('stats', path, targets);
    assert.equal(st.parallel, st.single);
    const damage = (JSON.parse(st.parallel) as { damaged: Array<{ reason: string }> }).damaged.map((d) => d.reason);
    assert.deepEqual(damage, ['garbage', 'truncated']);
  });

  it('random corruption: never throws, and always matches the single decoder', async () => {
    let seed = 7;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const clean = Buffer.from(Array.from({ length: 50 }, (_, i) => event(`m${i} <![CDATA[c<d]]>`)).join(''));
    for (let round = 0; round < 12; round++) {
      const b = Buffer.from(clean);
      for (let k = 0; k < 20; k++) b[rnd(b.length)] = [0x3c, 0x3e, 0x2f, 0x00, 0xff, 0x20, 0x26][rnd(7)];
      const path = write(b);
      const targets = Array.from({ length: 6 }, () => rnd(b.length));
      await engineBoth(path, targets);
      const ex = await cliBoth('export', path, targets);
      assert.equal(ex.parallel, ex.single, `round ${round}`);
    }
  });

  it('a file that is not a trace, an empty file and a file with one event are left to the single decoder and match it', async () => {
    for (const bytes of [Buffer.from('\x89PNG\r\n\x1a\n not a trace at all'), Buffer.alloc(0), Buffer.from(event('only'))]) {
      const path = write(bytes);
      await engineBoth(path, [1, 5, 100]);
      const st = await cliBoth('stats', path, [1, 5, 100]);
      assert.equal(st.parallel, st.single);
    }
  });

  it('`--threads` takes a whole number from 1 to 256', async () => {
    const path = write(event('x'));
    for (const bad of ['0', '1.5', 'many', '257']) {
      await assert.rejects(createTraceCommand(nodeFileAccess).run(['stats', path, '--threads', bad], captureIo()), /--threads must be a whole number/);
    }
  });

  it('the automatic plan: this thread a little under its share first, then one range per worker of at most 512 MiB', () => {
    for (const [mb, threads, ranges] of [[500, 2, 1], [500, 4, 3], [2048, 2, 3], [100, 1, 1], [17, 2, 1]]) {
      const size = mb * 2 ** 20;
      const t = planTargets(size, threads);
      assert.ok(t[0] < size / threads && t[0] > 0.9 * (size / threads), `this thread's share: ${t[0]} of ${size}`);
      assert.equal(t.length, ranges, `${mb} MiB on ${threads} threads: ${t.length} ranges for the workers`);
      for (let i = 1; i < t.length; i++) assert.ok(t[i] > t[i - 1]);
      const lengths = [...t.slice(1), size].map((x, i) => x - t[i]);
      assert.ok(Math.max(...lengths) <= 512 << 20, 'no range over 512 MiB');
      assert.ok(Math.max(...lengths) - Math.min(...lengths) <= 1 << 20, 'equal ranges (up to where events start)');
    }
  });

  it('real worker threads decode the ranges (and one thread still works)', async function () {
    this.timeout(60_000);
    if (!existsSync(WORKER_SCRIPT)) this.skip();
    const text = Array.from({ length: 3000 }, (_, i) => event(`worker event ${i}`, { activity: `{${String(i % 50).padStart(8, '0')}-0000-0000-0000-000000000000}`, subType: i % 50 === 0 ? 'Start' : 'Warning', name: i % 50 === 0 ? `n${i}` : undefined })).join('');
    const path = write(text);
    const size = Buffer.byteLength(text);
    for (const threads of [1, 2, 3]) {
      const ex = await cliBoth('export', path, everyK(size, 7), (n) => workerRanges(Math.max(1, n === 2 ? threads : n)));
      assert.equal(ex.parallel, ex.single, `${threads} worker(s)`);
    }
    // A worker that cannot start: the ranges are decoded on this thread instead, with the same result.
    const broken = workerRanges(2, join(tmp, 'no-such-worker.js'));
    const ex = await cliBoth('export', path, everyK(size, 5), () => broken);
    assert.equal(ex.parallel, ex.single);
  });
});
