// Issue 10 item 3: a hostile trace file cannot kill the extension host. Two crafted files, generated here into a temp
// dir (never committed): one 50 MB event and one 157 MB event whose text is nothing but entity references. The CLI's
// `trace stats` (with and without --validate) and a viewer session decode each in a child process, whose peak RSS
// (its own VmHWM: getrusage's maxRSS would count the parent's memory at fork) must stay under a stated bound: 3 × the event's size + 200 MB (50 MB: 350 MB, 157 MB: 671 MB).
// The event's bytes are read in chunks and carried until it ends (about twice its size; --validate also holds it as
// one string), never a multiple of the decoded text. Before the fix: 1.8 GB, 2.9 GB with --validate, and the 157 MB
// event ran V8 out of memory.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MB = 1024 * 1024;
const CHILD = join(__dirname, 'helpers', 'hostileTraceChild.js');
/** Fixed allowance over the event's own bytes: Node itself and the decoder's tables. */
const ALLOWANCE_MB = 200;

function bound(fileBytes: number): number {
  return Math.round(3 * fileBytes / MB + ALLOWANCE_MB);
}

/** One event whose ApplicationData is `size` bytes of entity references (mixed named and numeric). */
function writeEntityEvent(file: string, size: number): number {
  const head = '<E2ETraceEvent xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"><System xmlns="http://schemas.microsoft.com/2004/06/windows/eventlog/system"><EventID>1</EventID><Type>3</Type><SubType Name="Error">0</SubType><Level>2</Level><TimeCreated SystemTime="2026-01-02T03:04:05.0000000Z" /><Source Name="Hostile" /><Correlation ActivityID="{00000000-0000-0000-0000-000000000001}" /><Execution ProcessName="x" ProcessID="1" ThreadID="1" /><Channel/><Computer>PC</Computer></System><ApplicationData>';
  const tail = '</ApplicationData></E2ETraceEvent>\n';
  const unit = Buffer.from('&amp;&lt;&#x41;&#66;&gt;&quot;'.repeat(2048));
  const fd = openSync(file, 'w');
  let written = writeSync(fd, head);
  while (written < size - tail.length) written += writeSync(fd, unit, 0, Math.min(unit.length, size - tail.length - written));
  written += writeSync(fd, tail);
  closeSync(fd);
  return written;
}

function runChild(args: string[]): Promise<{ exit: number; maxRssMb: number; outBytes: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CHILD, ...args], { maxBuffer: 16 * MB }, (err, stdout, stderr) => {
      const rss = /MAXRSS (\d+)/.exec(stdout);
      if (!rss) { reject(new Error(`the child died (${err?.message ?? 'no result'}): ${stderr.slice(-2000)}`)); return; }
      resolve({ exit: Number(/EXIT (\d+)/.exec(stdout)?.[1] ?? -1), maxRssMb: Math.round(Number(rss[1]) / 1024), outBytes: Number(/OUTBYTES (\d+)/.exec(stdout)?.[1]), stderr });
    });
  });
}

describe('hostile trace files: memory per event is bounded (issue 10)', function () {
  this.timeout(600_000);
  let dir: string;
  const files: Record<string, { path: string; bytes: number }> = {};

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ers-hostile-trace-'));
    for (const [name, mb] of [['50MB', 50], ['157MB', 157]] as const) {
      const path = join(dir, `entities-${name}.svclog`);
      files[name] = { path, bytes: writeEntityEvent(path, mb * MB) };
    }
  });

  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('measures the child\'s own peak, not the parent\'s memory at fork', async () => {
    // The suite's mocha process can hold a few hundred MB when this file runs; maxRSS would hand that to every child.
    const ballast = Buffer.alloc(400 * MB, 1);
    const r = await runChild(['noop', 'none']);
    assert.ok(ballast[ballast.length - 1] === 1);
    assert.ok(r.maxRssMb < 200, `an idle child reported ${r.maxRssMb} MB beside a parent holding 400 MB`);
  });

  for (const name of ['50MB', '157MB']) {
    for (const mode of [['cli-stats'], ['cli-stats', '--validate'], ['viewer']]) {
      it(`${name} event of entity references: ${mode.join(' ')} stays under its peak-RSS bound`, async () => {
        const f = files[name]!;
        const [first, ...rest] = mode;
        const r = await runChild([first as string, f.path, ...rest]);
        const limit = bound(f.bytes);
        console.log(`      ${name} ${mode.join(' ')}: peak RSS ${r.maxRssMb} MB (bound ${limit} MB), output ${r.outBytes} bytes`);
        assert.ok(r.exit === 0 || r.exit === 1, `exit ${r.exit}: ${r.stderr.slice(-500)}`);
        assert.ok(r.maxRssMb < limit, `peak RSS ${r.maxRssMb} MB is over the bound of ${limit} MB`);
      });
    }
  }
});
