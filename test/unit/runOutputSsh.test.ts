// Reading the fan-out's output back: terminal sequences, OpenSSH's own messages, and which errors mean "needs Windows".
import * as assert from 'node:assert/strict';
import { classifyError, sshFailure, stripTerminal } from '../../src/powershell/runOutput';

describe('run output: terminal noise, SSH reasons, needs-windows', () => {
  it('strips cursor-mode, colour and title sequences, and leaves plain text alone', () => {
    assert.equal(stripTerminal('\u001b[?1h\u001b=\u001b[?1l\u001b>##ERS-DONE:abc'), '##ERS-DONE:abc');
    assert.equal(stripTerminal('\u001b[31mred\u001b[0m \u001b]0;title\u0007ok'), 'red ok');
    assert.equal(stripTerminal('plain'), 'plain');
  });

  it('names the SSH reason of one address only, from OpenSSH\'s messages', () => {
    const lines = [
      'ssh: connect to host 127.0.0.10 port 2222: Connection refused',
      'root@127.0.0.2: Permission denied (publickey).',
      'No ED25519 host key is known for [127.0.0.3]:2222 and you have requested strict checking.',
      'Host key verification failed.',
    ];
    assert.equal(sshFailure('exch01.contoso.test', '127.0.0.1', 2222, lines), undefined, '127.0.0.1 is not 127.0.0.10');
    assert.equal(sshFailure('exch10.contoso.test', '127.0.0.10', 2222, lines)?.errorId, 'SshUnreachable');
    assert.equal(sshFailure('exch02.contoso.test', '127.0.0.2', 2222, lines)?.errorId, 'SshAuthenticationRefused');
    assert.equal(sshFailure('exch03.contoso.test', '127.0.0.3', 2222, lines)?.errorId, 'SshHostKeyUnknown');
    assert.equal(sshFailure('exch04.contoso.test', 'exch04.contoso.test', 22, ['ssh: Could not resolve hostname exch04.contoso.test: Name or service not known'])?.kind, 'unreachable');
  });

  it('classifies a WinRM call off Windows as needs-windows, but not a broken SSH session', () => {
    const winrm = classifyError({ id: 'System.Management.Automation.Remoting.PSRemotingDataStructureException,Microsoft.PowerShell.Commands.InvokeCommandCommand', type: 'System.Management.Automation.Remoting.PSRemotingTransportException', windows: false, message: 'This parameter set requires WSMan' });
    assert.equal(winrm.kind, 'needs-windows');
    const ssh = classifyError({ id: 'PSSessionStateBroken', type: 'System.Management.Automation.Remoting.PSRemotingTransportException', windows: false, message: 'The SSH transport process has abruptly terminated' });
    assert.notEqual(ssh.kind, 'needs-windows');
    const onWindows = classifyError({ id: 'System.Management.Automation.Remoting.PSRemotingDataStructureException', windows: true, message: 'x' });
    assert.notEqual(onWindows.kind, 'needs-windows');
  });
});
