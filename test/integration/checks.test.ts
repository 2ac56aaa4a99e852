import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getStep, resolveInputs } from '../../src/checks';
import { Commands, Settings, StateKeys } from '../../src/ids';
import type { ServerNode } from '../../src/tree/serverTreeProvider';
import { activatedApi, waitFor } from './helpers';
import { CHECKED_SERVER, doubleScripts, recordedCheck, setDoubleScenario } from './checkFixtures';

function stepRow(api: Awaited<ReturnType<typeof activatedApi>>, stepId: string): vscode.TreeItem {
  const server = api.serverTree.servers.find((s) => s.fqdn === CHECKED_SERVER);
  assert.ok(server, 'server configured');
  const node = api.serverTree.getChildren(api.serverTree.serverNode(server)).find((n) => n.kind === 'step' && n.step.id === stepId);
  assert.ok(node, `no row for ${stepId}`);
  return api.serverTree.getTreeItem(node);
}

function iconId(item: vscode.TreeItem): string {
  return (item.iconPath as vscode.ThemeIcon).id;
}

describe('checklist with the PowerShell double (real VS Code)', () => {
  before(async () => {
    const api = await activatedApi();
    await vscode.commands.executeCommand(Commands.addServer, { fqdn: CHECKED_SERVER, serviceAccount: 'CONTOSO\\svc_sync' });
    await waitFor(() => api.serverTree.servers.some((s) => s.fqdn === CHECKED_SERVER), 10_000, 'server added');
  });

  it('sets aside a corrupted stored state with a warning and keeps working', async () => {
    const api = await activatedApi();
    const hooks = api.testHooks;
    assert.ok(hooks, 'test hooks exist in ExtensionMode.Test');
    await hooks.workspaceState.update(StateKeys.results, { version: 1, results: { [CHECKED_SERVER]: 'not a table' } });
    const warning = await hooks.reloadResults();
    assert.match(warning ?? '', /not a table/);
    assert.equal(hooks.workspaceState.get(StateKeys.results), undefined);
    assert.deepEqual((hooks.workspaceState.get(StateKeys.resultsSetAside) as { raw: unknown }).raw, { version: 1, results: { [CHECKED_SERVER]: 'not a table' } });
    assert.equal(iconId(stepRow(api, 'ps-remoting')), 'circle-large-outline');
  });

  it('runs the server\'s checks through the runner and turns rows to the decided states', async () => {
    const api = await activatedApi();
    setDoubleScenario({
      servers: { '*': { checkResults: { 'service-account-access': recordedCheck('service-account-access', 0) } } },
      local: { checkResults: { 'kerberos-delegation': recordedCheck('kerberos-delegation', 1) } },
    });
    const before = doubleScripts().length;
    await vscode.commands.executeCommand(Commands.runCheck, api.serverTree.serverNode(api.serverTree.servers.find((s) => s.fqdn === CHECKED_SERVER) as never));
    assert.equal(doubleScripts().length - before, 2, 'one round trip to the server, one local');
    const sa = stepRow(api, 'service-account-access');
    assert.equal(iconId(sa), 'pass');
    assert.match(String(sa.description), /Remote Management Users/);
    const kd = stepRow(api, 'kerberos-delegation');
    assert.equal(iconId(kd), 'error');
    assert.match(String(kd.description), /Not trusted for delegation/i);
    const listener = stepRow(api, 'https-listener');
    assert.equal(iconId(listener), 'question', 'a step without a result is "could not check", never a pass');
    assert.match(String(listener.contextValue), /status:error/);
    const path = stepRow(api, 'network-path-5986');
    assert.match(String(path.description), /TCP 5986 refused|TCP 5986: (no answer|network unreachable)/, 'the Node probe decided the network path (here: nothing listens on 127.0.0.1:5986)');
    const serverItem = api.serverTree.getTreeItem(api.serverTree.serverNode(api.serverTree.servers.find((s) => s.fqdn === CHECKED_SERVER) as never));
    assert.match(String(serverItem.description), /\b1 passed\b/);
    assert.match(String(serverItem.description), /\d+ failed/);
    assert.equal(api.results.get(CHECKED_SERVER, 'service-account-access')?.status, 'pass');
  });

  it('refuses a remediation that is not confirmed: nothing reaches PowerShell', async () => {
    const api = await activatedApi();
    let shown: string | undefined;
    api.testHooks?.setConfirm(async (plan) => { shown = plan.script; return false; });
    const before = doubleScripts().length;
    const server = api.serverTree.servers.find((s) => s.fqdn === CHECKED_SERVER);
    const node: ServerNode = { kind: 'step', server: server as never, step: getStep('kerberos-delegation') };
    assert.equal(await vscode.commands.executeCommand(Commands.runRemediation, node), 'cancelled');
    assert.equal(doubleScripts().length, before);
    // The confirmation showed exactly the script that would have run: the step's remediation for this server, the
    // same text Copy Remediation gives.
    const copied = await vscode.commands.executeCommand<string>(Commands.copyRemediation, node);
    assert.equal(typeof shown, 'string', 'the confirmation was shown the script');
    assert.equal(shown, copied);
    // It is the Kerberos delegation remediation: every line of that step's body is in it (indented inside a block).
    const body = getStep('kerberos-delegation').remediationBody(resolveInputs({ server: CHECKED_SERVER }));
    for (const line of body.split('\n').map((l) => l.trim()).filter(Boolean)) assert.ok(shown!.includes(line), `the confirmation lacks: ${line}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('copies exactly the remediation script to the clipboard', async () => {
    const api = await activatedApi();
    const server = api.serverTree.servers.find((s) => s.fqdn === CHECKED_SERVER);
    const node: ServerNode = { kind: 'step', server: server as never, step: getStep('service-account-access') };
    const script = await vscode.commands.executeCommand<string>(Commands.copyRemediation, node);
    assert.match(script, /'CONTOSO\\svc_sync'/);
    assert.equal(await vscode.env.clipboard.readText(), script);
  });

  it('keeps the results in the workspace state for the next session', async () => {
    const api = await activatedApi();
    const stored = api.testHooks?.workspaceState.get(StateKeys.results) as { results: Record<string, Record<string, { status: string }>> };
    assert.equal(stored.results[CHECKED_SERVER]?.['service-account-access']?.status, 'pass');
    assert.ok(vscode.workspace.getConfiguration(Settings.section).get<unknown[]>(Settings.servers)?.length);
  });
});

describe('step settings reach the scripts (real VS Code)', () => {
  afterEach(async () => {
    const cfg = vscode.workspace.getConfiguration(Settings.section);
    await cfg.update('intune.windowMinutes', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg.update('intune.activityEventIds', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg.update('checks.trustedHosts', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('uses the Intune window and event ids from the settings in the connector health scripts', async () => {
    const cfg = vscode.workspace.getConfiguration(Settings.section);
    await cfg.update('intune.windowMinutes', 60, vscode.ConfigurationTarget.Workspace);
    await cfg.update('intune.activityEventIds', [1000, 1001], vscode.ConfigurationTarget.Workspace);
    const node: ServerNode = { kind: 'step', server: { fqdn: 'conn01.contoso.com', profile: 'intune', connection: 'https' }, step: getStep('connector-health') };
    const script = await vscode.commands.executeCommand<string>(Commands.copyRemediation, node);
    assert.match(script, /^\$ersWindowMinutes = 60$/m);
    assert.match(script, /^\$ersActivityEventIds = @\(1000, 1001\)$/m);
  });

  it('refuses an invalid setting with a message naming it, instead of running anything', async () => {
    const api = await activatedApi();
    await vscode.workspace.getConfiguration(Settings.section).update('checks.trustedHosts', ['*'], vscode.ConfigurationTarget.Workspace);
    const server = api.serverTree.servers.find((s) => s.fqdn === CHECKED_SERVER);
    const before = doubleScripts().length;
    await vscode.commands.executeCommand(Commands.runCheck, { kind: 'step', server, step: getStep('trusted-hosts') });
    assert.equal(doubleScripts().length, before, 'nothing ran');
    const r = api.results.get(CHECKED_SERVER, 'trusted-hosts');
    assert.equal(r?.status, 'error');
    assert.match(`${r?.reason}`, /trustedHosts|TrustedHosts|\*/);
    // The reload suite reads other steps; only the setting itself is put back.
    await vscode.workspace.getConfiguration(Settings.section).update('checks.trustedHosts', undefined, vscode.ConfigurationTarget.Workspace);
  });
});

describe('Intune connector configuration under an Intune server (real VS Code)', () => {
  const CONNECTOR = 'conn01.contoso.com';
  const URLS = ['https://manage.microsoft.com/RestUserAuthLocationService/RestUserAuthLocationService/ServiceAddresses', 'https://login.microsoftonline.com/', 'https://fef.msua06.manage.microsoft.com/', 'https://enterpriseregistration.windows.net/'];

  before(async () => {
    const api = await activatedApi();
    if (!api.serverTree.servers.some((s) => s.fqdn === CONNECTOR)) {
      await vscode.commands.executeCommand(Commands.addServer, { fqdn: CONNECTOR, profile: 'intune', connection: 'https', serviceAccount: 'CONTOSO\\svc_intune' });
    }
    await waitFor(() => api.serverTree.servers.some((s) => s.fqdn === CONNECTOR), 10_000, 'connector host added');
  });
  // The suites after this one count the configured servers: the connector host goes again.
  after(() => vscode.commands.executeCommand(Commands.removeServer, CONNECTOR));

  it('shows the configuration step under the Intune server, and its Copy action puts the cloud URL list on the clipboard', async () => {
    const api = await activatedApi();
    const server = api.serverTree.servers.find((s) => s.fqdn === CONNECTOR);
    assert.ok(server);
    const rowNode = (): ServerNode | undefined => api.serverTree.getChildren(api.serverTree.serverNode(server)).find((n) => n.kind === 'step' && n.step.id === 'connector-config');
    const node = rowNode();
    assert.ok(node, 'the Intune server lists the connector configuration step');
    assert.doesNotMatch(String(api.serverTree.getTreeItem(node).contextValue), /hasCopyList/, 'nothing to copy before the check');
    setDoubleScenario({ servers: { '*': { checkResults: { 'connector-config': recordedCheck('connector-config', 0) } } } });
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand(Commands.runCheck, node);
    const r = api.results.get(CONNECTOR, 'connector-config');
    assert.ok(r && r.status !== 'error', JSON.stringify(r));
    // The CAS servers were probed from here (pinned to 127.0.0.1 in tests) and the evidence says so.
    assert.ok(r.evidence.some((e) => /^CAS exch0[12]\.contoso\.com:443 \(probed from the VS Code machine\)$/.test(e.label)), JSON.stringify(r.evidence));
    const item = api.serverTree.getTreeItem(rowNode()!);
    assert.match(String(item.contextValue), /(^|;)hasCopyList(;|$)/, 'the row offers Copy');
    const copied = await vscode.commands.executeCommand<string>(Commands.copyConnectorUrls, rowNode());
    assert.equal(copied, URLS.join('\n'));
    assert.equal(await vscode.env.clipboard.readText(), URLS.join('\n'));
  });
});
