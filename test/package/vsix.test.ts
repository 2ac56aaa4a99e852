// The packaged .vsix: ships only what runs, and its `exchange-remoting` bin works on its own.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('opens its README with what the tool does in three sentences, a picture, then the two commands', () => {
    const readme = (entries.get('extension/readme.md') as Buffer).toString('utf8');
    const [, opening = '', picture = '', next = ''] = /^# [^\n]+\n\n([\s\S]+?)\n\n(!\[[^\n]+\))\n\n(## [^\n]+)/.exec(readme) ?? [];
    assert.equal(opening.replace(/\s+/g, ' ').split(/(?<=\.) (?=[A-Z])/).length, 3, opening);
    assert.match(picture, /\(media\/readme\/sidebar-checklist\.png\)$/);
    assert.equal(next, '## The two commands');
  });

  it('shows pictures from media/readme/ by relative links, and ships none of them (the extension page needs them published)', () => {
    const readme = (entries.get('extension/readme.md') as Buffer).toString('utf8');
    const images = [...readme.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map((m) => ({ alt: m[1] ?? '', src: m[2] ?? '' }));
    assert.ok(images.length >= 7, `the README shows ${images.length} pictures`);
    for (const { alt, src } of images) {
      assert.match(src, /^media\/readme\/[\w-]+\.png$/, `${src}: a relative link into media/readme (not rewritten to a placeholder address)`);
      assert.ok(alt.trim().length > 10, `${src}: says in words what it shows`);
      const png = readFileSync(join(repoRoot, src));
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${src} is not a PNG`);
    }
    const kept = readdirSync(join(repoRoot, 'media', 'readme')).map((n) => `media/readme/${n}`);
    assert.deepEqual(kept.filter((n) => !images.some((i) => i.src === n)), [], 'pictures kept that the README does not show');
    assert.ok(![...entries.keys()].some((n) => n.startsWith('extension/media/readme/')), 'the pictures are served from where the package is published, not shipped');
  });

  it('names the pictures\' https base when packaged for publishing (--images-url), and refuses a plain-http one', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ers-vsix-')), 'published.vsix');
    const refused = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs'), '--out', out, '--images-url', 'http://example.invalid/x/'], { cwd: repoRoot, encoding: 'utf8' });
    assert.notEqual(refused.status, 0, 'vsce refuses images from http');
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs'), '--out', out, '--images-url', 'https://example.invalid/ers/v0.2.0/'], { cwd: repoRoot, stdio: 'pipe' });
    const published = ((await readEntries(out)).get('extension/readme.md') as Buffer).toString('utf8');
    const links = [...published.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
    assert.ok(links.length >= 7 && links.every((l) => /^https:\/\/example\.invalid\/ers\/v0\.2\.0\/media\/readme\/[\w-]+\.png$/.test(l)), links.join(' '));
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
