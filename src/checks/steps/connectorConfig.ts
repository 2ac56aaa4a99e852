// Step 12 (Intune connector): what the connector's configuration files say (the seed's "Konfiguration" section):
// the CAS servers it fails over to, the Exchange server, AD site and account it uses, the cloud URLs to allow
// through a proxy, a leftover MicrosoftIntune.accountcert, and its performance counters as evidence. Read-only.
import { errorInfo, result } from '../envelope';
import { classifyError } from '../errors';
import { arr, bool, date, isObject, num, obj, str } from '../json';
import { CONNECTOR_CONFIG_CHECK, CONNECTOR_CONFIG_REMEDIATION } from '../connectorConfigScript';
import { bounded, casServersOf, cloudUrlsOf, compareAccounts, entriesOf, serviceSettingsOf, type CasServer } from '../connectorConfigData';
import type { CheckOutcome, Evidence, HostProbe, StepResult, StepSpec } from '../types';

/** The evidence label of each cloud URL: the row's copy action puts these values on the clipboard. */
export const CLOUD_URL_LABEL = 'Cloud service URL';

/** The cloud URLs a result lists, one per evidence row, for the copy action. */
export function cloudUrlsInResult(r: { readonly evidence: readonly Evidence[] } | undefined): string[] {
  return (r?.evidence ?? []).filter((e) => e.label === CLOUD_URL_LABEL).map((e) => e.value);
}

/** The CAS servers a check output of this step names (for the extension to probe), or none when it names none. */
export function casServersToProbe(outcome: CheckOutcome): CasServer[] {
  if (outcome.kind !== 'json' || !isObject(outcome.json) || bool(outcome.json.ok) !== true) return [];
  const files = arr(obj(obj(outcome.json).data).files).map(obj);
  const cas = files.find((f) => str(f.kind) === 'casFailover' && bool(f.present) === true);
  return cas ? casServersOf(entriesOf(cas.entries)) : [];
}

const FILE_NAMES: Readonly<Record<string, string>> = {
  casFailover: 'On-PremisesExchangeConnectorCasFailoverConfiguration.xml',
  service: 'On-PremisesExchangeConnectorServiceConfiguration.xml',
  intune: 'IntuneServiceConfiguration.xml',
};

interface FileRead {
  readonly kind: string;
  readonly name: string;
  readonly present: boolean;
  readonly data: ReturnType<typeof obj>;
}

function probeWords(p: HostProbe): string {
  if (p.verdict === 'error' && !p.answered) return 'the probe could not decide';
  if (!p.resolved) return 'does not resolve';
  return `resolves${p.address ? ` to ${bounded(p.address, 60)}` : ''}, ${p.answered ? `answers on TCP ${p.port}` : `no answer on TCP ${p.port} (${bounded(p.verdict, 40)})`}`;
}

function casEvidence(cas: readonly CasServer[], ctx: { observed?: { configuredServers?: readonly string[]; casProbes?: readonly HostProbe[] } }, evidence: Evidence[]): { notListed: string[]; silent: string[] } {
  evidence.push({ label: 'CAS failover servers', value: cas.length ? cas.map((c) => `${c.host}:${c.port}`).join(', ') : '(none in the file)' });
  const configured = ctx.observed?.configuredServers?.map((s) => s.toLowerCase());
  const notListed = configured ? cas.filter((c) => !configured.includes(c.host)).map((c) => c.host) : [];
  if (!configured) evidence.push({ label: 'Configured server list', value: 'not compared (no server list was given to the evaluation)' });
  else if (notListed.length) evidence.push({ label: 'Not in the configured server list', value: notListed.join(', ') });
  const probes = ctx.observed?.casProbes;
  const silent: string[] = [];
  if (!probes) {
    if (cas.length) evidence.push({ label: 'Reachability', value: 'not probed: the extension probes each CAS server from the machine VS Code runs on after the check' });
    return { notListed, silent };
  }
  for (const c of cas) {
    const p = probes.find((x) => x.host.toLowerCase() === c.host && x.port === c.port);
    if (!p) continue;
    if (!p.resolved || !p.answered) silent.push(c.host);
    evidence.push({ label: `CAS ${c.host}:${c.port} (probed from the VS Code machine)`, value: probeWords(p) });
  }
  return { notListed, silent };
}

