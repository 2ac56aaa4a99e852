// The runner's pure parts: quoting, the one-line payload, the fan-out wrapper (parsed with tree-sitter-powershell,
// since no real pwsh exists here), reading the output back, and error classification by stable codes.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { decodeOneLine, oneLine } from '../../src/powershell/encodedScript';
import { renderExchangeCommand, renderRunScript } from '../../src/powershell/remoteScript';
import { assembleResults, classifyError, parseRunOutput } from '../../src/powershell/runOutput';
import { toCheckOutcome, type RunTarget } from '../../src/powershell/runner';
import { InputError } from '../../src/servers/validation';
import { QuoteError, quoteLiteral } from '../../src/pslang/quote';

interface TsNode { type: string; isError: boolean; isMissing: boolean; startIndex: number; namedChildren: (TsNode | null)[]; children: (TsNode | null)[] }
type Parser = { parse(text: string): { rootNode: TsNode; delete(): void } | null };
let parser: Promise<Parser> | undefined;
// web-tree-sitter is ESM; a real dynamic import (not rewritten by esbuild) loads it from CommonJS.
const dynamicImport = new Function('s', 'return import(s)') as (s: string) => Promise<Record<string, unknown>>;
async function loadParser(): Promise<Parser> {
  const mod = await dynamicImport('web-tree-sitter');
  const api = (mod.Parser ? mod : mod.default) as { Parser: { init(): Promise<void>; new (): Parser & { setLanguage(l: unknown): void } }; Language: { load(p: string): Promise<unknown> } };
  await api.Parser.init();
  const wasm = path.join(path.dirname(require.resolve('tree-sitter-powershell/package.json')), 'tree-sitter-powershell.wasm');
  const p = new api.Parser();
  p.setLanguage(await api.Language.load(wasm));
  return p;
}
async function parse(source: string): Promise<{ problems: string[]; shape: string }> {
  const tree = (await (parser ??= loadParser())).parse(source);
  if (!tree) throw new Error('no tree');
  const problems: string[] = [];
  const walk = (n: TsNode): void => {
    if (n.isError || n.isMissing || n.type === 'ERROR') problems.push(`${n.type} at …${source.slice(Math.max(0, n.startIndex - 50), n.startIndex + 50)}…`);
    for (const c of n.children) if (c) walk(c);
  };
  const shape = (n: TsNode): string => {
    const kids = n.namedChildren.filter((c): c is TsNode => c !== null);
    return kids.length ? `(${n.type} ${kids.map(shape).join(' ')})` : n.type;
  };
  try {
    walk(tree.rootNode);
    return { problems, shape: shape(tree.rootNode) };
  } finally {
    tree.delete();
  }
}

