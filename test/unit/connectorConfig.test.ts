// Step 12 (connector-config) beyond its scripts: reading the file values, the account comparison, the copy list on
// the row, and the reachability part run here: the check service hands the check output to the connector observer,
// which probes each CAS server with the extension's network probe (real sockets on 127.0.0.1 only).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';
import { getStep } from '../../src/checks';
import { casServersOf, cloudUrlsOf, compareAccounts, serviceSettingsOf } from '../../src/checks/connectorConfigData';
import { cloudUrlsInResult } from '../../src/checks/steps/connectorConfig';
import { CheckService } from '../../src/execution/checkService';
import { connectorObservers } from '../../src/execution/connectorObserver';
import { planRuns } from '../../src/execution/plan';
import { localizeResult } from '../../src/checks/resultText';
import { parseServer } from '../../src/servers/server';
import { ResultStore } from '../../src/state/resultStore';
import { nullLogger } from '../../src/log';
import { probe } from '../../src/probe/probe';
import { presentStep } from '../../src/tree/presentation';
import { FakeRunner, ok } from './fakeRunner';
import { MemoryStore, t } from './fakes';

const root = join(__dirname, '..', '..', '..');
const recorded = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'check-output', 'recorded', 'connector-config.json'), 'utf8')) as { cases: { name: string; outcome: { json: { data: { files: { kind: string; entries: { name: string; value: string }[] }[] } } } }[] };
const consistent = recorded.cases.find((c) => c.name === 'all present and consistent')!.outcome.json;
const e = (name: string, value: string): { name: string; value: string } => ({ name, value });

describe('connector-config: what the files say', () => {
  it('finds the CAS servers by host-name values and URL hosts (port from the URL, else 443), once each', () => {
    assert.deepEqual(casServersOf([
      e('Cas/Site', 'Default-First-Site-Name'), e('Cas/Server/Fqdn', 'EXCH01.contoso.com'), e('Cas/Server/Url', 'https://exch01.contoso.com/PowerShell'),
      e('Cas/Server/Url', 'https://exch03.contoso.com:8443/PowerShell'), e('Cas/Server/@address', '10.0.5.11'), e('Cas/LastDiscovery', '2019-05-01T20:31:45Z'),
      e('Cas/Comment', 'see exch09.contoso.com'),
    ]), [{ host: 'exch01.contoso.com', port: 443 }, { host: 'exch03.contoso.com', port: 8443 }]);
  });

  it('reads server, site and account from the service file; only http(s) URLs count as cloud URLs', () => {
    assert.deepEqual(serviceSettingsOf([e('S/ExchangeServer', 'exch01.contoso.com'), e('S/ActiveDirectorySite', 'Site-A'), e('S/UserName', 'CONTOSO\\svc'), e('S/ExchangeWebServiceURL', 'https://mail.contoso.com/EWS/Exchange.asmx')]),
      { exchangeServer: 'exch01.contoso.com', adSite: 'Site-A', account: 'CONTOSO\\svc', ewsUrl: 'https://mail.contoso.com/EWS/Exchange.asmx' });
    assert.deepEqual(cloudUrlsOf([e('a', 'https://manage.microsoft.com/'), e('b', 'javascript:alert(1)'), e('c', 'https://x.example/ "quoted"'), e('d', 'https://manage.microsoft.com/'), e('e', 'ftp://x.example/')]), ['https://manage.microsoft.com/']);
  });

  it('compares accounts: same text, the same user written the other way, or another account (another domain too)', () => {
    assert.equal(compareAccounts('contoso\\SVC_intune', 'CONTOSO\\svc_intune'), 'same');
    assert.equal(compareAccounts('CONTOSO\\svc_intune', 'svc_intune@contoso.com'), 'sameUser');
    assert.equal(compareAccounts('FABRIKAM\\svc_intune', 'CONTOSO\\svc_intune'), 'differs');
    assert.equal(compareAccounts('CONTOSO\\old_admin', 'CONTOSO\\svc_intune'), 'differs');
  });
});

describe('connector-config: where it runs, in both languages', () => {
  it('runs on the Intune server entry (the connector host), through its connection', () => {
    const intune = parseServer({ fqdn: 'conn01.contoso.com', profile: 'intune', connection: 'http-kerberos' });
    assert.deepEqual(planRuns(intune, [getStep('connector-config')]).map((r) => [r.place, r.target.kind]), [['server', 'http-kerberos']]);
    const w = getStep('connector-config').whereDetail;
    assert.match(w.en, /on the connector host.*probed afterwards by the extension from the machine VS Code runs on/);
    assert.match(w.de, /auf dem Connector-Host.*prüft die Erweiterung danach von dem Computer aus, auf dem VS Code läuft/);
  });

  it('says an account mismatch in German with both names', () => {
    const r = { summary: 'Connector uses CONTOSO\\old_admin, RBAC step checks CONTOSO\\svc_intune', reason: 'The connector signs in to Exchange as CONTOSO\\old_admin, but the RBAC step checks the role of CONTOSO\\svc_intune. Put the connector\'s account in the server entry, or change the connector\'s account by reinstalling it.' };
    const de = localizeResult(r, 'de');
    assert.equal(de.summary, 'Connector verwendet CONTOSO\\old_admin, der RBAC-Schritt prüft CONTOSO\\svc_intune');
    assert.match(de.reason, /^Der Connector meldet sich bei Exchange als CONTOSO\\old_admin an, der RBAC-Schritt prüft aber die Rolle von CONTOSO\\svc_intune\./);
  });
});

