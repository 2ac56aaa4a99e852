import * as assert from 'node:assert/strict';
import { bindVariables, DOUBLE_QUOTES, psValue, QuoteError, quoteList, quoteLiteral, SINGLE_QUOTES, unquoteLiteral } from '../../src/pslang/quote';
import { parsePowerShell } from './helpers/treeSitter';

describe('PowerShell quoting', () => {
  it('wraps plain text in single quotes', () => {
    assert.equal(quoteLiteral('exch01.contoso.com'), "'exch01.contoso.com'");
    assert.equal(quoteLiteral(''), "''");
  });

  it("doubles the ASCII apostrophe: O'Brien → 'O''Brien'", () => {
    assert.equal(quoteLiteral("O'Brien"), "'O''Brien'");
    assert.equal(quoteLiteral("'"), "''''");
  });

  it('doubles each typographic single quote with itself (‘ ’ ‚ ‛), which PowerShell also ends strings on', () => {
    assert.equal(quoteLiteral('a\u2018b'), "'a\u2018\u2018b'");
    assert.equal(quoteLiteral('a\u2019b'), "'a\u2019\u2019b'");
    assert.equal(quoteLiteral('a\u201Ab'), "'a\u201A\u201Ab'");
    assert.equal(quoteLiteral('a\u201Bb'), "'a\u201B\u201Bb'");
    assert.equal(quoteLiteral("\u2019; Remove-Item C:\\ -Recurse; \u2018"), "'\u2019\u2019; Remove-Item C:\\ -Recurse; \u2018\u2018'");
  });

  it('leaves double quotes (straight and typographic), $, backticks and newlines alone: they are inert inside single quotes', () => {
    for (const v of ['"', '\u201C', '\u201D', '\u201E', '$(Remove-Item x)', '$env:USERNAME', '`n`"', 'a\nb\r\nc']) {
      assert.equal(quoteLiteral(v), `'${v}'`);
    }
  });

  it('never lets a quote character stand alone inside the literal (every run of quotes has even length)', () => {
    const nasty = `x${SINGLE_QUOTES.join('')}y${SINGLE_QUOTES.join('z')}${DOUBLE_QUOTES.join('')}'`;
    const body = quoteLiteral(nasty).slice(1, -1);
    for (const run of body.match(/['\u2018\u2019\u201A\u201B]+/g) ?? []) assert.equal(run.length % 2, 0, `odd run ${run}`);
  });

  it('round-trips through unquoteLiteral, emulating the PowerShell tokenizer', () => {
    for (const v of ["O'Brien", '\u2018\u2019\u201A\u201B', "''''", 'plain', `mix'\u2019'\u201B"\u201C`, 'x'.repeat(5000)]) {
      assert.equal(unquoteLiteral(quoteLiteral(v)), v);
    }
    assert.throws(() => unquoteLiteral("'a'b'"), QuoteError);
  });

  it('refuses NUL and broken UTF-16', () => {
    assert.throws(() => quoteLiteral('a\u0000b'), QuoteError);
    assert.throws(() => quoteLiteral('a\uD800b'), QuoteError);
    assert.equal(quoteLiteral('😀'), "'😀'");
  });

  it('renders lists, integers and booleans', () => {
    assert.equal(quoteList([]), '@()');
    assert.equal(quoteList(["a'b", 'c']), "@('a''b', 'c')");
    assert.equal(psValue(5986), '5986');
    assert.equal(psValue([7001, 7003]), '@(7001, 7003)');
    assert.equal(psValue(true), '$true');
    assert.throws(() => psValue(1.5), QuoteError);
    assert.throws(() => psValue(Number.NaN), QuoteError);
  });

  it('binds variables with safe names only', () => {
    assert.equal(bindVariables({ ersServer: 'x', ersPort: 1 }), "$ersServer = 'x'\n$ersPort = 1");
    assert.throws(() => bindVariables({ 'a; Remove-Item': 'x' }), QuoteError);
    assert.throws(() => bindVariables({ 'env:PATH': 'x' }), QuoteError);
  });

  it('keeps the syntax tree of an assignment identical for hostile values (tree-sitter)', async () => {
    const base = await parsePowerShell(`$v = ${quoteLiteral('harmless')}\nWrite-Output $v\n`);
    assert.deepEqual(base.problems, []);
    for (const hostile of ["'; Remove-Item C:\\ -Recurse; '", '"; Remove-Item …', '$(Remove-Item x)', '$env:TEMP', '`; calc', "a'\n'b", 'a\u2019; calc; \u2018b', '\u201C; calc; \u201D', 'x'.repeat(100000)]) {
      const p = await parsePowerShell(`$v = ${quoteLiteral(hostile)}\nWrite-Output $v\n`);
      assert.deepEqual(p.problems, [], hostile.slice(0, 30));
      assert.equal(p.shape, base.shape, hostile.slice(0, 30));
    }
  });
});
