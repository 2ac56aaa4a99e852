// Parses PowerShell with tree-sitter-powershell (WASM) through web-tree-sitter, for tests that check
// generated scripts without a real PowerShell. Loaded once per process.
import * as path from 'node:path';

export interface PsNode {
  readonly type: string;
  readonly isError: boolean;
  readonly isMissing: boolean;
  readonly text: string;
  readonly startIndex: number;
  readonly namedChildren: readonly (PsNode | null)[];
  readonly children: readonly (PsNode | null)[];
}

export interface PsParse {
  readonly root: PsNode;
  /** ERROR and MISSING nodes, with a snippet of the source around each. */
  readonly problems: readonly string[];
  /** The tree's shape: node types only, nested with parentheses (no text, so values do not show). */
  readonly shape: string;
  /** The names of all commands the script invokes (command_name nodes), in order. */
  readonly commands: readonly string[];
  /** All variable references ($name, without the $), in order. */
  readonly variables: readonly string[];
}

type ParserLike = { parse(text: string): { rootNode: PsNode; delete(): void } | null };

let parserPromise: Promise<ParserLike> | undefined;

// web-tree-sitter ships an ESM build and a CommonJS build; a real dynamic import (not rewritten by esbuild)
// works with either, so both module systems of the test output can load it.
const dynamicImport = new Function('s', 'return import(s)') as (s: string) => Promise<Record<string, unknown>>;

async function loadParser(): Promise<ParserLike> {
  const mod = await dynamicImport('web-tree-sitter');
  const api = (mod.Parser ? mod : (mod.default as Record<string, unknown>)) as {
    Parser: { init(): Promise<void>; new (): ParserLike & { setLanguage(l: unknown): void } };
    Language: { load(p: string): Promise<unknown> };
  };
  await api.Parser.init();
  const wasm = path.join(path.dirname(require.resolve('tree-sitter-powershell/package.json')), 'tree-sitter-powershell.wasm');
  const language = await api.Language.load(wasm);
  const parser = new api.Parser();
  parser.setLanguage(language);
  return parser;
}

export function powershellParser(): Promise<ParserLike> {
  parserPromise ??= loadParser();
  return parserPromise;
}

function shapeOf(node: PsNode): string {
  const kids = node.namedChildren.filter((c): c is PsNode => c !== null);
  return kids.length ? `(${node.type} ${kids.map(shapeOf).join(' ')})` : node.type;
}

function collect(node: PsNode, type: string, out: string[]): void {
  if (node.type === type) out.push(node.text);
  for (const c of node.namedChildren) if (c) collect(c, type, out);
}

function collectProblems(node: PsNode, source: string, out: string[]): void {
  if (node.isError || node.isMissing || node.type === 'ERROR') {
    const at = node.startIndex;
    out.push(`${node.isMissing ? 'MISSING' : 'ERROR'} ${node.type} at ${at}: …${source.slice(Math.max(0, at - 60), at + 60).replace(/\n/g, '⏎')}…`);
  }
  for (const c of node.children) if (c) collectProblems(c, source, out);
}

export async function parsePowerShell(source: string): Promise<PsParse> {
  const parser = await powershellParser();
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const problems: string[] = [];
    collectProblems(tree.rootNode, source, problems);
    const commands: string[] = [];
    collect(tree.rootNode, 'command_name', commands);
    const variables: string[] = [];
    collect(tree.rootNode, 'variable', variables);
    return { root: tree.rootNode, problems, shape: shapeOf(tree.rootNode), commands, variables: variables.map((v) => v.replace(/^[$@]/, '')) };
  } finally {
    tree.delete();
  }
}