describe('connector-config: the row offers its URL list for copying', () => {
  const base = { stepId: 'connector-config', title: 'Konfiguration', running: false, hasRemediation: true, manualAllowed: false, now: new Date('2026-12-01T12:00:00Z'), staleAfterMinutes: 60 };
  const stored = { stepId: 'connector-config' as const, status: 'pass' as const, summary: 's', reason: 'r', checkedAt: '2026-12-01T12:00:00Z', evidence: [{ label: 'Cloud service URL', value: 'https://manage.microsoft.com/' }, { label: 'Cloud service URL', value: 'https://login.microsoftonline.com/' }] };
  it('marks the row hasCopyList when the result lists cloud URLs, and not otherwise', () => {
    assert.match(presentStep({ ...base, result: stored }, t).contextValue, /(^|;)hasCopyList(;|$)/);
    assert.doesNotMatch(presentStep({ ...base, result: { ...stored, evidence: [] } }, t).contextValue, /hasCopyList/);
    assert.doesNotMatch(presentStep({ ...base }, t).contextValue, /hasCopyList/);
    assert.deepEqual(cloudUrlsInResult(stored), ['https://manage.microsoft.com/', 'https://login.microsoftonline.com/']);
  });
});

describe('connector-config: the CAS servers are probed from here after the check', () => {
  let open: net.Server;
  let openPort = 0;
  let closedPort = 0;
  before(async () => {
    // Answers like a plain HTTP service: the port is open (the probe says "not TLS"), which is what "answers" means.
    open = net.createServer((s) => s.on('data', () => { s.write('HTTP/1.0 400 Bad Request\r\n\r\n'); s.end(); }));
    await new Promise<void>((r) => open.listen(0, '127.0.0.1', () => r()));
    openPort = (open.address() as net.AddressInfo).port;
    const probeFree = net.createServer();
    await new Promise<void>((r) => probeFree.listen(0, '127.0.0.1', () => r()));
    closedPort = (probeFree.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probeFree.close(() => r()));
  });
  after(() => new Promise<void>((r) => open.close(() => r())));

  it('probes each CAS server on its port, compares with the configured list, and says where the probe ran', async () => {
    const json = JSON.parse(JSON.stringify(consistent)) as typeof consistent;
    const cas = json.data.files.find((f) => f.kind === 'casFailover')!;
    cas.entries = [e('C/Server/Url', `https://exch01.contoso.com:${openPort}/PowerShell`), e('C/Server/Url', `https://exch02.contoso.com:${closedPort}/PowerShell`)];
    const runner = new FakeRunner((_req, server) => ok(server, { schema: 'ers.checks/1', results: [json] }));
    const store = new ResultStore(new MemoryStore(), 'r', 'r.bad');
    const probed: string[] = [];
    const service = new CheckService({
      runner, store, log: nullLogger, now: () => new Date(), extraInputs: () => ({}), credentialFor: async () => undefined,
      settings: () => ({ timeoutMs: 30_000, throttleLimit: 4 }),
      observers: () => connectorObservers({
        configuredServers: () => ['exch01.contoso.com', 'conn01.contoso.com'], probeConnectTo: '127.0.0.1', probeTimeoutMs: 3000,
        probe: (host, options) => { probed.push(`${host}:${options?.port}`); return probe(host, options); },
      }),
    });
    const server = parseServer({ fqdn: 'conn01.contoso.com', profile: 'intune', connection: 'http-kerberos', serviceAccount: 'CONTOSO\\svc_intune' });
    await service.check([{ server, steps: [getStep('connector-config')] }]);
    const r = store.get('conn01.contoso.com', 'connector-config');
    assert.ok(r, 'a result');
    assert.deepEqual(probed.sort(), [`exch01.contoso.com:${openPort}`, `exch02.contoso.com:${closedPort}`].sort());
    const ev = (label: string): string | undefined => r.evidence.find((x) => x.label === label)?.value;
    assert.equal(ev(`CAS exch01.contoso.com:${openPort} (probed from the VS Code machine)`), `resolves to 127.0.0.1, answers on TCP ${openPort}`);
    assert.equal(ev(`CAS exch02.contoso.com:${closedPort} (probed from the VS Code machine)`), `resolves to 127.0.0.1, no answer on TCP ${closedPort} (refused)`);
    assert.equal(ev('Not in the configured server list'), 'exch02.contoso.com');
    assert.equal(r.status, 'warn');
    assert.equal(r.summary, 'CAS servers not in the server list: 1');
  });
});
