import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getStep } from '../../src/checks';
import { CheckService } from '../../src/execution/checkService';
import { REMEDIATION_SCHEMA, confirmedRemediation } from '../../src/checks/script';
import { planRuns } from '../../src/execution/plan';
import { PowerShellUnavailableError, type RunRequest } from '../../src/powershell/runner';
import { parseServer } from '../../src/servers/server';
import { ResultStore } from '../../src/state/resultStore';
import { nullLogger, type Logger } from '../../src/log';
import { FakeRunner, failed, markedOutput, ok } from './fakeRunner';
import { MemoryStore } from './fakes';

const fixture = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'check-output', 'service-account-access.json'), 'utf8')) as { cases: { outcome: { json: unknown } }[] };
const passJson = fixture.cases[0]?.outcome.json;
const now = new Date('2026-11-22T12:00:00.000Z');
const exch01 = parseServer({ fqdn: 'exch01.contoso.com', serviceAccount: 'CONTOSO\\svc_sync' });

function combined(...results: unknown[]): unknown {
  return { schema: 'ers.checks/1', results };
}

function setup(answer: ConstructorParameters<typeof FakeRunner>[0], log: Logger = nullLogger) {
  const runner = new FakeRunner(answer);
  const store = new ResultStore(new MemoryStore(), 'r', 'r.bad');
  const service = new CheckService({
    runner, store, log, now: () => now, extraInputs: () => ({}),
    credentialFor: async () => 'admin', settings: () => ({ timeoutMs: 30_000, throttleLimit: 8 }),
  });
  return { runner, store, service };
}

function scriptOf(r: RunRequest, server = 'exch01.contoso.com'): string {
  if (!('script' in r)) return '';
  return typeof r.script === 'function' ? r.script(server) : r.script;
}

