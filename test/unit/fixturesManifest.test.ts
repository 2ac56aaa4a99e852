// The repository carries its own real trace files, and test/fixtures/svclog/MANIFEST.md tells where each came from:
// every file has a row whose size and git blob match the bytes here, and every row names a file that is here.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'svclog');

interface Row { readonly repo: string; readonly path: string; readonly blob: string; readonly bytes: number; readonly licence: string }

function manifestRows(): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const line of readFileSync(join(dir, 'MANIFEST.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | # | file | repo | path | commit | blob | bytes | encoding | events | sources | SubTypes | licence |
    if (cells.length < 13 || !/^\d+$/.test(cells[1] ?? '')) continue;
    const unquote = (c: string | undefined): string => (c ?? '').replace(/^`|`$/g, '');
    rows.set(unquote(cells[2]), { repo: cells[3] ?? '', path: unquote(cells[4]), blob: unquote(cells[6]), bytes: Number(cells[7]), licence: cells[12] ?? '' });
  }
  return rows;
}

describe('trace fixtures: provenance', () => {
  it('lists every real trace file with its source repository, path, licence, size and git blob', () => {
    const rows = manifestRows();
    const files = readdirSync(dir).filter((f) => f !== 'MANIFEST.md').sort();
    assert.ok(files.length >= 20, 'the real files are in the repository');
    assert.deepEqual([...rows.keys()].sort(), files, 'one manifest row per file, no row without a file');
    for (const name of files) {
      const bytes = readFileSync(join(dir, name));
      const row = rows.get(name)!;
      assert.match(row.repo, /^[\w.-]+\/[\w.-]+$/, `${name}: source repository`);
      assert.ok(row.path.length > 0 && row.licence.length > 0, `${name}: path and licence`);
      assert.equal(bytes.length, row.bytes, `${name}: size`);
      const blob = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
      assert.ok(blob.startsWith(row.blob) && row.blob.length >= 12, `${name}: git blob ${blob} vs ${row.blob}`);
    }
  });
});

describe('Intune connector sample files: provenance', () => {
  const made = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'intune-connector');
  it('labels every sample file as made here, one row per file, no row without a file', () => {
    const rows = new Map<string, string>();
    for (const line of readFileSync(join(made, 'MANIFEST.md'), 'utf8').split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      if (cells.length >= 5 && /^`.+`$/.test(cells[1] ?? '')) rows.set((cells[1] ?? '').replace(/^`|`$/g, ''), cells[2] ?? '');
    }
    const files = readdirSync(made).filter((f) => f !== 'MANIFEST.md').sort();
    assert.ok(files.length >= 3, 'the three configuration files are there');
    assert.deepEqual([...rows.keys()].sort(), files);
    for (const f of files) assert.equal(rows.get(f), 'made here', `${f} is labelled as made here`);
  });
});
