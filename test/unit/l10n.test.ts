// Every user-visible runtime string has a German translation, with the same placeholders.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

describe('German localization', () => {
  it('translates every runtime string of the extension, keeping its placeholders, with no stale entries', async () => {
    const load = new Function('s', 'return import(s)') as (s: string) => Promise<{ l10nStrings(): string[] }>;
    const { l10nStrings } = await load(join(root, 'scripts', 'l10n-strings.mjs'));
    const strings = l10nStrings();
    assert.ok(strings.length > 50, 'the extraction found the strings');
    const de = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<string, string>;
    assert.deepEqual(strings.filter((s) => !(s in de)), [], 'strings without a German translation');
    assert.deepEqual(Object.keys(de).filter((k) => !strings.includes(k)), [], 'German entries no code uses');
    for (const [en, text] of Object.entries(de)) {
      const ph = (s: string): string[] => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
      assert.deepEqual(ph(text), ph(en), `placeholders differ for "${en}"`);
      assert.notEqual(text.trim(), '', `empty translation for "${en}"`);
    }
  });
});
