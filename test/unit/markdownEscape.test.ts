// Issue 10 item 7: every server-provided value in a tooltip's Markdown stays text. Rendered with markdown-it
// (linkify, HTML on: stricter than VS Code's renderer), hostile values give no link, image, HTML element, heading or
// table, and no `$(icon)` is left unescaped (VS Code replaces those before rendering when theme icons are on).
import * as assert from 'node:assert/strict';
import { escapeMarkdown, escapeMarkdownInline, MAX_MARKDOWN_VALUE } from '../../src/util/markdown';
import { presentStep, type StepRowInput } from '../../src/tree/presentation';
import type { StoredResult } from '../../src/state/resultStore';
import { t } from './fakes';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (o: object) => { render(s: string): string };
const renderer = new MarkdownIt({ html: true, linkify: true });

const HOSTILE = [
  'x`\n[click me](https://evil.example/steal)',
  '![img](https://evil.example/pixel.png)',
  '<img src=x onerror=alert(1)> <a href="https://evil.example">a</a> <meta http-equiv=refresh content="0;url=https://evil.example">',
  'https://evil.example/autolink and www.evil.example and admin@evil.example',
  '$(zap) $(loading~spin) \\$(alert)',
  '# heading\n===\n---\n| a | b |\n| --- | --- |\n| c | d |',
  '[ref]: https://evil.example\n[ref]',
  '<https://evil.example>',
  '&lt;b&gt; &#x3C;script&#x3E;',
  '\u202eevil\u200b\u0000\u0007',
  '```\ncode\n```\n    indented',
  '*bold* _it_ ~~s~~ \\*',
];

function assertText(markdown: string): void {
  const html = renderer.render(markdown);
  assert.doesNotMatch(html, /<(a|img|meta|form|base|script|h\d|table|pre|code|hr|strong|em|s|del)\b/i, `rendered ${html}`);
  assert.doesNotMatch(markdown, /(^|[^\\])\$\(/, `an unescaped $( in ${markdown}`);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(markdown, /[\u0000-\u0008\u000b-\u001f\u202e\u200b]/);
}

describe('Markdown escaping of server-provided values (issue 10)', () => {
  for (const value of HOSTILE) {
    it(`keeps ${JSON.stringify(value.slice(0, 40))} text`, () => {
      assertText(escapeMarkdown(value));
      assertText(escapeMarkdownInline(value));
      assert.ok(!escapeMarkdownInline(value).includes('\n'));
    });
  }

  it('shows the text itself (every character is still there, only escaped)', () => {
    const html = renderer.render(escapeMarkdownInline('a [b](c) $(d) <e> 1.5'));
    assert.equal(html.trim(), '<p>a [b](c) $(d) &lt;e&gt; 1.5</p>');
  });

  it('caps long values and shows non-strings as text', () => {
    assert.equal(escapeMarkdown('x'.repeat(MAX_MARKDOWN_VALUE + 50)).length, MAX_MARKDOWN_VALUE + 1);
    assert.equal(escapeMarkdown(42), '42');
    assert.equal(renderer.render(escapeMarkdown({ a: '[x](y)' })).trim(), '<p>{&quot;a&quot;:&quot;[x](y)&quot;}</p>');
  });

  it('a step tooltip built from a hostile server result renders no link, image or icon', () => {
    const now = new Date('2026-11-22T12:00:00.000Z');
    const base: StepRowInput = { stepId: 'ps-remoting', title: 'PowerShell remoting', running: false, hasRemediation: true, manualAllowed: false, now, staleAfterMinutes: 60 };
    for (const value of HOSTILE) {
      const result: StoredResult = {
        stepId: 'ps-remoting', status: 'error', summary: value, evidence: [{ label: value, value }], reason: value,
        checkedAt: '2026-11-22T11:50:00.000Z', code: value, policy: { policy: value, proposal: value } as never, manual: undefined,
      };
      const md = presentStep({ ...base, result }, t).tooltipMarkdown;
      const html = renderer.render(md);
      assert.doesNotMatch(html, /<(a|img|meta|h\d|pre|script)\b/i, `tooltip for ${JSON.stringify(value)} rendered ${html}`);
      assert.doesNotMatch(md, /(^|[^\\])\$\(/);
    }
  });
});
