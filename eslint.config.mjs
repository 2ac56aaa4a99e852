// The layering of src/ and media/, checked. CONTRIBUTING.md ("Layers") describes the same table in words.
//
// LAYERS lists src/ from the bottom up. A module may import its own layer and the layers below it, never one above
// (rule layers/imports-run-down, which resolves every relative import to the module it reaches). On top of that:
//   - the pure core (every layer marked pure) never imports `vscode`, not even its types;
//   - `node-powershell` is imported by src/powershell/nodePowerShellRunner.ts only, `ldapts` by
//     src/directory/delegation.ts only, and `node:fs` by the file-access seam src/util/nodeFileAccess.ts only;
//   - the webview (media/) imports no `vscode`, no Node module, and from src/ only the types of
//     src/traceViewer/protocol.ts and the runtime of src/traceViewer/filterVocabulary.ts.
// test/unit/layers.test.ts lints deliberate violations through this file, so a rule that stops biting fails a test.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(root, 'src');

/**
 * Each module is a folder (`checks`) or a file without its extension (`config`, `traceViewer/protocol`) under src/.
 * `pure: false` marks the VS Code side and the composition root, the only places that may import `vscode`.
 */
export const LAYERS = [
  { name: 'foundation', pure: true, modules: ['ids', 'log', 'util', 'pslang'] },
  { name: 'values', pure: true, modules: ['servers', 'trace'] },
  { name: 'catalog', pure: true, modules: ['checks'] },
  {
    name: 'services', pure: true,
    // traceViewer/ is the viewer's pure host side (protocol, session, DTOs, HTML shell); its two VS Code files are below.
    // util/nodeFileAccess is the file-access seam: the one FileAccess (of src/trace) over node:fs.
    // util/traceWorkers is the thread seam: the trace engine's RangeDecoder on worker_threads; util/traceDecodeWorker
    // is the script each worker runs (src/trace's decodeRange over the file-access seam).
    modules: ['util/nodeFileAccess', 'util/traceWorkers', 'util/traceDecodeWorker', 'state', 'powershell', 'probe', 'directory', 'traceViewer'],
  },
  { name: 'orchestration', pure: true, modules: ['execution', 'report', 'plan'] },
  // What a tree row shows, as plain data: pure, though it lives beside the tree it feeds.
  { name: 'presentation', pure: true, modules: ['tree/presentation'] },
  { name: 'command line', pure: true, modules: ['cli'] },
  {
    name: 'VS Code side', pure: false,
    modules: ['uiLanguage', 'config', 'host', 'tree', 'secrets', 'traceViewer/traceEditorProvider', 'traceViewer/traceCommands'],
  },
  { name: 'composition', pure: false, modules: ['extension'] },
];

/** The module (and its layer index) a path under src/ belongs to: the longest module that is a prefix of it. */
export function moduleOf(file) {
  const rel = path.relative(src, file).replace(/\\/g, '/').replace(/\.(ts|js)$/, '').replace(/\/index$/, '');
  let best;
  LAYERS.forEach((layer, index) => {
    for (const m of layer.modules) {
      if ((rel === m || rel.startsWith(`${m}/`)) && (!best || m.length > best.module.length)) best = { module: m, index };
    }
  });
  return best;
}