const TOKEN = 'abcdef0123456789abcdef01';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('runner scripts (pure)', function () {
  this.timeout(30_000);

  it('quotes every quote character PowerShell recognises, and refuses NUL', () => {
    // The wrapper quotes with the one quoter of src/pslang (server names, URIs, property names, scripts).
    assert.equal(quoteLiteral("O'Brien"), "'O''Brien'");
    assert.equal(quoteLiteral('a\u2018b\u2019c\u201ad\u201be'), "'a\u2018\u2018b\u2019\u2019c\u201a\u201ad\u201b\u201be'");
    assert.equal(quoteLiteral('$(Remove-Item x) `n "q"'), "'$(Remove-Item x) `n \"q\"'");
    assert.throws(() => quoteLiteral('a\u0000b'), QuoteError);
  });

  it('sends any script as ONE line that decodes back to it exactly', () => {
    const script = "Write-Output 'ä ö ü 日本'\nif ($true) {\n  'multi-line'\n}\r\n";
    const line = oneLine(script);
    assert.ok(!/[\r\n]/.test(line));
    assert.equal(decodeOneLine(line), script);
  });

  const targets: RunTarget[] = [{ kind: 'local' }, { kind: 'https' }, { kind: 'https', port: 15986 }, { kind: 'http-kerberos' }];
  for (const target of targets) {
    it(`renders a wrapper for ${JSON.stringify(target)} that parses without error nodes, with and without a credential`, async () => {
      for (const useCredential of [false, true]) {
        const text = renderRunScript({ runToken: TOKEN, target, servers: ['exch01.contoso.com', 'exch02.contoso.com'], script: "Write-Output 'x'", useCredential, throttleLimit: 8 });
        const { problems } = await parse(text);
        assert.deepEqual(problems, [], text);
        assert.equal(/\$global:ErsCredential/.test(text), useCredential && target.kind !== 'local');
        assert.equal(decodeOneLine(oneLine(text)), text);
      }
    });
  }

  it('renders per-server scripts as one -AsJob fan-out that parses without error nodes', async () => {
    const text = renderRunScript({
      runToken: TOKEN, target: { kind: 'https' }, servers: ['a.contoso.com', 'b.contoso.com', 'c.contoso.com'], useCredential: true,
      scriptGroups: [{ servers: ['a.contoso.com', 'c.contoso.com'], script: "Write-Output 'one'" }, { servers: ['b.contoso.com'], script: "Write-Output 'two'" }],
    });
    assert.deepEqual((await parse(text)).problems, [], text);
    assert.match(text, /\$ersGroups = @\(\n {2}@\{ C = @\('a\.contoso\.com','c\.contoso\.com'\); S = /);
    assert.match(text, /Invoke-Command @p -AsJob/);
    assert.match(text, /Remove-Job -Force/);
    assert.throws(() => renderRunScript({ runToken: TOKEN, target: { kind: 'https' }, servers: ['a.contoso.com'], useCredential: false,
      scriptGroups: [{ servers: ['a.contoso.com'], script: 'x' }, { servers: ['z.contoso.com'], script: 'y' }] }), InputError);
  });

  it('renders the Exchange no-language call as one cmdlet with literal arguments; hostile values keep the tree shape', async () => {
    const harmless = renderExchangeCommand({ cmdlet: 'Get-Mailbox', parameters: { Identity: 'alice', ResultSize: 10, IgnoreDefaultScope: true } });
    assert.equal(harmless, "Get-Mailbox -Identity 'alice' -ResultSize 10 -IgnoreDefaultScope");
    const shapeOk = (await parse(harmless)).shape;
    for (const hostile of ["alice'; Remove-Item C:\\ -Recurse; '", '$(Stop-Computer)', 'a\u2019; Stop-Computer; \u2018', '`"; calc; "', 'line1\nline2']) {
      const cmd = renderExchangeCommand({ cmdlet: 'Get-Mailbox', parameters: { Identity: hostile, ResultSize: 10, IgnoreDefaultScope: true } });
      const p = await parse(cmd);
      assert.deepEqual(p.problems, []);
      assert.equal(p.shape, shapeOk, cmd);
    }
    assert.throws(() => renderExchangeCommand({ cmdlet: 'Get-Mailbox; Stop-Computer' }), InputError);
    assert.throws(() => renderExchangeCommand({ cmdlet: 'Get-Mailbox', parameters: { 'Identity; x': 'a' } }), InputError);
    const wrapper = renderRunScript({ runToken: TOKEN, target: { kind: 'exchange' }, servers: ['exch01.contoso.com'], command: { cmdlet: 'Get-ExchangeServer', properties: ['Name', 'AdminDisplayVersion'] }, useCredential: true });
    assert.deepEqual((await parse(wrapper)).problems, []);
  });

  it('refuses hostile or invalid server names and throttle limits', () => {
    for (const bad of ["exch01.contoso.com'; Remove-Item C:\\", 'exch01', '10.0.0.1', '$(x).contoso.com']) {
      assert.throws(() => renderRunScript({ runToken: TOKEN, target: { kind: 'https' }, servers: [bad], script: 'x', useCredential: false }), InputError, bad);
    }
    assert.throws(() => renderRunScript({ runToken: TOKEN, target: { kind: 'https' }, servers: ['a.contoso.com'], script: 'x', useCredential: false, throttleLimit: 0 }), InputError);
    assert.throws(() => renderRunScript({ runToken: 'short', target: { kind: 'local' }, servers: [], script: 'x', useCredential: false }));
  });

  it('reads only its own run\'s lines; a server cannot forge another server\'s result', () => {
    const out = [
      'WARNING: some banner',
      `##ERS-OUT:${TOKEN}:${b64('exch01.contoso.com')}:${b64('hello')}`,
      // Output of a server is base64-encoded by the client, so a forged marker line arrives as data, not as a line:
      `##ERS-OUT:${TOKEN}:${b64('exch02.contoso.com')}:${b64(`##ERS-OUT:${TOKEN}:${b64('exch01.contoso.com')}:${b64('forged')}`)}`,
      `##ERS-OUT:otherToken1234567:${b64('exch01.contoso.com')}:${b64('other run')}`,
      `##ERS-ERR:${TOKEN}::${b64(JSON.stringify({ id: 'CannotConnect,PSSessionStateBroken', message: '[exch03.contoso.com] Connecting to remote server exch03.contoso.com failed', code: '-2144108526' }))}`,
      `##ERS-DONE:${TOKEN}`,
    ].join('\n');
    const parsed = parseRunOutput(out, TOKEN);
    assert.deepEqual(parsed.outputs.get('exch01.contoso.com'), ['hello']);
    assert.equal(parsed.outputs.get('exch02.contoso.com')?.length, 1);
    assert.equal(parsed.errors.get('exch03.contoso.com')?.[0]?.id, 'CannotConnect,PSSessionStateBroken', 'named from the "[server]" prefix');
    assert.equal(parsed.done, true);
    const results = assembleResults(['exch01.contoso.com', 'exch02.contoso.com', 'exch03.contoso.com'], parsed, {});
    assert.deepEqual(results.map((r) => r.status), ['ok', 'ok', 'error']);
  });

  it('classifies errors by stable ids and codes, never by English text', () => {
    assert.equal(classifyError({ id: 'AccessDenied,PSSessionStateBroken', message: 'Zugriff verweigert' }).kind, 'access-denied');
    const down = classifyError({ id: 'SomethingLocalized,PSSessionStateBroken', code: '-2144108526', message: 'x' });
    assert.equal(down.kind, 'unreachable');
    assert.equal(down.hresult, '0x80338012');
    assert.equal(classifyError({ id: '-2144108387,PSSessionStateBroken', code: '-2144108387', message: '' }).kind, 'authentication');
    assert.equal(classifyError({ id: '', hresult: '0x80090322', message: 'unknown security error' }).kind, 'authentication');
    assert.equal(classifyError({ id: 'ServerNotTrusted,PSSessionStateBroken', message: '' }).kind, 'authentication');
    assert.equal(classifyError({ id: 'CommandNotFoundException', message: 'Access is denied' }).kind, 'script-error');
  });

  it('hands results to the catalog as CheckOutcome: JSON, or the error with its stable codes', () => {
    assert.deepEqual(toCheckOutcome({ server: 's', status: 'ok', output: '', result: { a: 1 }, diagnostics: [] }), { kind: 'json', json: { a: 1 } });
    const denied = toCheckOutcome({ server: 's', status: 'error', output: '', diagnostics: [], error: { kind: 'access-denied', message: 'denied', errorId: 'AccessDenied,PSSessionStateBroken', hresult: '0x80070005' } });
    assert.deepEqual(denied, { kind: 'error', error: { message: 'denied', source: 'transport (access-denied)', hresults: ['0x80070005'], fullyQualifiedErrorId: 'AccessDenied,PSSessionStateBroken' } });
  });
});

describe('house style: one importer per effect library', () => {
  it('imports node-powershell only in nodePowerShellRunner.ts and ldapts only in directory/delegation.ts', () => {
    const root = path.resolve(__dirname, '../../../src');
    const files: string[] = [];
    const walk = (d: string): void => { for (const n of readdirSync(d)) { const p = path.join(d, n); if (statSync(p).isDirectory()) walk(p); else if (n.endsWith('.ts')) files.push(p); } };
    walk(root);
    const importers = (lib: string): string[] => files.filter((f) => new RegExp(`from '${lib}'|require\\('${lib}'\\)`).test(readFileSync(f, 'utf8'))).map((f) => path.relative(root, f));
    assert.deepEqual(importers('node-powershell'), [path.join('powershell', 'nodePowerShellRunner.ts')]);
    assert.deepEqual(importers('ldapts'), [path.join('directory', 'delegation.ts')]);
  });
});
