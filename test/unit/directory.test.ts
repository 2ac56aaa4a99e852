// The LDAPS delegation check against a REAL Samba AD DC started on 127.0.0.1 by this test (test/tooling/samba.ts).
// Without Samba installed this suite fails with a message naming the packages (CI installs them).
import * as assert from 'node:assert/strict';
import {
  LdapDelegationDirectory, computerFilter, decodeUac, type DelegationCheckResult, type DirectoryConnection,
} from '../../src/directory/delegation';
import { checkDelegationOverLdap } from '../../src/directory/delegationStep';
import { parseSecurityDescriptor, sidToBuffer, sidToString } from '../../src/directory/securityDescriptor';
import { InputError } from '../../src/servers/validation';
import { DC_NAME, startSambaDc, type SambaDc } from '../tooling/samba';
import { refusedPort, startSilentServer } from '../tooling/tls';

const ADMIN_PASSWORD = 'Adm1n!Passw0rd-Test';
const READER = { name: 'ers-reader', password: 'Re@der-Passw0rd-42' };

describe('directory: pure parts', () => {
  it('builds a lookup filter by sAMAccountName or dNSHostName, escaping values, refusing junk', () => {
    assert.equal(computerFilter('exch01'), '(&(objectCategory=computer)(sAMAccountName=EXCH01$))');
    assert.equal(computerFilter('EXCH01$'), '(&(objectCategory=computer)(sAMAccountName=EXCH01$))');
    assert.equal(computerFilter('Exch01.Contoso.com.'), '(&(objectCategory=computer)(|(dNSHostName=exch01.contoso.com)(sAMAccountName=EXCH01$)))');
    for (const bad of ['EXCH01)(sAMAccountName=*', '*', 'a b', '', 'x'.repeat(16)]) {
      assert.throws(() => computerFilter(bad), InputError, bad);
    }
  });

  it('decodes userAccountControl flags (4096 + 524288 = unconstrained delegation)', () => {
    const f = decodeUac(528384);
    assert.equal(f.trustedForDelegation, true);
    assert.equal(f.workstationTrustAccount, true);
    assert.equal(f.trustedToAuthForDelegation, false);
    assert.equal(decodeUac(4096).trustedForDelegation, false);
    assert.equal(decodeUac(0x1000 | 0x1000000).trustedToAuthForDelegation, true);
  });

  it('round-trips SIDs and reads the DACL trustees of an RBCD security descriptor', () => {
    const sid = 'S-1-5-21-3221197360-3909984457-2640819912-1103';
    assert.equal(sidToString(sidToBuffer(sid)).sid, sid);
    // Samba's own msDS-AllowedToActOnBehalfOfOtherIdentity value (owner BA, one allow ACE for a domain computer).
    const sd = Buffer.from('AQAEgBQAAAAAAAAAAAAAACQAAAABAgAAAAAABSAAAAAgAgAABAAsAAEAAAAAACQA/wEPAAEFAAAAAAAFFQAAADCS/7/JoA3pyLZnnU8EAAA=', 'base64');
    const parsed = parseSecurityDescriptor(sd);
    assert.equal(parsed.owner, 'S-1-5-32-544');
    assert.deepEqual(parsed.dacl.map((a) => [a.type, a.sid]), [['allow', 'S-1-5-21-3221197360-3909984457-2640819912-1103']]);
  });
});