describe('check service', () => {
  it('plans server steps on the server and client/network/domain steps of the remoting profile here', () => {
    const runs = planRuns(exch01, ['service-account-access', 'kerberos-delegation', 'trusted-hosts', 'network-path-5986'].map((id) => getStep(id as never)));
    assert.deepEqual(runs.map((r) => [r.place, r.target.kind, r.steps.map((s) => s.id)]), [
      ['server', 'https', ['service-account-access']],
      ['local', 'local', ['kerberos-delegation', 'trusted-hosts', 'network-path-5986']],
    ]);
    const intune = parseServer({ fqdn: 'conn01.contoso.com', profile: 'intune', connection: 'http-kerberos' });
    assert.deepEqual(planRuns(intune, [getStep('connector-health')]).map((r) => [r.place, r.target.kind]), [['server', 'http-kerberos']]);
  });

  it('runs one round trip per server and place, evaluates the combined result, and stores it with the time', async () => {
    const { runner, store, service } = setup((req, server) => (req.target.kind === 'local'
      ? failed(server, 'script-error', 'The term Get-Item is not recognized', undefined)
      : ok(server, combined(passJson))));
    await service.check([{ server: exch01, steps: [getStep('service-account-access'), getStep('trusted-hosts')] }]);
    assert.equal(runner.requests.length, 2);
    const remote = runner.requests[0] as RunRequest;
    assert.equal(remote.target.kind, 'https');
    assert.deepEqual(remote.servers, ['exch01.contoso.com']);
    assert.equal(remote.credential, 'admin');
    assert.equal(runner.requests[1]?.credential, undefined, 'local runs use the current identity');
    assert.match(scriptOf(remote), /'CONTOSO\\svc_sync'/, 'the account enters only as a quoted literal');
    const sa = store.get('exch01.contoso.com', 'service-account-access');
    assert.equal(sa?.status, 'pass');
    assert.equal(sa?.checkedAt, now.toISOString());
    assert.equal(store.get('exch01.contoso.com', 'trusted-hosts')?.status, 'error');
    assert.equal(store.isRunning('exch01.contoso.com', 'service-account-access'), false);
  });

  it('checks many servers in ONE round trip, each with its own inputs, and files each result under its server', async () => {
    const servers = Array.from({ length: 5 }, (_, i) => parseServer({ fqdn: `exch${i + 10}.contoso.com`, serviceAccount: `CONTOSO\\svc${i}` }));
    const { runner, store, service } = setup((_req, server) => (server === 'exch12.contoso.com'
      ? failed(server, 'unreachable', 'WinRM cannot complete the operation', '0x80338012')
      : ok(server, combined(passJson))));
    await service.check(servers.map((server) => ({ server, steps: [getStep('service-account-access')] })));
    assert.equal(runner.requests.length, 1, 'one fan-out round trip');
    const req = runner.requests[0] as RunRequest;
    assert.deepEqual(req.servers, servers.map((s) => s.fqdn));
    assert.match(scriptOf(req, 'exch13.contoso.com'), /'CONTOSO\\svc3'/);
    assert.doesNotMatch(scriptOf(req, 'exch13.contoso.com'), /svc2/);
    assert.deepEqual(servers.map((s) => store.get(s.fqdn, 'service-account-access')?.status), ['pass', 'pass', 'error', 'pass', 'pass']);
  });

  it('turns a transport failure into an error result with its stable code, never a pass', async () => {
    const { store, service } = setup((_r, server) => failed(server, 'access-denied', 'Zugriff verweigert', '0x80070005'));
    await service.check([{ server: exch01, steps: [getStep('service-account-access')] }]);
    const r = store.get('exch01.contoso.com', 'service-account-access');
    assert.equal(r?.status, 'error');
    assert.match(JSON.stringify(r), /0x80070005|AccessDenied|access/i);
  });

  it('records missing inputs as an error result without running the step', async () => {
    const { runner, store, service } = setup((_r, server) => ok(server, combined()));
    await service.check([{ server: parseServer({ fqdn: 'exch02.contoso.com' }), steps: [getStep('service-account-access')] }]);
    assert.equal(runner.requests.length, 0);
    const r = store.get('exch02.contoso.com', 'service-account-access');
    assert.equal(r?.status, 'error');
    assert.match(r?.reason ?? '', /service account/);
  });

  it('keeps the previous result when the run is cancelled', async () => {
    const { store, service } = setup((_r, server) => ok(server, combined(passJson)));
    await service.check([{ server: exch01, steps: [getStep('service-account-access')] }]);
    const before = store.get('exch01.contoso.com', 'service-account-access');
    const { service: s2, store: st2 } = { service: new CheckService({
      runner: new FakeRunner((_r, server) => failed(server, 'cancelled', 'cancelled')), store, log: nullLogger, now: () => new Date('2026-11-23T00:00:00Z'),
      extraInputs: () => ({}), credentialFor: async () => undefined, settings: () => ({ timeoutMs: 1000, throttleLimit: 1 }),
    }), store };
    await s2.check([{ server: exch01, steps: [getStep('service-account-access')] }]);
    assert.deepEqual(st2.get('exch01.contoso.com', 'service-account-access'), before);
  });

  it('stops before the next server when aborted', async () => {
    const abort = new AbortController();
    const { runner, service } = setup((_r, server) => { abort.abort(); return ok(server, combined(passJson)); });
    await service.check([{ server: exch01, steps: [getStep('service-account-access')] }, { server: parseServer({ fqdn: 'exch03.contoso.com', serviceAccount: 'CONTOSO\\svc' }), steps: [getStep('service-account-access')] }], { signal: abort.signal });
    assert.equal(runner.requests.length, 1);
  });

  it('lets a missing PowerShell surface once, says per step why it was not checked, and clears the running state', async () => {
    const { runner, store, service } = setup(() => { throw new PowerShellUnavailableError('PowerShell 7 (pwsh) was not found. Install it from …', 'pwsh'); });
    const exch03 = parseServer({ fqdn: 'exch03.contoso.com', serviceAccount: 'CONTOSO\\svc', connection: 'http-kerberos' });
    const summary = await service.check([{ server: exch01, steps: [getStep('service-account-access')] }, { server: exch03, steps: [getStep('service-account-access')] }]);
    assert.match(summary.powershellUnavailable ?? '', /pwsh\) was not found/);
    assert.equal(runner.requests.length, 1, 'tried once, not once per group');
    for (const fqdn of ['exch01.contoso.com', 'exch03.contoso.com']) {
      assert.equal(store.isRunning(fqdn, 'service-account-access'), false);
      assert.equal(store.get(fqdn, 'service-account-access'), undefined, 'no fake result is recorded');
      assert.match(service.uncheckedReason(fqdn, 'service-account-access') ?? '', /was not found/, `${fqdn} says why it was not checked`);
    }
    assert.match(service.powershellUnavailable ?? '', /was not found/);
    service.forgetUnavailable();
    assert.equal(service.uncheckedReason('exch01.contoso.com', 'service-account-access'), undefined);
  });

  it('knows before any run that no PowerShell can run here, except for the step Node decides', () => {
    const store = new ResultStore(new MemoryStore(), 'r', 'r.bad');
    const service = new CheckService({ runner: new FakeRunner(() => { throw new Error('must not run'); }), store, log: nullLogger, now: () => now, extraInputs: () => ({}), credentialFor: async () => undefined, settings: () => ({ timeoutMs: 1000, throttleLimit: 1 }), powershellProblem: () => 'PowerShell was not found ("pwsh" is not on PATH).' });
    assert.match(service.powershellUnavailable ?? '', /not on PATH/);
    assert.match(service.uncheckedReason('exch01.contoso.com', 'ps-remoting') ?? '', /not on PATH/);
    assert.equal(service.uncheckedReason('exch01.contoso.com', 'network-path-5986'), undefined);
  });

  it('plans a remediation as the exact script that then runs (plus its success marker), and re-checks the step afterwards', async () => {
    const { runner, store, service } = setup((req, server) => (scriptOf(req).includes(REMEDIATION_SCHEMA)
      ? ok(server, { schema: REMEDIATION_SCHEMA, done: true }, 'Added CONTOSO\\svc_sync')
      : ok(server, combined(passJson))));
    const plan = service.planRemediation(exch01, getStep('service-account-access'));
    assert.equal(plan.target.kind, 'https');
    assert.match(plan.targetDescription, /exch01\.contoso\.com over WinRM HTTPS \(port 5986\)/);
    const outcome = await service.remediate(plan);
    assert.equal(outcome.ok, true);
    assert.equal(outcome.verdict, 'done');
    const sent = runner.requests[0] as RunRequest;
    assert.equal(scriptOf(sent), confirmedRemediation(plan.script, (sent as { resultToken: string }).resultToken), 'what ran is exactly what was shown, then the marker');
    assert.equal(runner.requests.length, 2, 'one remediation, one re-check');
    assert.equal(outcome.recheck?.status, 'pass');
    assert.equal(store.get('exch01.contoso.com', 'service-account-access')?.status, 'pass');
  });

  it('reports a remediation whose success marker did not come back as not confirmed, with its output', async () => {
    const { service } = setup((req, server) => (scriptOf(req).includes(REMEDIATION_SCHEMA)
      ? ok(server, undefined, 'Added CONTOSO\\svc_sync')
      : ok(server, combined(passJson))));
    const outcome = await service.remediate(service.planRemediation(exch01, getStep('service-account-access')));
    assert.equal(outcome.ok, false);
    assert.equal(outcome.verdict, 'not-confirmed');
    assert.match(outcome.output, /Added CONTOSO/);
    assert.match(outcome.message ?? '', /^Not confirmed/);
  });

  it('reports a remediation that returned nothing at all as failed, never as done', async () => {
    const { service } = setup((req, server) => (scriptOf(req).includes(REMEDIATION_SCHEMA) ? ok(server, undefined, '') : ok(server, combined(passJson))));
    const outcome = await service.remediate(service.planRemediation(exch01, getStep('service-account-access')));
    assert.equal(outcome.ok, false);
    assert.equal(outcome.verdict, 'failed');
  });

  it('logs target, step, outcome and duration, never a secret', async () => {
    const lines: string[] = [];
    const log: Logger = { ...nullLogger, info: (m: string) => lines.push(m) };
    const { service } = setup((_r, server) => ok(server, combined(passJson)), log);
    await service.check([{ server: exch01, steps: [getStep('service-account-access')] }]);
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /^check service-account-access on exch01\.contoso\.com over WinRM HTTPS \(port 5986\) as the admin credential: exch01\.contoso\.com: ok \(\d+ ms\)$/);
  });
});