export const connectorConfig: StepSpec = {
  id: 'connector-config',
  number: '12',
  profiles: ['intune'],
  title: { en: 'Intune Exchange connector configuration files', de: 'Konfigurationsdateien des Intune-Connectors' },
  explanation: {
    en: 'Retired: Microsoft stopped new installations of the on-premises Intune Exchange connector in 2020 and ended its support in early 2024; its replacement is Exchange hybrid modern authentication with Conditional Access. This read-only check stays for servers still running it. It reads the connector\'s files in %ProgramData%\\Microsoft\\Windows Intune Exchange Connector: the CAS servers it fails over to (On-PremisesExchangeConnectorCasFailoverConfiguration.xml; a server missing from this checklist\'s server list warns), the Exchange server, AD site and service account it uses (On-PremisesExchangeConnectorServiceConfiguration.xml; an account other than the one the RBAC step checks fails; the encrypted password is never read out) and the cloud URLs to allow through a proxy or firewall (IntuneServiceConfiguration.xml; copy them from the row). A MicrosoftIntune.accountcert left behind after setup warns. The connector\'s performance counters are shown as evidence only: they start at 0 with every service start.',
    de: 'Eingestellt: Microsoft hat Neuinstallationen des lokalen Intune Exchange-Connectors 2020 beendet und den Support Anfang 2024 eingestellt; Ersatz ist Exchange-Hybrid mit moderner Authentifizierung und bedingtem Zugriff. Die schreibgeschützte Prüfung bleibt für Server, auf denen er noch läuft. Sie liest die Dateien des Connectors in %ProgramData%\\Microsoft\\Windows Intune Exchange Connector: die CAS-Server, auf die er ausweicht (On-PremisesExchangeConnectorCasFailoverConfiguration.xml; ein Server, der in der Serverliste dieser Checkliste fehlt, ergibt eine Warnung), Exchange-Server, AD-Standort und Dienstkonto (On-PremisesExchangeConnectorServiceConfiguration.xml; ein anderes Konto als das im RBAC-Schritt geprüfte ist ein Fehler; das verschlüsselte Kennwort wird nie ausgelesen) und die Cloud-URLs für die Freigabe in Proxy oder Firewall (IntuneServiceConfiguration.xml; an der Zeile kopierbar). Eine nach der Einrichtung liegengebliebene MicrosoftIntune.accountcert ergibt eine Warnung. Die Leistungsindikatoren des Connectors erscheinen nur als Nachweis: sie beginnen mit jedem Dienststart bei 0.',
  },
  where: 'client',
  whereDetail: {
    en: 'on the connector host (the machine where the Intune Exchange connector is installed), reading its files; no elevation unless the folders deny it. Whether each CAS server resolves and answers on its port is probed afterwards by the extension from the machine VS Code runs on',
    de: 'auf dem Connector-Host (dem Computer mit dem Intune Exchange-Connector), der seine Dateien liest; ohne erhöhte Rechte, sofern die Ordner es zulassen. Ob jeder CAS-Server auflösbar ist und an seinem Port antwortet, prüft die Erweiterung danach von dem Computer aus, auf dem VS Code läuft',
  },
  needsElevation: false,
  needs: [],
  docLink: 'https://learn.microsoft.com/mem/intune/protect/exchange-connector-install',
  checkHelpers: [],
  remediationHelpers: [],
  remediation: {
    changes: {
      en: 'Changes nothing. Prints the cloud URLs for the proxy or firewall allow-list and where a leftover MicrosoftIntune.accountcert lies, to delete by hand.',
      de: 'Ändert nichts. Gibt die Cloud-URLs für die Freigabeliste von Proxy oder Firewall aus und wo eine liegengebliebene MicrosoftIntune.accountcert liegt, zum Löschen von Hand.',
    },
    restartsWinRM: false,
    risk: 'low',
    // Nothing to check against Microsoft's documentation for risk (read-only). The accountcert advice follows "Set up the
    // on-premises Intune Exchange connector" (https://learn.microsoft.com/mem/intune/protect/exchange-connector-install).
    riskNote: { en: 'Read-only.', de: 'Schreibgeschützt: ändert nichts.' },
    saferAlternative: {
      en: 'Plan the move to Exchange hybrid modern authentication with Conditional Access; the connector is retired.',
      de: 'Den Umstieg auf Exchange-Hybrid mit moderner Authentifizierung und bedingtem Zugriff planen; der Connector ist eingestellt.',
    },
    supportsWhatIf: true,
    remediateOnWarn: false,
  },
  checkBody: () => CONNECTOR_CONFIG_CHECK,
  remediationBody: () => CONNECTOR_CONFIG_REMEDIATION,
  decide(opened, ctx): StepResult {
    const id = 'connector-config' as const;
    const d = opened.data;
    const folder = bounded(str(d.dataFolder) ?? '?', 200);
    const evidence: Evidence[] = [{ label: 'Data folder', value: folder }];
    const certs = arr(obj(d.accountCert).found).slice(0, 20).map(obj).map((c) => bounded(str(c.path) ?? '?', 400));
    const files: FileRead[] = arr(d.files).map(obj).map((f) => ({ kind: str(f.kind) ?? '?', name: bounded(str(f.name) ?? '', 120), present: bool(f.present) === true, data: f }));
    if (bool(d.installed) !== true && !files.some((f) => f.present)) {
      for (const c of certs) evidence.push({ label: 'Leftover MicrosoftIntune.accountcert', value: c });
      return result(id, { status: 'notApplicable', summary: 'Connector not installed here', evidence, reason: 'The connector\'s data folder does not exist on this machine, so there is nothing to read. Run the step on the connector host.' });
    }
    if (!files.some((f) => f.present)) {
      for (const c of certs) evidence.push({ label: 'Leftover MicrosoftIntune.accountcert', value: c });
      return result(id, { status: 'notApplicable', summary: 'No connector configuration here', evidence, reason: 'The data folder exists but holds none of the connector\'s configuration files, as after an uninstall. Run the step on the connector host.' });
    }
    const fileOf = (kind: string): FileRead | undefined => files.find((f) => f.kind === kind && f.present);
    const missing = Object.keys(FILE_NAMES).filter((k) => !fileOf(k));
    for (const f of files.filter((x) => x.present)) {
      evidence.push({ label: f.name || FILE_NAMES[f.kind] || f.kind, value: `${num(f.data.bytes) ?? '?'} bytes, written ${date(f.data.lastWriteTime)?.toISOString() ?? '?'}${str(f.data.xmlError) ? `; not XML: ${bounded(str(f.data.xmlError) ?? '', 200)}` : ''}` });
    }
    for (const k of missing) evidence.push({ label: FILE_NAMES[k] ?? k, value: 'not found' });
    const unreadable = files.find((f) => f.present && isObject(f.data.readError));
    if (unreadable) {
      const info = errorInfo(unreadable.data.readError);
      const c = classifyError(info);
      evidence.push({ label: 'Code', value: c.code });
      if (info.message) evidence.push({ label: 'Message', value: bounded(info.message, 300) });
      return result(id, { status: 'error', summary: `Cannot read ${unreadable.name}`, evidence, reason: `${c.hint} The step cannot decide without the file, so run it as an account that may read the connector's data folder.`, code: c.code });
    }
    const notXml = files.find((f) => f.present && str(f.data.xmlError));
    const cas = casServersOf(entriesOf(fileOf('casFailover')?.data.entries));
    const service = serviceSettingsOf(entriesOf(fileOf('service')?.data.entries));
    const urls = cloudUrlsOf(entriesOf(fileOf('intune')?.data.entries));
    if (service.exchangeServer) evidence.push({ label: 'Exchange server', value: service.exchangeServer });
    if (service.adSite) evidence.push({ label: 'AD site', value: service.adSite });
    evidence.push({ label: 'Connector account', value: service.account ?? '(not found in the file)' });
    if (service.ewsUrl) evidence.push({ label: 'ExchangeWebServiceURL', value: service.ewsUrl });
    if (service.casFailoverEnabled) evidence.push({ label: 'IsCasFailoverEnabled', value: service.casFailoverEnabled });
    if (service.parallelCommands) evidence.push({ label: 'EnableParallelCommandSupport', value: service.parallelCommands });
    const checked = ctx.inputs.account;
    evidence.push({ label: 'Account the RBAC step checks', value: checked ?? '(no service account in the server entry)' });
    const { notListed, silent } = casEvidence(cas, ctx, evidence);
    for (const u of urls) evidence.push({ label: CLOUD_URL_LABEL, value: u });
    for (const c of certs) evidence.push({ label: 'Leftover MicrosoftIntune.accountcert', value: c });
    const counters = isObject(d.counters) ? obj(d.counters) : undefined;
    if (counters) {
      evidence.push({ label: 'Counter set', value: bounded(str(counters.set) ?? '?', 120) });
      for (const s of arr(counters.samples).slice(0, 15).map(obj)) evidence.push({ label: 'Counter', value: `${bounded(str(s.path) ?? '?', 200)} = ${num(s.value) ?? '?'}` });
    } else {
      evidence.push({ label: 'Counter set', value: str(d.counterError) ? `not readable: ${bounded(str(d.counterError) ?? '', 200)}` : 'none found (not a failure: the counters exist only while the connector is installed)' });
    }
    const accounts = service.account && checked ? compareAccounts(service.account, checked) : undefined;
    if (notXml) return result(id, { status: 'fail', summary: `${notXml.name} is not valid XML`, evidence, reason: 'The connector reads this file when its service starts; a damaged file stops it. Restore the file from a backup, or reinstall the connector.' });
    if (missing.includes('service')) return result(id, { status: 'fail', summary: 'Service configuration file missing', evidence, reason: 'Without On-PremisesExchangeConnectorServiceConfiguration.xml the connector does not know which Exchange server and account to use. Reinstall the connector.' });
    if (accounts === 'differs') return result(id, { status: 'fail', summary: `Connector uses ${bounded(service.account ?? '', 60)}, RBAC step checks ${checked}`, evidence, reason: `The connector signs in to Exchange as ${bounded(service.account ?? '', 100)}, but the RBAC step checks the role of ${checked}. Put the connector's account in the server entry, or change the connector's account by reinstalling it.` });
    const warnings: string[] = [];
    if (missing.length) warnings.push(`${missing.map((k) => FILE_NAMES[k]).join(', ')} not found.`);
    if (notListed.length) warnings.push(`The connector fails over to ${notListed.join(', ')}, which this checklist does not list: add them to the server list so their remoting is checked too.`);
    if (silent.length) warnings.push(`From the machine VS Code runs on, ${silent.join(', ')} did not resolve or answer on its port. Check DNS and the firewalls between the connector host and those servers.`);
    if (fileOf('intune') && urls.length === 0) warnings.push('IntuneServiceConfiguration.xml lists no cloud service URLs.');
    if (certs.length) warnings.push(`MicrosoftIntune.accountcert is still at ${certs.join(', ')}: the setup needs it only while installing, so delete it if the folder is not secure.`);
    if (!checked) warnings.push('The server entry names no service account, so the connector\'s account was not compared with the RBAC step\'s.');
    if (warnings.length) {
      const summary = certs.length ? 'Leftover MicrosoftIntune.accountcert' : notListed.length ? `CAS servers not in the server list: ${notListed.length}` : silent.length ? `CAS servers not answering from here: ${silent.length}` : 'Configuration incomplete';
      return result(id, { status: 'warn', summary, evidence, reason: warnings.join(' ') });
    }
    const listed = ctx.observed?.configuredServers ? 'Every CAS server it fails over to is in the server list.' : 'The CAS servers were not compared with a server list.';
    return result(id, { status: 'pass', summary: `Files consistent; cloud URLs to allow: ${urls.length}`, evidence, reason: `The connector's files are readable and its account is the one the RBAC step checks. ${listed}` });
  },
};
