// End to end through the seams: the catalog renders the Intune connector health check, the runner fans it out
// (node-powershell → the test double, which plays servers returning real-shaped output), and the catalog's
// evaluator decides per server. A server that cannot be reached ends as `error`, never as a pass.
import * as assert from 'node:assert/strict';
import { NodePowerShellRunner } from '../../src/powershell/nodePowerShellRunner';
import { toCheckOutcome } from '../../src/powershell/runner';
import { decodeOneLine } from '../../src/powershell/encodedScript';
import { markerLines } from '../../src/pslang/resultMarkers';
import { evaluate, getStep, render, resolveInputs } from '../../src/checks';
import { CheckService } from '../../src/execution/checkService';
import { nullLogger } from '../../src/log';
import { parseServer } from '../../src/servers/server';
import { ResultStore } from '../../src/state/resultStore';
import { MemoryStore } from './fakes';
import { PwshDouble } from '../doubles/pwshDouble';

const NOW = new Date('2026-11-20T10:00:00Z');
const TOKEN = 'c0ffee00c0ffee00c0ffee00c0ffee00';

/** What the check prints on a connector host (Windows PowerShell 5.1 shapes: numeric levels, ISO dates). */
function connectorOutput(data: object): string[] {
  const { begin, end } = markerLines(TOKEN);
  const doc = { schema: 'ers.check/1', step: 'connector-health', ok: true, psVersion: '5.1.17763.1', computer: 'SYNC01', elevated: false, generatedAt: NOW.toISOString(), data, error: null };
  return ['WARNING: profile banner', begin, JSON.stringify(doc), end];
}

const healthy = {
  windowMinutes: 130,
  service: { name: 'WIEC', displayName: 'Microsoft Intune Exchange Connector Service', state: 'Running', startMode: 'Auto', startName: '.\\WIEC_USER' },
  events: [{ timeCreated: '2026-11-20T09:10:00.0000000Z', id: 7001, level: 4, message: 'Quick sync completed' }],
};
const failing = {
  ...healthy,
  events: [...healthy.events, { timeCreated: '2026-11-20T09:40:00.0000000Z', id: 7009, level: 2, message: 'Sync failed: 0x0000001' }],
};

describe('runner × catalog: connector health through the runner and the catalog evaluator', function () {
  this.timeout(30_000);
  let double: PwshDouble;
  let runner: NodePowerShellRunner;

  before(() => {
    double = new PwshDouble({
      servers: {
        'sync01.contoso.test': { latencyMs: 5, output: connectorOutput(healthy) },
        'sync02.contoso.test': { latencyMs: 5, output: connectorOutput(failing) },
        'sync03.contoso.test': { behaviour: 'access-denied' },
      },
    });
    runner = new NodePowerShellRunner({ executable: double.executable, env: double.env() });
  });

  after(async () => {
    await runner.dispose();
    double.cleanup();
  });

  it('decides pass / fail / error per server from one fan-out', async () => {
    const raw = { server: 'sync01.contoso.test' };
    const script = render('connector-health', 'check', raw, { token: TOKEN });
    const outcome = await runner.run({ target: { kind: 'https' }, servers: ['sync01.contoso.test', 'sync02.contoso.test', 'sync03.contoso.test'], script, resultToken: TOKEN });
    assert.equal(outcome.invocations, 1);
    const wrapper = double.records().find((r) => r.event === 'script')!.script!;
    const inner = /^\$ersInner = \[scriptblock\]::Create\((.*)\)$/m.exec(wrapper)![1]!;
    assert.equal(decodeOneLine(`& ([scriptblock]::Create(${inner}))`), script, 'the catalog script reached PowerShell unchanged');

    const ctx = { now: NOW, inputs: resolveInputs(raw) };
    const decided = outcome.results.map((r) => [r.server, evaluate('connector-health', toCheckOutcome(r), ctx).status]);
    assert.deepEqual(decided, [
      ['sync01.contoso.test', 'pass'],
      ['sync02.contoso.test', 'fail'],
      ['sync03.contoso.test', 'error'],
    ]);
    const denied = evaluate('connector-health', toCheckOutcome(outcome.results[2]!), ctx);
    assert.match(`${denied.summary} ${denied.code ?? ''}`, /access|denied|0x80070005/i);
  });
});

describe('runner × catalog: the check service renders per server and still makes one round trip', function () {
  this.timeout(30_000);
  let double: PwshDouble;
  let runner: NodePowerShellRunner;

  before(() => {
    double = new PwshDouble();
    runner = new NodePowerShellRunner({ executable: double.executable, env: double.env() });
  });

  after(async () => {
    await runner.dispose();
    double.cleanup();
  });

  it('groups per-server scripts into one -AsJob fan-out and evaluates each server', async () => {
    const servers = ['sync01.contoso.test', 'sync02.contoso.test', 'sync03.contoso.test'];
    double.setScenario({ servers: { 'sync03.contoso.test': { behaviour: 'unreachable' } } });
    const store = new ResultStore(new MemoryStore(), 'r', 'r.bad');
    const service = new CheckService({
      runner, store, log: nullLogger, now: () => NOW, extraInputs: () => ({}),
      credentialFor: async () => undefined, settings: () => ({ timeoutMs: 20_000, throttleLimit: 8 }),
    });
    await service.check(servers.map((fqdn) => ({ server: parseServer({ fqdn, profile: 'intune' }), steps: [getStep('connector-health')] })));
    const wrapper = double.records().filter((r) => r.event === 'script').at(-1)!.script!;
    assert.equal(double.records().filter((r) => r.event === 'script').length, 1, 'one round trip');
    assert.equal((wrapper.match(/^ {2}@\{ C = @\(/gm) ?? []).length, 3, 'one group per server (each script embeds its server)');
    assert.match(wrapper, /Invoke-Command @p -AsJob/);
    // The catalog scripts call real cmdlets the double does not know: the servers answer with script errors, and
    // the unreachable one with its connection error; none of them may count as a pass.
    assert.deepEqual(servers.map((s) => [s, store.get(s, 'connector-health')?.status]), servers.map((s) => [s, 'error']));
    // WinRM's "cannot connect to the destination" (ERROR_WINRM_CANNOT_CONNECT): the connection error, not a script error.
    assert.equal(store.get(servers[2]!, 'connector-health')?.code, '0x80338012');
    assert.notEqual(store.get(servers[0]!, 'connector-health')?.code, '0x80338012');
  });
});
