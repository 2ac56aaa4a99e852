// The packaged .vsix: ships only what runs, and its `exchange-remoting` bin works on its own.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as yauzl from 'yauzl';
import { repoRoot } from '../tooling/tools';

const vsix = join(repoRoot, 'dist', 'exchange-remoting-setup.vsix');

function readEntries(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('cannot open the package'));
      const out = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => { out.set(entry.fileName, Buffer.concat(chunks)); zip.readEntry(); });
        });
      });
      zip.readEntry();
    });
  });
}

describe('packaged .vsix', () => {
  let entries: Map<string, Buffer>;
  before(async function () {
    if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run "npm run package" first (the test command does)`);
    entries = await readEntries(vsix);
  });

  it('ships only what runs', () => {
    const allowed = [
      /^\[Content_Types\]\.xml$/, /^extension\.vsixmanifest$/,
      /^extension\/package\.json$/, /^extension\/package\.nls(\.[a-z-]+)?\.json$/, /^extension\/l10n\/bundle\.l10n\.[a-z-]+\.json$/,
      /^extension\/dist\/(extension|cli|traceDecodeWorker)\.js$/, /^extension\/dist\/webview\/[\w.-]+\.(js|css)$/,
      /^extension\/media\/activitybar\.svg$/, /^extension\/media\/icon\.png$/, /^extension\/media\/walkthrough\/\w+\.md$/,
      /^extension\/(readme|changelog)\.md$/, /^extension\/SECURITY\.md$/, /^extension\/LICENSE\.txt$/,
    ];
    const unexpected = [...entries.keys()].filter((name) => !allowed.some((re) => re.test(name)));
    assert.deepEqual(unexpected, [], `files that should not ship: ${unexpected.join(', ')}`);
    for (const required of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/cli.js', 'extension/dist/traceDecodeWorker.js', 'extension/dist/webview/traceViewer.js', 'extension/package.nls.de.json']) {
      assert.ok(entries.has(required), `${required} is missing from the package`);
    }
    assert.ok(![...entries.keys()].some((n) => /\.map$|\/src\/|node_modules|\/test\//.test(n)), 'sources, maps, tests or node_modules leaked into the package');
  });

  it('ships its 128×128 PNG icon, named by the manifest', () => {
    const manifest = JSON.parse((entries.get('extension/package.json') as Buffer).toString('utf8')) as { icon?: string };
    assert.equal(manifest.icon, 'media/icon.png');
    const png = entries.get('extension/media/icon.png');
    assert.ok(png, 'the icon is missing from the package');
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', 'the icon is not a PNG');
    // IHDR: width and height as big-endian 32-bit numbers at bytes 16 and 20.
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });

  it('declares the exchange-remoting bin, and the packaged bin prints its help', () => {
    const manifest = JSON.parse((entries.get('extension/package.json') as Buffer).toString('utf8')) as { bin: Record<string, string> };
    const binPath = manifest.bin['exchange-remoting'];
    assert.equal(binPath, 'dist/cli.js');
    const dir = mkdtempSync(join(tmpdir(), 'ers-vsix-'));
    const cli = join(dir, binPath);
    mkdirSync(dirname(cli), { recursive: true });
    writeFileSync(cli, entries.get(`extension/${binPath}`) as Buffer);
    chmodSync(cli, 0o755);
    const help = execFileSync(cli, ['--help'], { encoding: 'utf8', cwd: dir });
    assert.match(help, /Usage: exchange-remoting <command>/);
    const usage = spawnSync(cli, ['no-such-command'], { encoding: 'utf8', cwd: dir });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /Unknown command "no-such-command"/);
  });
});
