import * as assert from 'node:assert/strict';
import { classifyError, collectCodes, toHresult } from '../../src/checks/errors';

describe('checks: error classification by stable codes', () => {
  it('converts signed WinRM numbers and hex strings to HRESULTs', () => {
    assert.equal(toHresult(-2144108387), '0x8033809D');
    assert.equal(toHresult('-2144108526'), '0x80338012');
    assert.equal(toHresult('0x8009030e'), '0x8009030E');
    assert.equal(toHresult(5), '0x00000005');
    assert.equal(toHresult('abc'), undefined);
  });

  it('finds the SPN problem 0x80090322 inside a German message', () => {
    const c = classifyError({
      fullyQualifiedErrorId: 'AccessDenied,PSSessionStateBroken',
      message: 'Beim Verbinden mit dem Remoteserver "exch01.contoso.com" ist folgender Fehler aufgetreten: WinRM kann die Anforderung nicht verarbeiten. Bei Verwendung der Kerberos-Authentifizierung ist ein Fehler mit dem Fehlercode 0x80090322 aufgetreten: Unbekannter Sicherheitsfehler.',
    });
    assert.equal(c.kind, 'spnMismatch');
    assert.equal(c.code, '0x80090322');
    assert.equal(c.relatedStep, 'kerberos-delegation');
  });

  it('recognises the double-hop symptom 0x8009030E even under a generic FQID', () => {
    const c = classifyError({ fullyQualifiedErrorId: 'AccessDenied,PSSessionStateBroken', message: 'WinRM cannot process the request. The following error with errorcode 0x8009030e occurred while using Kerberos authentication: A specified logon session does not exist.' });
    assert.equal(c.kind, 'noDelegatedCredentials');
  });

  it('maps the FQID-embedded WinRM number -2144108387', () => {
    const c = classifyError({ fullyQualifiedErrorId: '-2144108387,PSSessionStateBroken' });
    assert.equal(c.code, '0x8033809D');
  });

  it('classifies remote access denied (no code in the text) by FQID, whatever the language', () => {
    for (const message of ['Access is denied.', 'Zugriff verweigert', 'Accès refusé.']) {
      const c = classifyError({ fullyQualifiedErrorId: 'AccessDenied,PSSessionStateBroken', message: `Connecting to remote server exch01 failed: ${message}` });
      assert.equal(c.kind, 'accessDenied');
      assert.equal(c.relatedStep, 'service-account-access');
    }
  });

  it('tells a local access denied (not elevated) from a remote one', () => {
    const c = classifyError({ fullyQualifiedErrorId: 'System.UnauthorizedAccessException,Microsoft.PowerShell.Commands.GetItemCommand', exceptionType: 'System.UnauthorizedAccessException', hresults: ['0x80070005'] });
    assert.equal(c.kind, 'notElevated');
  });

  it('classifies ServerNotTrusted, destination unreachable, certificate errors and quickconfig', () => {
    assert.equal(classifyError({ fullyQualifiedErrorId: 'ServerNotTrusted,PSSessionStateBroken' }).kind, 'notTrusted');
    assert.equal(classifyError({ hresults: ['0x80131509'], message: 'Le client ne peut pas se connecter (0x80338012)' }).kind, 'unreachable');
    assert.equal(classifyError({ message: 'Fehlernummer: -2147012851 0x80072F0D' }).kind, 'certificateUntrusted');
    assert.equal(classifyError({ hresults: [-2147012858] }).kind, 'certificateNameMismatch');
    assert.equal(classifyError({ message: 'x 0x80338115 y' }).kind, 'certificateRequired');
    assert.equal(classifyError({ fullyQualifiedErrorId: 'CommandNotFoundException' }).kind, 'moduleMissing');
    assert.equal(classifyError({ fullyQualifiedErrorId: 'NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand' }).kind, 'notFound');
    assert.equal(classifyError({ fullyQualifiedErrorId: 'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands.GetADComputer' }).kind, 'notFound');
    assert.equal(classifyError({ nativeErrorCode: 10061 }).kind, 'connectionRefused');
  });

  it('does not guess from English text alone', () => {
    const c = classifyError({ message: 'The SSL certificate is signed by an unknown certificate authority.' });
    assert.equal(c.kind, 'unknown');
    assert.equal(c.code, 'none');
  });

  it('collects codes from message, chain and FQID without duplicates', () => {
    assert.deepEqual(collectCodes({ message: 'a 0x80338012 b 0x80338012', hresults: ['0x80131509', -2144108526], fullyQualifiedErrorId: '-2144108526,PSSessionStateBroken' }), ['0x80338012', '0x80131509']);
  });

  it('classifies what PowerShell on Linux/macOS lacks as needsWindows, and the same errors on Windows as before', () => {
    const offWindows = [
      { fullyQualifiedErrorId: 'CommandNotFoundException', exceptionType: 'System.Management.Automation.CommandNotFoundException' },
      { fullyQualifiedErrorId: 'TypeNotFound', exceptionType: 'System.Management.Automation.RuntimeException', message: 'Unable to find type [adsi].' },
      { fullyQualifiedErrorId: 'DriveNotFound,Microsoft.PowerShell.Commands.GetItemCommand', exceptionType: 'System.Management.Automation.DriveNotFoundException' },
      { fullyQualifiedErrorId: 'System.Management.Automation.Remoting.PSRemotingDataStructureException,Microsoft.PowerShell.Commands.InvokeCommandCommand', hresults: ['0x80131501'] },
    ];
    for (const e of offWindows) {
      const c = classifyError({ ...e, onWindows: false });
      assert.equal(c.kind, 'needsWindows', JSON.stringify(e));
      assert.match(c.hint, /needs Windows PowerShell or PowerShell on Windows/);
    }
    assert.equal(classifyError({ ...offWindows[0], onWindows: true }).kind, 'moduleMissing');
    assert.equal(classifyError(offWindows[0]!).kind, 'moduleMissing');
  });
});
