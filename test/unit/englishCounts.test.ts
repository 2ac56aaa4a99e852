// English counts read as English: "1 warning", "3 warnings" or "Label: 3", never "warning(s)". A first real use
// showed "1 warning(s)" on a server row and "Report of 4 server(s) saved"; this keeps every text a user reads
// (the runtime bundle's keys, the evaluators' summaries and reasons, the manifest) free of "(s)".
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULT_TEXTS_DE } from '../../src/checks/resultTexts.de';

const root = join(__dirname, '..', '..', '..');
const PAREN_PLURAL = /[a-zA-Z]\((?:s|es)\)/;

describe('English counts', () => {
  it('finds what it is meant to find', () => {
    assert.ok(PAREN_PLURAL.test('1 warning(s)'));
    assert.ok(!PAREN_PLURAL.test('an http(s) URL'.replace('http(s)', 'https')));
  });

  it('no runtime string, result text or manifest string says "(s)"', () => {
    const bundle = Object.keys(JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<string, string>);
    const nls = Object.values(JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>);
    const texts = [...bundle, ...Object.keys(RESULT_TEXTS_DE), ...nls];
    assert.ok(texts.length > 300, `${texts.length} texts read`);
    assert.deepEqual(texts.filter((t) => PAREN_PLURAL.test(t)), []);
  });
});
