import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../../src/ids';
import { activatedApi } from '../helpers';
import { getStep } from '../../../src/checks';

describe('Restricted Mode (untrusted workspace, real VS Code)', () => {
  it('runs with the workspace untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('ignores the server list from the untrusted workspace settings', async () => {
    const api = await activatedApi();
    // The fixture workspace of this suite lists exch-untrusted.contoso.test in .vscode/settings.json.
    assert.deepEqual(api.serverTree.servers.map((s) => s.fqdn), []);
  });

  it('refuses to run a remediation, before asking anything', async () => {
    const api = await activatedApi();
    let asked = false;
    api.testHooks?.setConfirm(async () => { asked = true; return true; });
    const node = { kind: 'step', server: { fqdn: 'exch01.contoso.test', profile: 'remoting', connection: 'https', serviceAccount: 'CONTOSO\\svc_sync' }, step: getStep('ps-remoting') };
    const verdict = await vscode.commands.executeCommand(Commands.runRemediation, node);
    assert.equal(verdict, 'refused-untrusted');
    assert.equal(asked, false);
  });

  it('still lets the administrator copy a remediation to run it by hand', async () => {
    const node = { kind: 'step', server: { fqdn: 'exch01.contoso.test', profile: 'remoting', connection: 'https', serviceAccount: 'CONTOSO\\svc_sync' }, step: getStep('ps-remoting') };
    const script = await vscode.commands.executeCommand<string>(Commands.copyRemediation, node);
    assert.ok(script && script.length > 100);
    assert.equal(await vscode.env.clipboard.readText(), script);
  });
});
