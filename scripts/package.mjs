// Packages the extension with vsce: `npm run package [-- --out FILE] [-- --images-url URL]`.
// The README's pictures are relative links into media/readme/. VS Code's extension page shows only http(s) images
// (its README sanitizer drops relative and file links), so a package meant for publishing names where the pictures
// are served: --images-url (or ERS_README_IMAGES_URL), e.g. the repository's raw URL of the release tag; vsce then
// prefixes every relative image link with it. Without it the links stay relative (right for the repository view and
// for Markdown preview), and the pictures are not shipped in the .vsix either way (see .vscodeignore).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
function option(name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
const out = option('--out') ?? join('dist', 'exchange-remoting-setup.vsix');
const imagesUrl = option('--images-url') ?? process.env.ERS_README_IMAGES_URL;
if (imagesUrl !== undefined && !/^https?:\/\/[^\s]+\/$/.test(imagesUrl)) {
  console.error(`--images-url must be an http(s) URL ending in "/" (got "${imagesUrl}")`);
  process.exit(2);
}
const vsce = join(root, 'node_modules', '.bin', 'vsce');
const vsceArgs = ['package', '--no-dependencies', '--allow-missing-repository', '--out', out,
  ...(imagesUrl ? ['--baseImagesUrl', imagesUrl] : ['--no-rewrite-relative-links'])];
execFileSync(vsce, vsceArgs, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
