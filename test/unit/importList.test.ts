import * as assert from 'node:assert/strict';
import { parseImport, splitCsv } from '../../src/servers/importList';

describe('server list import', () => {
  it('reads one FQDN per line, skipping blanks and comments, reporting bad lines by number', () => {
    const r = parseImport('# Exchange servers\nexch01.contoso.com\n\nEXCH02.contoso.com.\nexch03\n10.0.0.1\nexch01.contoso.com\n');
    assert.deepEqual(r.servers.map((s) => s.fqdn), ['exch01.contoso.com', 'exch02.contoso.com']);
    assert.deepEqual(r.problems.map((p) => p.line), [5, 6, 7]);
    assert.match(r.problems[2]?.message ?? '', /already in the list/);
  });

  it('reads CSV with a header, in any column order, with quotes and semicolons', () => {
    const r = parseImport('serviceAccount;fqdn;profile\n"CONTOSO\\svc_sync";exch01.contoso.com;remoting\n;exch02.contoso.com;intune\n');
    assert.deepEqual(r.servers.map((s) => [s.fqdn, s.profile, s.serviceAccount]), [['exch01.contoso.com', 'remoting', 'CONTOSO\\svc_sync'], ['exch02.contoso.com', 'intune', undefined]]);
    assert.deepEqual(r.problems, []);
  });

  it('skips servers already configured and reports an invalid profile', () => {
    const r = parseImport('fqdn,profile\nexch01.contoso.com,remoting\nexch02.contoso.com,cloud\n', ['EXCH01.contoso.com']);
    assert.equal(r.servers.length, 0);
    assert.equal(r.problems.length, 2);
    assert.match(r.problems[1]?.message ?? '', /one of: remoting, intune/);
  });

  it('refuses several values on a line without a header', () => {
    const r = parseImport('exch01.contoso.com,intune');
    assert.match(r.problems[0]?.message ?? '', /header/);
  });

  it('splits CSV per RFC 4180', () => {
    assert.deepEqual(splitCsv('a,"b,c","d ""e"""'), ['a', 'b,c', 'd "e"']);
  });
});
