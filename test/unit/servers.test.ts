import * as assert from 'node:assert/strict';
import { parseServerList, toSettingsEntry, parseServer } from '../../src/servers/server';
import { validateFqdn, validatePort, validateAccount, InputError } from '../../src/servers/validation';

describe('server validation', () => {
  it('accepts and normalises FQDNs', () => {
    assert.equal(validateFqdn(' EXCH01.Contoso.com. '), 'exch01.contoso.com');
    assert.equal(validateFqdn('mail-01.eu.contoso.co.uk'), 'mail-01.eu.contoso.co.uk');
  });

  for (const [input, why] of [
    ['', /Enter the server/],
    ['exch01', /short name/],
    ['10.0.0.5', /IP address/],
    ['fe80::1', /IP address/],
    ['exch01.contoso.com; Remove-Item C:\\', /not a valid DNS name/],
    ["exch'01.contoso.com", /not a valid DNS name/],
    ['-exch.contoso.com', /not a valid DNS name/],
    ['a'.repeat(64) + '.contoso.com', /not a valid DNS name/],
    [('a'.repeat(60) + '.').repeat(5) + 'com', /at most 253/],
    ['exch01.contoso.123', /numeric label/],
  ] as const) {
    it(`refuses ${JSON.stringify(input.slice(0, 40))} with a clear message`, () => {
      assert.throws(() => validateFqdn(input), (err: unknown) => err instanceof InputError && why.test(err.message));
    });
  }

  it('keeps control characters out of messages', () => {
    assert.throws(() => validateFqdn('exch\n01.contoso.com'), (err: Error) => !err.message.includes('\n'));
  });

  it('validates ports', () => {
    assert.equal(validatePort('5986'), 5986);
    assert.equal(validatePort(443), 443);
    for (const bad of ['0', '65536', 'abc', '-1', '59 86']) assert.throws(() => validatePort(bad), InputError);
  });
});

describe('server list', () => {
  it('reads valid entries, reports invalid ones and duplicates without dropping the rest', () => {
    const { servers, problems } = parseServerList([
      { fqdn: 'exch01.contoso.com' },
      { fqdn: 'exch02.contoso.com', profile: 'intune', connection: 'http-kerberos', port: 5985, serviceAccount: 'CONTOSO\\svc_sync' },
      { fqdn: 'bad name' },
      'exch03.contoso.com',
      { fqdn: 'EXCH01.contoso.com' },
      { fqdn: 'exch04.contoso.com', profile: 'cloud' },
      42,
    ]);
    assert.deepEqual(servers.map((s) => s.fqdn), ['exch01.contoso.com', 'exch02.contoso.com', 'exch03.contoso.com']);
    assert.equal(servers[0]?.profile, 'remoting');
    assert.equal(servers[0]?.connection, 'https');
    assert.equal(servers[1]?.serviceAccount, 'CONTOSO\\svc_sync');
    assert.deepEqual(problems.map((p) => p.index), [2, 4, 5, 6]);
    assert.match(problems[1]?.message ?? '', /listed twice/);
    assert.match(problems[2]?.message ?? '', /one of: remoting, intune/);
  });

  it('treats a non-array as one problem, and undefined as empty', () => {
    assert.equal(parseServerList({}).problems.length, 1);
    assert.deepEqual(parseServerList(undefined), { servers: [], problems: [] });
  });

  it('round-trips through the settings form, leaving defaults out', () => {
    const entry = toSettingsEntry(parseServer({ fqdn: 'exch01.contoso.com', port: 5986 }));
    assert.deepEqual(entry, { fqdn: 'exch01.contoso.com', profile: 'remoting', port: 5986 });
    assert.deepEqual(toSettingsEntry(parseServer(entry)), entry);
  });
});

describe('account validation', () => {
  it('accepts DOMAIN\\user and UPN forms', () => {
    assert.equal(validateAccount(' CONTOSO\\svc_sync '), 'CONTOSO\\svc_sync');
    assert.equal(validateAccount('svc.sync@Contoso.com'), 'svc.sync@contoso.com');
    // An apostrophe is legal in AD account names; scripts quote it, validation must not refuse it.
    assert.equal(validateAccount("CONTOSO\\o'brien"), "CONTOSO\\o'brien");
  });
  for (const bad of ['', 'svc_sync', 'CONTOSO\\', 'CONTOSO\\a"b', 'TOOLONGNETBIOSNAME1\\x', 'CONTOSO\\' + 'x'.repeat(21), 'svc@10.0.0.1', 'CONTOSO\\svc;rm']) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => validateAccount(bad), InputError));
  }
});