describe('directory: delegation check over LDAPS against a real Samba AD DC', function () {
  this.timeout(120_000);
  let dc: SambaDc | undefined;

  before(async function () {
    this.timeout(120_000);
    dc = await startSambaDc({
      adminPassword: ADMIN_PASSWORD,
      ous: ['OU=Servers', 'OU=Exchange Servers,OU=Servers'],
      users: [
        READER,
        { name: 'svc-sync', password: 'Svc!Passw0rd-1' },
        { name: 'svc-sensitive', password: 'Svc!Passw0rd-2', sensitive: true },
        { name: 'svc-protected', password: 'Svc!Passw0rd-3', groups: ['Protected Users'] },
        { name: 'exch-asa', password: 'Asa!Passw0rd-4', spns: ['HTTP/exch01.contoso.test', 'HTTP/exch01.contoso.test:5985'] },
      ],
      computers: [
        { name: 'EXCH01', dnsHostName: 'exch01.contoso.test', trustedForDelegation: true },
        { name: 'EXCH02', ou: 'OU=Exchange Servers,OU=Servers', dnsHostName: 'exch02.contoso.test', trustedForDelegation: true },
        { name: 'EXCH03', ou: 'OU=Exchange Servers,OU=Servers', dnsHostName: 'exch03.contoso.test' },
        { name: 'SYNC01', dnsHostName: 'sync01.contoso.test', allowedToDelegateTo: ['http/exch03.contoso.test', 'http/EXCH03'] },
        { name: 'EXCH04', dnsHostName: 'exch04.contoso.test', rbcdPrincipals: ['SYNC01$'] },
      ],
    });
  });

  after(async () => {
    await dc?.stop();
  });

  // An ordinary domain user reads the attributes; no admin rights needed.
  const conn = (over: Partial<DirectoryConnection> = {}): DirectoryConnection => ({
    url: dc!.url, bindName: `${READER.name}@contoso.test`, password: READER.password, ca: dc!.ca, serverName: DC_NAME, timeoutMs: 10_000, ...over,
  });
  const found = (r: DelegationCheckResult) => {
    assert.equal(r.status, 'found', JSON.stringify(r));
    return (r as Extract<DelegationCheckResult, { status: 'found' }>).computer;
  };

  it('finds a computer WITH "trusted for delegation" in CN=Computers', async () => {
    const c = found(await new LdapDelegationDirectory(conn()).readComputerDelegation('EXCH01'));
    assert.equal(c.distinguishedName, 'CN=EXCH01,CN=Computers,DC=contoso,DC=test');
    assert.equal(c.sAMAccountName, 'EXCH01$');
    assert.equal(c.dNSHostName, 'exch01.contoso.test');
    assert.equal(c.flags.trustedForDelegation, true);
    assert.equal((c.userAccountControl & 0x80000) !== 0, true);
    assert.deepEqual(c.allowedToDelegateTo, []);
    assert.equal(c.allowedToActOnBehalf, undefined);
  });

  it('finds a computer in another (nested) OU by lookup, by FQDN as well as by name', async () => {
    const dir = new LdapDelegationDirectory(conn());
    for (const name of ['exch02.contoso.test', 'EXCH02']) {
      const c = found(await dir.readComputerDelegation(name));
      assert.equal(c.distinguishedName, 'CN=EXCH02,OU=Exchange Servers,OU=Servers,DC=contoso,DC=test');
      assert.equal(c.flags.trustedForDelegation, true);
    }
  });

  it('reports a computer WITHOUT the flag as such', async () => {
    const c = found(await new LdapDelegationDirectory(conn()).readComputerDelegation('exch03.contoso.test'));
    assert.equal(c.flags.trustedForDelegation, false);
    assert.equal(c.flags.trustedToAuthForDelegation, false);
    assert.match(c.distinguishedName, /OU=Exchange Servers/);
  });

  it('reads constrained delegation targets and resource-based delegation trustees (the safer alternatives)', async () => {
    const dir = new LdapDelegationDirectory(conn({ bindName: 'CONTOSO\\Administrator', password: ADMIN_PASSWORD }));
    const sync = found(await dir.readComputerDelegation('SYNC01'));
    assert.equal(sync.flags.trustedForDelegation, false);
    assert.deepEqual([...sync.allowedToDelegateTo].sort(), ['http/EXCH03', 'http/exch03.contoso.test']);
    const exch04 = found(await dir.readComputerDelegation('EXCH04'));
    assert.equal(exch04.allowedToActOnBehalf?.length, 1);
    assert.equal(exch04.allowedToActOnBehalf?.[0]?.name, 'SYNC01$');
    assert.equal(exch04.allowedToActOnBehalf?.[0]?.access, 'allow');
    assert.match(exch04.allowedToActOnBehalf?.[0]?.sid ?? '', /^S-1-5-21-\d+-\d+-\d+-\d+$/);
  });

  it('reads the service account\'s delegability: sensitive flag and Protected Users membership', async () => {
    const dir = new LdapDelegationDirectory(conn());
    const read = async (a: string) => {
      const r = await dir.readServiceAccount(a);
      assert.equal(r.status, 'found', JSON.stringify(r));
      return (r as Extract<typeof r, { status: 'found' }>).account;
    };
    const ok = await read('CONTOSO\\svc-sync');
    assert.deepEqual([ok.sAMAccountName, ok.notDelegated, ok.protectedUsers], ['svc-sync', false, false]);
    assert.equal((await read('svc-sensitive@contoso.test')).notDelegated, true);
    assert.equal((await read('CONTOSO\\svc-protected')).protectedUsers, true);
    assert.equal((await dir.readServiceAccount('CONTOSO\\nobody')).status, 'not-found');
  });

  it('finds foreign owners of the HTTP/<fqdn> SPN (the 0x80090322 cause)', async () => {
    const r = await new LdapDelegationDirectory(conn()).findHttpSpnOwners('exch01.contoso.test');
    assert.equal(r.status, 'ok', JSON.stringify(r));
    const owners = (r as Extract<typeof r, { status: 'ok' }>).owners;
    assert.deepEqual(owners.map((o) => [o.sAMAccountName, [...o.spns].sort()]), [['exch-asa', ['HTTP/exch01.contoso.test', 'HTTP/exch01.contoso.test:5985']]]);
    const none = await new LdapDelegationDirectory(conn()).findHttpSpnOwners('exch03.contoso.test');
    assert.deepEqual(none.status === 'ok' && none.owners, []);
  });

  it('decides the catalog\'s kerberos-delegation step from the LDAPS read (no PowerShell, no RSAT)', async () => {
    const dir = new LdapDelegationDirectory(conn());
    const decide = (server: string, account = 'CONTOSO\\svc-sync') => checkDelegationOverLdap(dir, { server, account });
    const ok = await decide('exch02.contoso.test');
    assert.equal(ok.status, 'pass', JSON.stringify(ok));
    assert.equal(ok.highRisk, true);
    assert.match(ok.evidence.map((e) => `${e.label}: ${e.value}`).join('\n'), /Computer: CN=EXCH02,OU=Exchange Servers,OU=Servers/);
    const foreignSpn = await decide('exch01.contoso.test');
    assert.equal(foreignSpn.status, 'fail');
    assert.match(foreignSpn.reason, /HTTP\/ SPN of the server is registered on another account/);
    assert.equal((await decide('exch03.contoso.test')).status, 'fail');
    const safer = await decide('exch04.contoso.test');
    // Microsoft: constrained and resource-based delegation do not support the WinRM second hop.
    assert.equal(safer.status, 'fail');
    assert.match(safer.summary, /Constrained delegation only \(no WinRM second hop\)/);
    assert.match((await decide('exch02.contoso.test', 'svc-sensitive@contoso.test')).reason, /sensitive and cannot be delegated/);
    assert.match((await decide('exch02.contoso.test', 'CONTOSO\\svc-protected')).reason, /Protected Users/);
    const down = await checkDelegationOverLdap(new LdapDelegationDirectory(conn({ url: `ldaps://127.0.0.1:${await refusedPort()}` })), { server: 'exch02.contoso.test', account: 'CONTOSO\\svc-sync' });
    assert.equal(down.status, 'error', 'an unreachable DC is never a pass');
  });

  it('says "not found" for a computer that does not exist', async () => {
    const r = await new LdapDelegationDirectory(conn()).readComputerDelegation('NOPE99');
    assert.equal(r.status, 'not-found');
    assert.match((r as { message: string }).message, /No computer object matches NOPE99 anywhere under DC=contoso,DC=test/);
  });

  it('says "invalid credentials" for a wrong password', async () => {
    const r = await new LdapDelegationDirectory(conn({ password: 'wrong-password' })).readComputerDelegation('EXCH01');
    assert.equal(r.status, 'error');
    assert.equal(r.status === 'error' && r.kind, 'invalid-credentials');
    assert.match(r.status === 'error' ? r.message : '', /refused the user name or password \(LDAP 49/);
  });

  it('says "unreachable" for a DC that does not answer on its port', async () => {
    const port = await refusedPort();
    const r = await new LdapDelegationDirectory(conn({ url: `ldaps://127.0.0.1:${port}` })).readComputerDelegation('EXCH01');
    assert.equal(r.status === 'error' && r.kind, 'unreachable', JSON.stringify(r));
    assert.match(r.status === 'error' ? r.message : '', /cannot be reached \(ECONNREFUSED\)/);
  });

  it('says "timeout" for a DC that accepts the connection but never answers', async () => {
    const silent = await startSilentServer();
    try {
      const r = await new LdapDelegationDirectory(conn({ url: `ldaps://127.0.0.1:${silent.port}`, timeoutMs: 700 })).readComputerDelegation('EXCH01');
      assert.equal(r.status === 'error' && r.kind, 'timeout', JSON.stringify(r));
    } finally {
      await silent.close();
    }
  });

  it('says "tls-failure" when the DC certificate is not trusted', async () => {
    const r = await new LdapDelegationDirectory({ url: dc!.url, bindName: `${READER.name}@contoso.test`, password: READER.password, serverName: DC_NAME, timeoutMs: 10_000 }).readComputerDelegation('EXCH01');
    assert.equal(r.status === 'error' && r.kind, 'tls-failure', JSON.stringify(r));
  });

  it('refuses plain ldap:// (simple binds would send the password in clear)', () => {
    assert.throws(() => new LdapDelegationDirectory(conn({ url: 'ldap://127.0.0.1' })), InputError);
  });
});
