import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VIEWER_UI_STRINGS } from '../../src/traceViewer/uiStrings';

const ROOT = join(__dirname, '..', '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : n.endsWith('.ts') ? [p] : [];
  });
}

describe('trace viewer UI strings', () => {
  it('lists every t(\'…\') of the webview, so the host can localise all of them', () => {
    const listed = new Set(VIEWER_UI_STRINGS);
    const missing: string[] = [];
    for (const file of tsFiles(join(ROOT, 'media'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('((?:[^'\\]|\\.)+)'\)/g)) {
        const text = JSON.parse(`"${m[1].replace(/"/g, '\\"')}"`) as string;
        if (!listed.has(text)) missing.push(`${text} (${file})`);
      }
    }
    assert.deepEqual(missing, []);
    assert.equal(new Set(VIEWER_UI_STRINGS).size, VIEWER_UI_STRINGS.length, 'no duplicates');
  });
});
