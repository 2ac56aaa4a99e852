import * as assert from 'node:assert/strict';
import { requireInputs, resolveInputs } from '../../src/checks/inputs';
import {
  InputError, netbiosFromFqdn, validateAccount, validateDistinguishedName, validateFqdn, validateNetbiosName, validatePort,
} from '../../src/servers/validation';
import {
  validateEventId, validateRemoteAddress, validateRoleName, validateThumbprint, validateTrustedHost, validateTrustedHostList,
} from '../../src/checks/inputValidators';

function refuses(fn: () => unknown, why: RegExp): void {
  // eslint-disable-next-line no-control-regex -- a message must not carry NUL
  assert.throws(fn, (err: unknown) => err instanceof InputError && why.test(err.message) && !/[\n\r\u0000]/.test(err.message));
}

describe('checks: input validators', () => {
  it('keeps the existing validators\' behaviour', () => {
    assert.equal(validateFqdn('EXCH01.contoso.com.'), 'exch01.contoso.com');
    assert.equal(validatePort(5986), 5986);
    assert.equal(validateAccount('CONTOSO\\svc_sync'), 'CONTOSO\\svc_sync');
    assert.equal(validateAccount('svc@contoso.com'), 'svc@contoso.com');
  });

  it('validates NetBIOS computer names', () => {
    assert.equal(validateNetbiosName('exch01'), 'EXCH01');
    assert.equal(validateNetbiosName('EXCH01$'), 'EXCH01');
    refuses(() => validateNetbiosName('exchange-server-01'), /at most 15/);
    refuses(() => validateNetbiosName("ex'ch"), /NetBIOS computer name/);
    refuses(() => validateNetbiosName('12345'), /not digits alone/);
    refuses(() => validateNetbiosName('ex\nch'), /line break/);
    assert.equal(netbiosFromFqdn('mail01.contoso.com'), 'MAIL01');
    refuses(() => netbiosFromFqdn('averyveryverylongname.contoso.com'), /enter the NetBIOS name/);
  });

  it('validates distinguished names with RFC 4514 escapes', () => {
    assert.equal(validateDistinguishedName('CN=EXCH01, OU=Servers ,DC=contoso,DC=com'), 'CN=EXCH01,OU=Servers,DC=contoso,DC=com');
    assert.equal(validateDistinguishedName('CN=O\'Brien\\, Pat,OU=Users,DC=contoso,DC=com'), "CN=O'Brien\\, Pat,OU=Users,DC=contoso,DC=com");
    assert.equal(validateDistinguishedName('CN=A\\2CB,DC=x'), 'CN=A\\2CB,DC=x');
    refuses(() => validateDistinguishedName('EXCH01'), /CN=name/);
    refuses(() => validateDistinguishedName('CN=EXCH01,OU=Servers'), /no DC= part/);
    refuses(() => validateDistinguishedName('CN=a;b,DC=x'), /unescaped ;/);
    refuses(() => validateDistinguishedName('CN=a\\q,DC=x'), /backslash/);
    refuses(() => validateDistinguishedName('CN=a\nb,DC=x'), /line break/);
  });

  it('normalises thumbprints copied from the certificate dialog', () => {
    assert.equal(validateThumbprint('\u200e6a 8d 7e 55 37 d4 41 19 0f d7 2c 7c 2e 87 9a 06 40 72 ce 0f'), '6A8D7E5537D441190FD72C7C2E879A064072CE0F');
    assert.equal(validateThumbprint('6A:8D:7E:55:37:D4:41:19:0F:D7:2C:7C:2E:87:9A:06:40:72:CE:0F'), '6A8D7E5537D441190FD72C7C2E879A064072CE0F');
    refuses(() => validateThumbprint('6A8D7E'), /40 hexadecimal digits, got 6/);
    refuses(() => validateThumbprint("6A8D7E5537D441190FD72C7C2E879A064072CE0'"), /not a certificate thumbprint/);
  });

  it('validates TrustedHosts entries and refuses "*" unless allowed', () => {
    assert.equal(validateTrustedHost('EXCH01.contoso.com'), 'exch01.contoso.com');
    assert.equal(validateTrustedHost('*.Contoso.com'), '*.contoso.com');
    assert.equal(validateTrustedHost('192.168.50.10'), '192.168.50.10');
    assert.equal(validateTrustedHost('fe80::1'), 'fe80::1');
    assert.equal(validateTrustedHost('exch01'), 'exch01');
    refuses(() => validateTrustedHost('*'), /every destination/);
    assert.equal(validateTrustedHost('*', 'trustedHosts', true), '*');
    refuses(() => validateTrustedHost('exch01.contoso.com,*'), /not a valid DNS name/);
    assert.deepEqual(validateTrustedHostList('a.contoso.com, b.contoso.com,a.contoso.com'), ['a.contoso.com', 'b.contoso.com']);
    refuses(() => validateTrustedHostList(' , '), /empty/);
    refuses(() => validateTrustedHost('300.1.1.1'), /not a valid IPv4 address/);
  });

  it('validates firewall remote addresses', () => {
    assert.equal(validateRemoteAddress('10.0.5.21'), '10.0.5.21');
    assert.equal(validateRemoteAddress('10.0.5.0/24'), '10.0.5.0/24');
    assert.equal(validateRemoteAddress('localsubnet'), 'LocalSubnet');
    refuses(() => validateRemoteAddress('10.0.5.0/33'), /prefix length/);
    refuses(() => validateRemoteAddress('10.0.5.21; calc'), /not an IP address/);
  });

  it('validates role names and event IDs', () => {
    assert.equal(validateRoleName('  Intune   Connector (Quarantine) '), 'Intune Connector (Quarantine)');
    assert.equal(validateRoleName('Quarantäne-Administratoren'), 'Quarantäne-Administratoren');
    refuses(() => validateRoleName("x'; Remove-Item"), /may hold only/);
    refuses(() => validateRoleName('x'.repeat(65)), /at most 64/);
    refuses(() => resolveInputs({ server: 'x.contoso.com', roleName: 'x'.repeat(31) }), /at most 30/);
    assert.equal(validateEventId('7001'), 7001);
    refuses(() => validateEventId('70000'), /not an event ID/);
  });

  it('resolves step inputs with defaults and derived values', () => {
    const v = resolveInputs({ server: 'EXCH01.Contoso.com' });
    assert.equal(v.server, 'exch01.contoso.com');
    assert.equal(v.netbiosName, 'EXCH01');
    assert.deepEqual(v.trustedHosts, ['exch01.contoso.com']);
    assert.equal(v.port, 5986);
    assert.equal(v.cbtLevel, 'Relaxed');
    assert.equal(v.windowMinutes, 130);
    assert.equal(v.certWarnDays, 60);
    assert.equal(v.certFailDays, 30);
    const w = resolveInputs({ server: 'x.contoso.com', cbtLevel: 'none', activityEventIds: '7001, 7001,7003', connection: 'HTTP-KERBEROS' });
    assert.equal(w.cbtLevel, 'None');
    assert.deepEqual(w.activityEventIds, [7001, 7003]);
    assert.equal(w.connection, 'http-kerberos');
    refuses(() => resolveInputs({ server: 'x.contoso.com', cbtLevel: 'Off' }), /not one of/);
    refuses(() => resolveInputs({ server: 'x.contoso.com', certWarnDays: 20, certFailDays: 30 }), /must not exceed/);
    refuses(() => resolveInputs({ server: 'x.contoso.com', windowMinutes: 1 }), /outside/);
  });

  it('is idempotent: validated inputs validate to themselves', () => {
    const raw = { server: 'EXCH01.contoso.com', account: 'CONTOSO\\svc', computerDn: 'CN=EXCH01, OU=X,DC=contoso,DC=com', thumbprint: '6a:8d:7e:55:37:d4:41:19:0f:d7:2c:7c:2e:87:9a:06:40:72:ce:0f', trustedHosts: '*.Contoso.com, 10.0.0.5', remoteAddresses: ['10.0.5.0/24'], activityEventIds: [7001], windowMinutes: '240', cbtLevel: 'none' };
    const once = resolveInputs(raw);
    assert.deepEqual(resolveInputs(once as never), once);
  });

  it('names the missing input a step needs', () => {
    const v = resolveInputs({ server: 'x.contoso.com' });
    refuses(() => requireInputs(v, ['account'], 'Step'), /needs the service account/);
    const long = resolveInputs({ server: 'averyveryverylongname.contoso.com' });
    assert.equal(long.netbiosName, undefined);
    refuses(() => requireInputs(long, ['netbiosName'], 'Step'), /NetBIOS/);
  });
});
