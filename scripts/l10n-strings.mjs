// Lists every runtime UI string of the extension host: the first argument of vscode.l10n.t(…) anywhere in src/,
// and of t(…) in modules that receive a translator. Used by the unit test that checks the German bundle, and
// by `node scripts/l10n-strings.mjs --missing de` to list what a bundle lacks.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CALL = /(?:vscode\.l10n\.t|\bt)\(\s*'((?:[^'\\]|\\.)*)'/g;

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function unescape(s) {
  return s.replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16))).replace(/\\'/g, "'").replace(/\\\\/g, '\\');
}

export function l10nStrings() {
  const out = new Set();
  for (const file of files(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*\/\//.test(l)).join('\n');
    if (file.endsWith(join('traceViewer', 'uiStrings.ts'))) {
      // The trace viewer's webview strings: the host translates each entry of VIEWER_UI_STRINGS.
      const list = /VIEWER_UI_STRINGS[^=]*=\s*\[([\s\S]*?)\];/.exec(text)?.[1] ?? '';
      for (const m of list.matchAll(/'((?:[^'\\]|\\.)*)'/g)) out.add(unescape(m[1]));
      continue;
    }
    if (!text.includes('l10n.t') && !/Translate/.test(text)) continue;
    for (const m of text.matchAll(CALL)) out.add(unescape(m[1]));
  }
  return [...out].sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--missing');
  const strings = l10nStrings();
  if (i > 0) {
    const lang = process.argv[i + 1];
    const bundle = JSON.parse(readFileSync(join(root, 'l10n', `bundle.l10n.${lang}.json`), 'utf8'));
    for (const s of strings) if (!(s in bundle)) console.log(JSON.stringify(s));
  } else {
    for (const s of strings) console.log(JSON.stringify(s));
  }
}