describe('check service: incomplete results', () => {
  it('reports a step missing from the combined document as "No result for this step", never a pass', async () => {
    const runner = new FakeRunner((_r, server) => ok(server, combined(passJson)));
    const store = new ResultStore(new MemoryStore(), 'r', 'r.bad');
    const service = new CheckService({ runner, store, log: nullLogger, now: () => now, extraInputs: () => ({}), credentialFor: async () => undefined, settings: () => ({ timeoutMs: 1000, throttleLimit: 1 }) });
    await service.check([{ server: exch01, steps: [getStep('service-account-access'), getStep('ps-remoting')] }]);
    assert.equal(store.get('exch01.contoso.com', 'service-account-access')?.status, 'pass');
    const missing = store.get('exch01.contoso.com', 'ps-remoting');
    assert.equal(missing?.status, 'error');
    assert.equal(missing?.summary, 'No result for this step');
    assert.equal(missing?.code, 'no-step-result');
  });
});

describe('check service: steps decided without PowerShell', () => {
  it('runs direct checks here, never sends those steps to PowerShell, and keeps them when PowerShell is missing', async () => {
    const runner = new FakeRunner(() => { throw new PowerShellUnavailableError('PowerShell was not found', 'pwsh'); });
    const store = new ResultStore(new MemoryStore(), 'r', 'r.bad');
    const seen: string[] = [];
    const service = new CheckService({
      runner, store, log: nullLogger, now: () => now, extraInputs: () => ({}), credentialFor: async () => undefined,
      settings: () => ({ timeoutMs: 1000, throttleLimit: 1 }),
      directChecks: async () => ({
        'network-path-5986': async (server, inputs) => {
          seen.push(`${server.fqdn}:${inputs.port}`);
          return { stepId: 'network-path-5986', status: 'pass', summary: 'reachable', evidence: [], reason: 'ok' };
        },
      }),
    });
    const servers = [exch01, parseServer({ fqdn: 'exch02.contoso.com', serviceAccount: 'CONTOSO\\svc' })];
    const summary = await service.check(servers.map((server) => ({ server, steps: [getStep('network-path-5986'), getStep('ps-remoting')] })));
    assert.match(summary.powershellUnavailable ?? '', /not found/);
    assert.deepEqual(seen.sort(), ['exch01.contoso.com:5986', 'exch02.contoso.com:5986']);
    assert.equal(store.get('exch01.contoso.com', 'network-path-5986')?.status, 'pass');
    assert.equal(store.get('exch02.contoso.com', 'network-path-5986')?.status, 'pass');
    assert.ok(runner.requests.every((r) => !('script' in r) || !scriptOf(r).includes("'network-path-5986'")), 'the network step never went to PowerShell');
  });

  it('turns a direct check that throws into an error result, never a pass', async () => {
    const store = new ResultStore(new MemoryStore(), 'r', 'r.bad');
    const service = new CheckService({
      runner: new FakeRunner((_r, server) => ok(server, combined())), store, log: nullLogger, now: () => now, extraInputs: () => ({}),
      credentialFor: async () => undefined, settings: () => ({ timeoutMs: 1000, throttleLimit: 1 }),
      directChecks: async () => ({ 'kerberos-delegation': async () => { throw new Error('LDAP bind failed'); } }),
    });
    await service.check([{ server: exch01, steps: [getStep('kerberos-delegation')] }]);
    const r = store.get('exch01.contoso.com', 'kerberos-delegation');
    assert.equal(r?.status, 'error');
    assert.match(JSON.stringify(r?.evidence), /LDAP bind failed/);
  });
});

