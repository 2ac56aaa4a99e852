// `npm run bench`: runs every benchmark module in sequence. Add a module by appending one line to `benches`.
// Each module exports `run(log)`; results are printed as Markdown tables for the README.

import { benchRunner } from './runner';
import { benchRunnerSsh } from './runnerSsh';
import { run as benchTrace } from './trace';
import { run as benchTree } from './tree';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The viewer benchmark drives Chromium; it runs as its own process (out/test/webview/bench.js). */
const benchViewer: Bench = (log) => new Promise((resolve, reject) => {
  const child = spawn(process.execPath, ['--expose-gc', join(__dirname, '..', 'test', 'webview', 'bench.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', (d: Buffer) => log(d.toString().trimEnd()));
  child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`viewer benchmark exited with ${String(code)}`))));
});

/** The same viewer in the real VS Code (code-server, Chromium, the packaged extension): out/test/ui/firstRowsBench.js. */
const benchViewerVsCode: Bench = (log) => new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [join(__dirname, '..', 'test', 'ui', 'firstRowsBench.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', (d: Buffer) => log(d.toString().trimEnd()));
  child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`viewer benchmark in VS Code exited with ${String(code)}`))));
});

type Bench = (log: (s: string) => void) => Promise<void>;

const benches: Array<[string, Bench]> = [
  ['runner', benchRunner],
  ['runner-ssh', benchRunnerSsh],
  ['trace', benchTrace],
  ['tree', benchTree],
  ['viewer', benchViewer],
  ['viewer-vscode', benchViewerVsCode],
];

async function main(): Promise<void> {
  // `node out/bench/index.js trace` runs only the named benchmarks.
  const only = process.argv.slice(2);
  for (const [name, bench] of benches) {
    if (only.length && !only.includes(name)) continue;
    const t = Date.now();
    await bench((s) => process.stdout.write(s + '\n'));
    process.stdout.write(`\n(${name}: ${((Date.now() - t) / 1000).toFixed(1)} s)\n\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(String((e as Error).stack ?? e) + '\n');
  process.exitCode = 3;
});
