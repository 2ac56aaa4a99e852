// The checklist as an administrator drives it (issue 14): title actions that receive the focused row, remediation
// reviews that are reused and never dirty, guards before a confirmation, and plan → apply → re-check → history.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getStep } from '../../src/checks';
import { Commands, Schemes, Settings } from '../../src/ids';
import type { PlanItem } from '../../src/plan/remediationPlan';
import type { ServerNode } from '../../src/tree/serverTreeProvider';
import { activatedApi, waitFor, workspaceFolder } from './helpers';
import { doubleScripts, recordedCheck, setDoubleScenario } from './checkFixtures';

type Api = Awaited<ReturnType<typeof activatedApi>>;
const A = 'exch-a.contoso.test';
const B = 'exch-b.contoso.test';
const PLAN = 'exch-plan.contoso.test';

function serverNode(api: Api, fqdn: string): ServerNode {
  const server = api.serverTree.servers.find((s) => s.fqdn === fqdn);
  assert.ok(server, `${fqdn} configured`);
  return api.serverTree.serverNode(server);
}

function stepNode(api: Api, fqdn: string, stepId: Parameters<typeof getStep>[0]): ServerNode {
  const node = serverNode(api, fqdn);
  assert.ok(node.kind === 'server');
  return { kind: 'step', server: node.server, step: getStep(stepId) };
}

function reviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === Schemes.review);
}