describe('check service: review', () => {
  it('gives the read-only check script of a step for review, with the server\'s inputs quoted', () => {
    const service = new CheckService({ runner: new FakeRunner((_r, server) => ok(server, combined())), store: new ResultStore(new MemoryStore(), 'r', 'r.bad'), log: nullLogger, now: () => now, extraInputs: () => ({}), credentialFor: async () => undefined, settings: () => ({ timeoutMs: 1000, throttleLimit: 1 }) });
    const script = service.checkScriptFor(exch01, getStep('service-account-access'));
    assert.match(script, /'CONTOSO\\svc_sync'/);
    assert.match(script, /##ERS-RESULT-BEGIN:[A-Za-z0-9]+##/);
  });
});

describe('check service: local steps of many servers', () => {
  it('runs every server\'s local steps in ONE local round trip and files each result under its server', async () => {
    const kerberosFail = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'check-output', 'kerberos-delegation.json'), 'utf8')).cases[1].outcome.json as unknown;
    const runner = new FakeRunner((req, server) => ok(server, undefined, markedOutput(scriptOf(req), (i) => (i === 1 ? undefined : combined(kerberosFail)))));
    const store = new ResultStore(new MemoryStore(), 'r', 'r.bad');
    const service = new CheckService({ runner, store, log: nullLogger, now: () => now, extraInputs: () => ({}), credentialFor: async () => undefined, settings: () => ({ timeoutMs: 1000, throttleLimit: 1 }) });
    const servers = ['exch01', 'exch02', 'exch03'].map((n) => parseServer({ fqdn: `${n}.contoso.com`, serviceAccount: 'CONTOSO\\svc_sync' }));
    await service.check(servers.map((server) => ({ server, steps: [getStep('kerberos-delegation')] })));
    assert.equal(runner.requests.length, 1, 'one local round trip for three servers');
    const script = scriptOf(runner.requests[0] as RunRequest);
    assert.equal([...script.matchAll(/##ERS-RESULT-BEGIN:/g)].length, 3);
    for (const s of servers) assert.match(script, new RegExp(`'${s.fqdn.replace(/\./g, '\\.')}'`));
    assert.deepEqual(servers.map((s) => store.get(s.fqdn, 'kerberos-delegation')?.status), ['fail', 'error', 'fail']);
    assert.match(store.get('exch02.contoso.com', 'kerberos-delegation')?.reason ?? '', /printed no result/);
  });
});
