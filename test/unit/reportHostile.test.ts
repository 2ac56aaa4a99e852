// Issue 10 item 4: a report file is data. Hostile report JSON (wrong types, unknown states, huge sizes, markup in
// every field) is refused with exit 2 and a message naming the field, never a stack trace; values that pass validation
// are escaped in HTML and Markdown whatever their type, so no element (meta refresh, form, base…) comes from them.
import * as assert from 'node:assert/strict';
import { runCli } from '../../src/cli/cli';
import { createReportCommand } from '../../src/cli/reportCommand';
import { parseReport, REPORT_LIMITS, REPORT_SCHEMA } from '../../src/report/model';
import { renderReport } from '../../src/report/render';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (o: object) => { render(s: string): string };

const META = '<meta http-equiv="refresh" content="0;url=https://evil.example">';
const step = { id: 'ps-remoting', title: 'PowerShell remoting', state: 'fail', summary: 's', reason: 'r', evidence: [{ label: 'l', value: 'v' }], stale: false };
const server = { fqdn: 'exch01.contoso.com', profile: 'remoting', connection: 'https', state: 'fail', passed: 0, applicable: 1, steps: [step] };
const valid = { schema: REPORT_SCHEMA, generatedAt: '2026-11-22T12:00:00.000Z', generator: 'x', staleAfterMinutes: 60, servers: [server] };

const withServer = (patch: object): object => ({ ...valid, servers: [{ ...server, ...patch }] });
const withStep = (patch: object): object => withServer({ steps: [{ ...step, ...patch }] });

/** Files that must be refused: [name, content, field the message names]. */
const HOSTILE: Array<[string, string, RegExp]> = [
  ['passed is markup', JSON.stringify(withServer({ passed: META })), /servers\[0\]\.passed/],
  ['applicable is an object', JSON.stringify(withServer({ applicable: { toString: 'x' } })), /servers\[0\]\.applicable/],
  ['passed above applicable', JSON.stringify(withServer({ passed: 5, applicable: 1 })), /servers\[0\]\.passed/],
  ['server state is markup', JSON.stringify(withServer({ state: `pass ${META}` })), /servers\[0\]\.state/],
  ['step state unknown', JSON.stringify(withStep({ state: '__proto__' })), /servers\[0\]\.steps\[0\]\.state/],
  ['fqdn is a number', JSON.stringify(withServer({ fqdn: 42 })), /servers\[0\]\.fqdn/],
  ['steps missing', JSON.stringify(withServer({ steps: undefined })), /servers\[0\]\.steps/],
  ['server is null', JSON.stringify({ ...valid, servers: [null] }), /servers\[0\]/],
  ['evidence is a string', JSON.stringify(withStep({ evidence: '<form action=x>' })), /evidence/],
  ['evidence value is an array', JSON.stringify(withStep({ evidence: [{ label: 'l', value: ['<base href=x>'] }] })), /evidence\[0\]\.value/],
  ['manual.by is an object', JSON.stringify(withStep({ manual: { by: { a: 1 }, at: 'x' } })), /manual\.by/],
  ['staleAfterMinutes is a string', JSON.stringify({ ...valid, staleAfterMinutes: '<script>' }), /staleAfterMinutes/],
  ['generatedAt is missing', JSON.stringify({ ...valid, generatedAt: undefined }), /generatedAt/],
  ['a reason of 1 MB', JSON.stringify(withStep({ reason: 'x'.repeat(1024 * 1024) })), /reason.*longer/],
  ['too many servers', JSON.stringify({ ...valid, servers: Array.from({ length: REPORT_LIMITS.servers + 1 }, () => server) }), /servers.*at most/],
  ['not JSON', '{"schema":', /not JSON/],
  ['another schema', JSON.stringify({ ...valid, schema: 'x' }), /not an exchange-remoting-setup\.report\/1 report/],
  ['an array', '[1,2,3]', /not an exchange-remoting-setup\.report\/1 report/],
];

async function cli(content: string, format = 'html'): Promise<{ code: number; stdout: string; stderr: string }> {
  const fake = { read: async () => content, write: async () => undefined };
  const o = { stdout: '', stderr: '', env: {}, out(t: string) { o.stdout += t; }, err(t: string) { o.stderr += t; } };
  const code = await runCli(['report', 'r.json', '--format', format], o, [createReportCommand(fake)], '1');
  return { code, stdout: o.stdout, stderr: o.stderr };
}

describe('hostile report files (issue 10)', () => {
  for (const [name, content, field] of HOSTILE) {
    it(`refuses a report whose ${name}: exit 2, a message naming it, no stack trace`, async () => {
      for (const format of ['html', 'md']) {
        const r = await cli(content, format);
        assert.equal(r.code, 2, `${format}: exit ${r.code}, stderr ${r.stderr.slice(0, 300)}`);
        assert.match(r.stderr, field);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'a stack trace');
        assert.equal(r.stdout, '');
      }
    });
  }

  it('escapes every value of a valid report whatever it holds, in HTML and Markdown', async () => {
    const hostile = { ...valid, generator: META, generatedAt: '<base href="https://evil.example/">', servers: [{
      ...server, fqdn: '<form action="https://evil.example">', profile: META, connection: '<img src=x onerror=alert(1)>', notes: '[x](https://evil.example) ![i](https://evil.example/i.png)',
      steps: [{ ...step, id: '"><script>alert(1)</script>', title: META, summary: '<base href=x>', reason: 'https://evil.example', code: '`$(zap)`', policy: '<form>',
        evidence: [{ label: META, value: '<meta charset=x>' }], manual: { by: '<b>me</b>', at: 'x' } }],
    }] };
    const text = JSON.stringify(hostile);
    assert.doesNotThrow(() => parseReport(text));
    const page = (await cli(text, 'html')).stdout;
    const head = page.slice(0, page.indexOf('</head>'));
    // Our own head has exactly the two meta elements (CSP, viewport) and the charset; nothing else anywhere.
    assert.equal((page.match(/<meta\b/gi) ?? []).length, 3, 'an injected meta element');
    assert.match(head, /Content-Security-Policy/);
    assert.doesNotMatch(page, /<(form|base|img|script|b)\b/i);
    const md = (await cli(text, 'md')).stdout;
    const rendered = new MarkdownIt({ html: true, linkify: true }).render(md);
    assert.doesNotMatch(rendered, /<(form|base|img|script|meta|a)\b/i, rendered.slice(0, 400));
  });

  it('a renderer given a non-string value still escapes it (defence in depth)', () => {
    const r = JSON.parse(JSON.stringify(valid)) as { servers: Array<{ passed: unknown; applicable: unknown }> };
    r.servers[0]!.passed = META;
    r.servers[0]!.applicable = '<form>';
    const page = renderReport(r as never, 'html');
    assert.doesNotMatch(page, /<(form)\b/);
    assert.equal((page.match(/<meta\b/gi) ?? []).length, 3);
    assert.doesNotMatch(new MarkdownIt({ html: true, linkify: true }).render(renderReport(r as never, 'md')), /<(meta|form)\b/);
  });
});
