// Child process for the memory tests of hostile trace files (issue 10 item 3): runs ONE scenario on a file and
// prints its own peak RSS (VmHWM, see peakRss.ts; KiB) as the last stdout line `MAXRSS <kib>`.
//   node hostileTraceChild.js cli-stats FILE [--validate]   the CLI's `trace stats` (output discarded)
//   node hostileTraceChild.js viewer FILE                   a viewer session decoding the file, every message posted
//   node hostileTraceChild.js noop none                     nothing: the measurement's own baseline
import { runCli } from '../../../src/cli/cli';
import { subcommands } from '../../../src/cli/registry';
import { ViewerSession } from '../../../src/traceViewer/viewerSession';
import { nodeAccess } from '../../webview/nodeAccess';
import { peakRssMb } from './peakRss';

async function main(): Promise<void> {
  const [mode, file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: hostileTraceChild cli-stats|viewer FILE');
  let outBytes = 0;
  let code = 0;
  if (mode === 'cli-stats') {
    code = await runCli(['trace', 'stats', file, ...rest], { out: (t) => { outBytes += t.length; }, err: (t) => { process.stderr.write(t); }, env: process.env }, subcommands, 'test');
  } else if (mode === 'viewer') {
    let posted = 0;
    const s = new ViewerSession({ files: [file], access: nodeAccess, post: (m) => { posted++; outBytes += JSON.stringify(m).length; } });
    await s.start();
    await s.handle({ type: 'ready' });
    s.dispose();
    if (!posted) throw new Error('the session posted nothing');
  } else if (mode !== 'noop') throw new Error(`unknown mode ${mode}`);
  process.stdout.write(`EXIT ${code}\nOUTBYTES ${outBytes}\nMAXRSS ${Math.round(peakRssMb() * 1024)}\n`);
}

main().catch((err: unknown) => { process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`); process.exit(70); });