const layersPlugin = {
  rules: {
    'imports-run-down': {
      meta: { type: 'problem', schema: [], messages: { up: '{{from}} (layer "{{fromLayer}}") may not import {{to}} (layer "{{toLayer}}"): imports run downwards only (CONTRIBUTING.md, Layers).', unlisted: '{{file}} is in no layer: add its module to LAYERS in eslint.config.mjs and to CONTRIBUTING.md.' } },
      create(context) {
        const file = context.filename;
        const from = moduleOf(file);
        if (!from) {
          return { Program(node) { context.report({ node, messageId: 'unlisted', data: { file: path.relative(root, file) } }); } };
        }
        const check = (node, source) => {
          if (typeof source !== 'string' || !source.startsWith('.')) return;
          const to = moduleOf(path.resolve(path.dirname(file), source));
          if (to && to.index > from.index) {
            context.report({ node, messageId: 'up', data: { from: `src/${from.module}`, fromLayer: LAYERS[from.index].name, to: `src/${to.module}`, toLayer: LAYERS[to.index].name } });
          }
        };
        return {
          ImportDeclaration: (node) => check(node, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
          ExportAllDeclaration: (node) => check(node, node.source.value),
          ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
        };
      },
    },
  },
};

/** Single-importer libraries: library → the one file under src/ that may import it. */
const ADAPTERS = {
  'node-powershell': 'powershell/nodePowerShellRunner',
  ldapts: 'directory/delegation',
  'node:fs': 'util/nodeFileAccess',
};
const NAMES = { 'node:fs': ['node:fs', 'node:fs/promises', 'fs', 'fs/promises'] };

/** The no-restricted-imports paths for a file of src/ (`adapter` when the file is one of ADAPTERS). */
function restrictedPaths(pure, adapter) {
  const paths = Object.entries(ADAPTERS).filter(([, file]) => file !== adapter).flatMap(([lib, file]) => (NAMES[lib] ?? [lib]).map((name) => ({
    name, message: `${lib} is imported by src/${file}.ts only (CONTRIBUTING.md, Layers): use what it offers.`,
  })));
  if (pure) paths.push({ name: 'vscode', message: 'This module is in the pure core: no vscode here, not even its types; take what you need as an interface (CONTRIBUTING.md, Layers).' });
  return paths;
}

const rule = '@typescript-eslint/no-restricted-imports';
// One entry per module, the more specific after the less (tree/presentation after tree): the later entry wins.
const moduleConfigs = LAYERS.flatMap((l) => l.modules.map((m) => ({ m, pure: l.pure })))
  .sort((a, b) => a.m.split('/').length - b.m.split('/').length)
  .map(({ m, pure }) => ({ name: `layers/${m}`, files: [`src/${m}.ts`, `src/${m}/**/*.ts`], rules: { [rule]: ['error', { paths: restrictedPaths(pure) }] } }));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-output/**', '.vscode-test/**', 'test/fixtures/**'] },
  // typescript-eslint's recommended rules over all TypeScript (src, media, test, bench), then the house rules.
  { ...tseslint.configs.base, files: ['**/*.ts'] },
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts'] })),
  {
    name: 'typescript',
    files: ['src/**/*.ts', 'media/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    plugins: { layers: layersPlugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-control-regex': 'error',
      'no-new': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  // Mocha runners load the counting reporter by a computed path.
  { name: 'tests', files: ['test/**/index.ts'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { name: 'layers/direction', files: ['src/**/*.ts'], rules: { 'layers/imports-run-down': 'error' } },
  ...moduleConfigs,
  ...Object.values(ADAPTERS).map((f) => ({ name: `layers/adapter ${f}`, files: [`src/${f}.ts`], rules: { [rule]: ['error', { paths: restrictedPaths(true, f) }] } })),
  {
    name: 'layers/webview',
    files: ['media/**/*.ts'],
    rules: {
      [rule]: ['error', {
        paths: [{ name: 'vscode', message: 'The webview has no vscode module: talk to the host through src/traceViewer/protocol.ts.' }],
        patterns: [
          { regex: '^node:', message: 'The webview runs in a browser: no Node modules.' },
          { regex: '^(\\.\\./)+src/traceViewer/protocol$', allowTypeImports: true, message: 'The webview takes only types from src/traceViewer/protocol.ts (import type).' },
          { regex: '^(\\.\\./)+src/(?!traceViewer/(protocol|filterVocabulary)$)', message: 'The webview shares with the host only src/traceViewer/protocol.ts (types) and src/traceViewer/filterVocabulary.ts.' },
        ],
      }],
    },
  },
);