describe('checklist commands as VS Code calls them (real VS Code)', () => {
  let previous: unknown;
  before(async () => {
    const api = await activatedApi();
    previous = vscode.workspace.getConfiguration(Settings.section).inspect(Settings.servers)?.workspaceValue;
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.servers, [
      { fqdn: A, profile: 'remoting', serviceAccount: 'CONTOSO\\svc_sync' },
      { fqdn: B, profile: 'remoting', serviceAccount: 'CONTOSO\\svc_sync' },
      { fqdn: PLAN, profile: 'remoting', serviceAccount: 'CONTOSO\\svc_sync', syncServers: ['10.0.4.21'] },
    ], vscode.ConfigurationTarget.Workspace);
    await waitFor(() => api.serverTree.servers.length === 3, 10_000, 'three servers');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The reload suite reads what the earlier suites left: put the list back as it was.
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.servers, previous, vscode.ConfigurationTarget.Workspace);
  });

  it('"+" in the view title, handed the focused row, asks for a server instead of reading the row as one', async () => {
    const api = await activatedApi();
    const pending = Promise.resolve(vscode.commands.executeCommand(Commands.addServer, serverNode(api, A)));
    let settled = false;
    void pending.then(() => { settled = true; }, () => { settled = true; });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(settled, false, 'the guided add is waiting for input (it did not fail on the row)');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await pending, undefined);
    assert.equal(api.serverTree.servers.length, 3, 'nothing was added or broken');
  });

  it('"Export Report" in the title menu, handed the focused row, exports every server; a server row exports that one', async () => {
    const api = await activatedApi();
    const all = vscode.Uri.joinPath(workspaceFolder(), 'report-all.json');
    await vscode.commands.executeCommand(Commands.exportReport, serverNode(api, A), 'json', all);
    const report = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(all))) as { servers: { fqdn: string; counts: { notChecked: number } }[] };
    assert.deepEqual(report.servers.map((s) => s.fqdn), [A, B, PLAN]);
    assert.ok(report.servers.every((s) => s.counts.notChecked > 0), 'never-checked steps are counted as not checked');
    const one = vscode.Uri.joinPath(workspaceFolder(), 'report-one.json');
    await vscode.commands.executeCommand(Commands.exportServerReport, serverNode(api, B), 'json', one);
    const single = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(one))) as { servers: { fqdn: string }[] };
    assert.deepEqual(single.servers.map((s) => s.fqdn), [B]);
  });

  it('shows a never-checked server as "not checked yet", not as "0/n passed"', async () => {
    const api = await activatedApi();
    const item = api.serverTree.getTreeItem(serverNode(api, B));
    assert.match(String(item.description), /^not checked yet · PowerShell remoting$/);
  });

  it('opens a remediation review in one read-only PowerShell document per server and step, reused, never dirty', async () => {
    const api = await activatedApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const first = await vscode.commands.executeCommand<vscode.Uri>(Commands.openRemediation, stepNode(api, A, 'ps-remoting'));
    const columns = vscode.window.tabGroups.all.length;
    const second = await vscode.commands.executeCommand<vscode.Uri>(Commands.openRemediation, stepNode(api, A, 'ps-remoting'));
    assert.equal(second.toString(), first.toString());
    assert.equal(reviewTabs().length, 1, 'no second editor');
    assert.equal(vscode.window.tabGroups.all.length, columns, 'no new column');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === first.toString());
    assert.ok(doc);
    assert.equal(doc.isUntitled, false);
    assert.equal(doc.isDirty, false, 'closing asks nothing');
    assert.equal(doc.languageId, 'powershell');
    assert.match(doc.getText(), /Enable-PSRemoting/);
    const label = reviewTabs()[0]?.label ?? '';
    assert.match(label, new RegExp(`${A.replace(/\./g, '\\.')} · PowerShell`), `the tab names server and step: ${label}`);
    await vscode.commands.executeCommand(Commands.openRemediation, stepNode(api, B, 'ps-remoting'));
    assert.equal(reviewTabs().length, 2, 'another server and step: its own document');
    assert.equal(vscode.window.tabGroups.all.length, columns, 'in the same column as the first review');
  });

  it('offers no confirmation for a step never checked, saying why instead; nothing runs', async () => {
    const api = await activatedApi();
    let asked = false;
    api.testHooks?.setConfirm(async () => { asked = true; return false; });
    const before = doubleScripts().length;
    assert.equal(await vscode.commands.executeCommand(Commands.runRemediation, stepNode(api, B, 'https-listener')), 'not-checked');
    assert.equal(asked, false);
    assert.equal(doubleScripts().length, before);
  });

  it('plans a server whose checks fail three steps, applies one, re-checks it and records the change in history', async () => {
    const api = await activatedApi();
    setDoubleScenario({
      servers: { [PLAN]: { checkResults: { 'ps-remoting': recordedCheck('ps-remoting', 3), 'https-listener': recordedCheck('https-listener', 2), 'firewall-5986': recordedCheck('firewall-5986', 3) } } },
      local: { checkResults: {} },
    });
    await vscode.commands.executeCommand(Commands.runServerChecks, serverNode(api, PLAN));
    for (const id of ['ps-remoting', 'https-listener', 'firewall-5986']) assert.equal(api.results.get(PLAN, id)?.status, 'fail', `${id} failed`);
    const plan = await vscode.commands.executeCommand<PlanItem[]>(Commands.showServerPlan, serverNode(api, PLAN));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const runnable = plan.filter((i) => !i.blocked).map((i) => i.stepId);
    assert.deepEqual(runnable, ['ps-remoting', 'https-listener', 'firewall-5986'], 'the three failing steps, in catalog order');
    const ps = plan.find((i) => i.stepId === 'ps-remoting');
    assert.equal(ps?.restartsWinRM, true);
    assert.ok(ps?.properties.some((p) => p.property === 'WinRM service' && p.now !== '' && /Automatic/.test(p.after)), 'now from the evidence, after from the catalog');
    assert.match(plan.find((i) => i.stepId === 'firewall-5986')?.properties[0]?.after ?? '', /10\.0\.4\.21/);
    const planDoc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === Schemes.review && d.uri.path.includes('/plan/'));
    assert.match(planDoc?.getText() ?? '', /Nothing has run/);

    // The remediation "works": the next check of ps-remoting passes.
    setDoubleScenario({
      servers: { [PLAN]: { checkResults: { 'ps-remoting': recordedCheck('ps-remoting', 0), 'https-listener': recordedCheck('https-listener', 2), 'firewall-5986': recordedCheck('firewall-5986', 3) }, output: ['WinRM has been updated for remote management.'] } },
      local: { checkResults: {} },
    });
    let confirmed = '';
    api.testHooks?.setConfirm(async (p) => { confirmed = p.step.id; return true; });
    const before = doubleScripts().length;
    const applied = await vscode.commands.executeCommand<{ stepId: string; verdict: string }[]>(Commands.applyPlan, { server: PLAN, steps: ['ps-remoting'] });
    assert.deepEqual(applied, [{ stepId: 'ps-remoting', verdict: 'ran' }]);
    assert.equal(confirmed, 'ps-remoting', 'the confirmation was asked');
    const scripts = doubleScripts().slice(before);
    assert.equal(scripts.length, 2, 'the remediation, then its re-check');
    assert.equal(api.results.get(PLAN, 'ps-remoting')?.status, 'pass', 're-checked');
    const history = api.testHooks?.history;
    const last = history?.runsOf(PLAN).at(-1);
    assert.equal(last?.kind, 'remediation');
    assert.deepEqual(Object.keys(last?.steps ?? {}), ['ps-remoting']);
    const change = history?.changeOf(PLAN, 'ps-remoting');
    assert.deepEqual([change?.before.status, change?.after.status, change?.kind], ['fail', 'pass', 'remediation']);
    const row = api.serverTree.getTreeItem(stepNode(api, PLAN, 'ps-remoting'));
    assert.match(String(row.description), /^\(changed\) /);
    assert.match(String(row.contextValue), /(^|;)changed(;|$)/);
    // Its transcript holds what PowerShell printed.
    const transcript = await vscode.commands.executeCommand<vscode.Uri>(Commands.openTranscript, stepNode(api, PLAN, 'ps-remoting'));
    const text = vscode.workspace.textDocuments.find((d) => d.uri.toString() === transcript.toString())?.getText() ?? '';
    assert.match(text, /== Remediation ·/);
    assert.match(text, /WinRM has been updated for remote management\./);
  });

  it('"Run Failed Checks Again" reruns only the steps that did not pass', async () => {
    const api = await activatedApi();
    const server = api.serverTree.servers.find((s) => s.fqdn === PLAN);
    assert.ok(server);
    const failing = api.serverTree.getChildren(api.serverTree.serverNode(server)).flatMap((n) => (n.kind === 'step' ? [n.step] : []))
      .filter((st) => ['fail', 'warn', 'error'].includes(api.results.get(PLAN, st.id)?.status ?? 'none'));
    assert.ok(failing.length > 0);
    const before = doubleScripts().length;
    const rerun = await vscode.commands.executeCommand<number>(Commands.runFailedChecks, serverNode(api, A));
    assert.equal(rerun, failing.length, 'only what did not pass, on every server (the focused row does not narrow a title action)');
    const scripts = doubleScripts().slice(before).join('\n');
    assert.doesNotMatch(scripts, /\(ps-remoting\)/, 'the passed step did not run again');
  });

  it('sets the walkthrough\'s context keys from stored state', async () => {
    const api = await activatedApi();
    await waitFor(() => api.testHooks?.contextKeys.get('exchangeRemoting.checksRun') === true, 10_000, 'checksRun set');
  });
});
