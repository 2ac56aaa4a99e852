// Files stay small and named for what they hold (CONTRIBUTING.md): no source file under src/ or media/ grows past
// MAX_LINES, except the trace engine (src/trace/, whose hot path is measured, not styled) and the exceptions below,
// each with its reason and the size it may not outgrow.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const MAX_LINES = 300;
const SOURCE = /\.(ts|js|mjs|css)$/;
/** Folders (relative to the repository) whose files are not held to MAX_LINES. */
const ENGINE = ['src/trace/'];
/** File → the most lines it may have, and why it is allowed more than MAX_LINES for now. */
const EXCEPTIONS: Readonly<Record<string, { readonly max: number; readonly reason: string }>> = {
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (SOURCE.test(name)) out.push(relative(root, p).replace(/\\/g, '/'));
  }
  return out;
}

/** Lines as `wc -l` and the import-structure tools count them (a last line without a newline counts too). */
function lineCount(text: string): number {
  if (text === '') return 0;
  const breaks = text.split('\n').length - 1;
  return text.endsWith('\n') ? breaks : breaks + 1;
}

describe('file sizes (src/ and media/, trace engine aside)', () => {
  const files = ['src', 'media'].flatMap((d) => sourceFiles(join(root, d))).filter((f) => !ENGINE.some((e) => f.startsWith(e)));

  it('counts lines as wc -l does', () => {
    assert.equal(lineCount(''), 0);
    assert.equal(lineCount('a\n'), 1);
    assert.equal(lineCount('a\nb'), 2);
    assert.equal(lineCount('a\n\nb\n'), 3);
  });

  it('reads the whole tree: the viewer, the webview and the stylesheets are all measured', () => {
    for (const f of ['src/extension.ts', 'src/traceViewer/viewerSession.ts', 'media/traceViewer.ts', 'media/traceViewer.css']) assert.ok(files.includes(f), f);
    assert.ok(!files.some((f) => f.startsWith('src/trace/')), 'the trace engine is left out');
    assert.ok(files.length > 100, `only ${files.length} files found`);
  });

  it(`keeps every file at ${MAX_LINES} lines or fewer (split a bigger one where a responsibility ends)`, () => {
    const over = files
      .map((f) => ({ f, lines: lineCount(readFileSync(join(root, f), 'utf8')) }))
      .filter(({ f, lines }) => lines > (EXCEPTIONS[f]?.max ?? MAX_LINES))
      .map(({ f, lines }) => `${f}: ${lines} lines (at most ${EXCEPTIONS[f]?.max ?? MAX_LINES})`);
    assert.deepEqual(over, []);
  });

  it('lists each exception with a reason and a limit above the rule (else it is no exception)', () => {
    for (const [f, e] of Object.entries(EXCEPTIONS)) {
      assert.ok(e.reason.length > 20, `${f}: say why`);
      assert.ok(e.max > MAX_LINES, `${f}: a limit of ${e.max} needs no exception`);
      assert.ok(!ENGINE.some((x) => f.startsWith(x)), `${f} is in the trace engine, which is not measured`);
    }
  });
});
