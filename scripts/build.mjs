// Builds the extension host bundle, the CLI bundle, the webview bundle, and transpiles tests.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const production = process.argv.includes('--production');

function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const common = { logLevel: 'warning', sourcemap: production ? false : 'linked', absWorkingDir: root };

const builds = [
  // Extension host: one CommonJS file, vscode provided by the host.
  esbuild.build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'], minify: production,
  }),
  // Command line: same pure modules, no vscode at all.
  esbuild.build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    banner: { js: '#!/usr/bin/env node' }, minify: production,
    define: { __VERSION__: JSON.stringify(pkg.version) },
  }),
  // Trace decode worker thread (started by src/util/traceWorkers.ts from the same folder as the bundle).
  esbuild.build({
    ...common,
    entryPoints: ['src/util/traceDecodeWorker.ts'],
    outfile: 'dist/traceDecodeWorker.js',
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: production,
  }),
  // Webview: browser IIFE.
  esbuild.build({
    ...common,
    entryPoints: ['media/traceViewer.ts'],
    outfile: 'dist/webview/traceViewer.js',
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', minify: production,
  }),
  // Webview stylesheet: media/traceViewer.css with its @imports (media/styles/) inlined, one file for the CSP shell.
  esbuild.build({
    ...common,
    entryPoints: ['media/traceViewer.css'],
    outfile: 'dist/webview/traceViewer.css',
    bundle: true, sourcemap: false, minify: production,
  }),
  // Tests and sources transpiled file by file (no bundling) so mocha can run any one test alone.
  esbuild.build({
    ...common,
    entryPoints: ['src', 'test', 'bench'].filter((d) => existsSync(join(root, d))).flatMap((d) => tsFiles(join(root, d))).map((p) => relative(root, p)),
    outdir: 'out', outbase: '.',
    bundle: false, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline',
  }),
];
await Promise.all(builds);
