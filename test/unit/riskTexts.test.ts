// Every step's risk and safer-alternative texts were checked against Microsoft's documentation: the step file says
// which Microsoft Learn page next to the texts, and the texts do not send an administrator down a path that page
// contradicts (the facts a review found, in English and German).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG, getStep } from '../../src/checks';

const stepsDir = join(__dirname, '..', '..', '..', 'src', 'checks', 'steps');

/** The comment lines right above `riskNote:` in a step file. */
function sourceNote(file: string): string {
  const lines = readFileSync(join(stepsDir, file), 'utf8').split('\n');
  const at = lines.findIndex((l) => /^\s+riskNote: /.test(l));
  const out: string[] = [];
  for (let i = at - 1; i >= 0 && /^\s+\/\//.test(lines[i] ?? ''); i--) out.unshift(lines[i] ?? '');
  return out.join('\n');
}

describe('risk and safer-alternative texts, checked against Microsoft documentation', () => {
  const files = readdirSync(stepsDir).filter((n) => n.endsWith('.ts'));

  it('each step file names the Microsoft Learn page its risk and alternative texts were checked against, next to them', () => {
    assert.equal(files.length, CATALOG.length);
    for (const f of files) {
      const note = sourceNote(f);
      const src = readFileSync(join(stepsDir, f), 'utf8');
      const readOnly = /riskNote: \{ en: 'Read-only\.'/.test(src);
      assert.ok(readOnly ? /Nothing to check against Microsoft/.test(note) : /Checked against[\s\S]*https:\/\/learn\.microsoft\.com\//.test(note), `${f}: ${note || '(no comment above riskNote)'}`);
    }
  });

  it('ps-remoting keeps the HTTP listener (WinRM encrypts after authentication over HTTP too)', () => {
    const a = getStep('ps-remoting').remediation.saferAlternative;
    assert.doesNotMatch(a.en, /remove the HTTP listener/i);
    assert.doesNotMatch(a.de, /Listener danach bewusst entfernen/);
    assert.match(a.en, /Keep the HTTP listener/);
    assert.match(a.de, /Den HTTP-Listener behalten/);
  });

  it('connector-health promises no full sync at service start and names the logon failures a start does not fix', () => {
    const r = getStep('connector-health').remediation;
    assert.doesNotMatch(r.riskNote.en, /full sync/i);
    assert.doesNotMatch(r.riskNote.de, /Vollsynchronisation/);
    assert.match(r.saferAlternative.en, /7000.*7041.*Log on as a service/);
    assert.match(r.saferAlternative.de, /7000.*7041.*Als Dienst anmelden/);
  });

  it('intune-rbac-role says what a recipient scope leaves organisation-wide', () => {
    const a = getStep('intune-rbac-role').remediation.saferAlternative;
    assert.match(a.en, /organisation settings and device access rules stay organisation-wide/);
    assert.match(a.de, /Organisationseinstellungen sowie Gerätezugriffsregeln gelten weiter für die ganze Organisation/);
  });

  it('service-account-access offers JEA only where the product can name the endpoint (JEA is NoLanguage)', () => {
    const a = getStep('service-account-access').remediation.saferAlternative;
    assert.match(a.en, /only if the product lets you name the endpoint.*NoLanguage/);
    assert.match(a.de, /nur, wenn das Produkt den Endpunkt.*NoLanguage/);
  });
});
